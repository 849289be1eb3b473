// Unguessable, expiring links for anonymous access (public commitment pages, surveys).
// Staff create them for organizations of their subtree; the public route only says whether a
// link is valid and what it opens: the cycles' own public pages call `verifyAccessLink`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AccessLink } from '../../../domain/entities/access-link.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import { createAccessLink, verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { organizationScopeSql, requireOrganizationInScope, scopeOf } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { badRequest, gone, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { DateTime, IdParams, Nullable, PageQuery, Uuid, iso } from '../../schemas/common.ts';
import { DAY_MS } from '../../../domain/time.ts';

const MANAGE: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];
const PURPOSES = ['public_commitments', 'resident_survey', 'staff_survey'] as const;
const tags = ['access-links'];
const MAX_DAYS = 366;

const linkExample = {
  id: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
  purpose: 'public_commitments',
  subjectType: 'organization',
  subjectId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  expiresAt: '2026-12-31T16:00:00.000Z',
  revokedAt: null,
  createdAt: '2026-11-21T08:00:00.000Z',
};
const LinkDto = Type.Object({
  id: Uuid, purpose: Type.String(), subjectType: Type.String(), subjectId: Uuid, expiresAt: DateTime, revokedAt: Nullable(DateTime), createdAt: DateTime,
}, { examples: [linkExample] });
const linkDto = (l: AccessLink) => ({
  id: l.id,
  purpose: l.purpose,
  subjectType: l.subjectType,
  subjectId: l.subjectId,
  expiresAt: iso(l.expiresAt)!,
  revokedAt: iso(l.revokedAt),
  createdAt: iso(l.createdAt)!,
});

export const accessLinkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/access-links', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags, summary: 'Create an anonymous link for an organization of your subtree; the token is shown once',
      body: Type.Object(
        {
          purpose: Type.Enum(PURPOSES),
          subjectType: Type.Literal('organization'),
          subjectId: Uuid,
          expiresAt: Type.String({ format: 'date-time', description: `in the future, at most ${MAX_DAYS} days ahead` }),
        },
        {
          additionalProperties: false,
          examples: [
            {
              purpose: 'public_commitments',
              subjectType: 'organization',
              subjectId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
              expiresAt: '2026-12-31T16:00:00.000Z',
            },
          ],
        },
      ),
      response: {
        201: Type.Object(
          { link: LinkDto, token: Type.String(), path: Type.String() },
          { examples: [{ link: linkExample, token: 'pcl_Qm9…', path: '/public/access-links/pcl_Qm9…' }] },
        ),
      },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const expiresAt = new Date(body.expiresAt);
    const days = (expiresAt.getTime() - app.services.clock.now().getTime()) / DAY_MS;
    if (days <= 0 || days > MAX_DAYS)
      throw badRequest('bad expiry', [{ field: 'body.expiresAt', rule: `must be in the future and at most ${MAX_DAYS} days ahead` }]);
    const created = await emOf(request).transactional(async (em) => {
      const org = await em.findOne(Organization, { id: body.subjectId }, { populate: ['unit'] });
      if (!org) throw notFound('organization');
      requireOrganizationInScope({ ...scopeOf(principal, MANAGE), organizationIds: [] }, { id: org.id, unitPath: org.unit.getEntity().path });
      return createAccessLink(em, { purpose: body.purpose, subjectType: body.subjectType, subjectId: org.id, expiresAt, actor: auditActor(principal) });
    });
    return reply.status(201).send({ link: linkDto(created.link), token: created.token, path: `/public/access-links/${created.token}` });
  });

  app.get('/access-links', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags, summary: 'Links of the organizations of your subtree, newest first (tokens are never shown again)',
      querystring: Type.Object({
        purpose: Type.Optional(Type.String({ maxLength: 50 })),
        state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')])),
        ...PageQuery,
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ ...LinkDto.properties, subjectName: Type.String() })),
          total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(),
        }, { examples: [{ items: [{ ...linkExample, subjectName: '济宁鲁恒机械有限公司' }], total: 1, limit: 50, offset: 0 }] }),
      },
    },
  }, async (request) => {
    const { purpose, state, limit, offset } = request.query;
    const scope = organizationScopeSql({ ...scopeOf(principalOf(request), MANAGE), organizationIds: [] }, 'o.id');
    const where = [scope.sql];
    const params: unknown[] = [...scope.params];
    if (purpose) {
      where.push('l.purpose = ?');
      params.push(purpose);
    }
    const now = app.services.clock.now();
    if (state === 'revoked') where.push('l.revoked_at is not null');
    if (state === 'active' || state === 'expired') {
      where.push(`l.revoked_at is null and l.expires_at ${state === 'active' ? '>' : '<='} ?`);
      params.push(now);
    }
    type Row = {
      id: string; purpose: string; subject_type: string; subject_id: string; expires_at: Date; revoked_at: Date | null; created_at: Date; name: string;
    };
    const from = `from access_link l join organization o on o.id = l.subject_id where ${where.join(' and ')}`;
    const em = emOf(request);
    const rows = await em.execute<Row[]>(
      `select l.id, l.purpose, l.subject_type, l.subject_id, l.expires_at, l.revoked_at, l.created_at, o.name ${from}
        order by l.created_at desc, l.id limit ? offset ?`,
      [...params, limit, offset],
    );
    const [count] = await em.execute<{ n: string }[]>(`select count(*) as n ${from}`, params);
    const at = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return {
      items: rows.map((r) => ({
        id: r.id, purpose: r.purpose, subjectType: r.subject_type, subjectId: r.subject_id, subjectName: r.name,
        expiresAt: at(r.expires_at)!, revokedAt: at(r.revoked_at), createdAt: at(r.created_at)!,
      })),
      total: Number(count?.n ?? 0), limit, offset,
    };
  });

  app.delete('/access-links/:id', {
    config: { auth: { roles: MANAGE } },
    schema: { tags, summary: 'Revoke a link', params: IdParams, response: { 200: LinkDto } },
  }, async (request) => {
    const principal = principalOf(request);
    return emOf(request).transactional(async (em) => {
      const link = await em.findOne(AccessLink, { id: request.params.id });
      if (!link) throw notFound('access link');
      const org = await em.findOne(Organization, { id: link.subjectId }, { populate: ['unit'] });
      if (!org) throw notFound('access link');
      requireOrganizationInScope({ ...scopeOf(principal, MANAGE), organizationIds: [] }, { id: org.id, unitPath: org.unit.getEntity().path }, 'access link');
      const before = linkDto(link);
      link.revokedAt ??= app.services.clock.now();
      await em.flush();
      await recordAudit(em, {
        actor: auditActor(principal),
        action: 'access_link.revoke',
        entityType: 'access_link',
        entityId: link.id,
        before,
        after: linkDto(link),
      });
      return linkDto(link);
    });
  });

  app.get('/public/access-links/:token', {
    config: { auth: { public: true } },
    schema: {
      tags, summary: 'Anonymous: what a link opens, if it is valid (404 unknown, 410 expired or revoked)',
      params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }),
      response: {
        200: Type.Object(
          { purpose: Type.String(), subjectType: Type.String(), subjectId: Uuid, expiresAt: DateTime },
          {
            examples: [
              {
                purpose: 'public_commitments',
                subjectType: 'organization',
                subjectId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
                expiresAt: '2026-12-31T16:00:00.000Z',
              },
            ],
          },
        ),
      },
    },
  }, async (request) => {
    const check = await verifyAccessLink(emOf(request), request.params.token);
    if (!check.ok) {
      if (check.reason === 'expired' || check.reason === 'revoked') throw gone('link_gone', `the link is ${check.reason}`);
      throw notFound('link');
    }
    return { purpose: check.link.purpose, subjectType: check.link.subjectType, subjectId: check.link.subjectId, expiresAt: iso(check.link.expiresAt)! };
  });
};
