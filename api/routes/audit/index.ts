// Reading and verifying the audit log (organization department and administrators).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { verifyAuditChain } from '../../../domain/audit/record.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { emOf } from '../../plugins/auth.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from '../../schemas/common.ts';

const READ: Role[] = ['org_department', 'admin'];
const tags = ['audit'];
const example = { seq: 42, at: '2026-11-21T08:00:00.000Z', actorAccountId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a', actor: 'orgdept', action: 'organization.update', entityType: 'organization', entityId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', before: { partyOrgName: '党支部' }, after: { partyOrgName: '党总支' }, prevHash: 'a3f1…', hash: '9c0d…' };
const Entry = Type.Object({
  seq: Type.Integer(), at: DateTime, actorAccountId: Nullable(Uuid), actor: Type.String(), action: Type.String(), entityType: Type.String(), entityId: Nullable(Type.String()),
  before: Type.Unknown(), after: Type.Unknown(), prevHash: Type.String(), hash: Type.String(),
}, { examples: [example] });

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    config: { auth: { roles: READ } },
    schema: {
      tags, summary: 'Audit entries, newest first',
      querystring: Type.Object({ entityType: Type.Optional(Type.String({ maxLength: 50 })), entityId: Type.Optional(Type.String({ maxLength: 100 })), actorAccountId: Type.Optional(Type.String({ format: 'uuid' })), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Entry), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }, { examples: [{ items: [example], total: 1, limit: 50, offset: 0 }] }) },
    },
  }, async (request) => {
    const { entityType, entityId, actorAccountId, limit, offset } = request.query;
    const where: Record<string, unknown> = {};
    if (entityType) where.entityType = entityType;
    if (entityId) where.entityId = entityId;
    if (actorAccountId) where.actorAccountId = actorAccountId;
    const [items, total] = await emOf(request).findAndCount(AuditEntry, where, { limit, offset, orderBy: { seq: 'desc' } });
    return { items: items.map((e) => ({ ...e, at: iso(e.at)!, actorAccountId: e.actorAccountId ?? null, entityId: e.entityId ?? null, before: e.before ?? null, after: e.after ?? null })), total, limit, offset };
  });

  app.get('/audit/verify', {
    config: { auth: { roles: READ } },
    schema: {
      tags, summary: 'Walk the hash chain; report the first broken seq',
      response: {
        200: Type.Object({
          ok: Type.Boolean(), checked: Type.Integer(), lastSeq: Type.Optional(Nullable(Type.Integer())), brokenSeq: Type.Optional(Type.Integer()), reason: Type.Optional(Type.String()),
        }, { examples: [{ ok: true, checked: 1234, lastSeq: 1234 }, { ok: false, checked: 41, brokenSeq: 42, reason: 'hash does not match the row content' }] }),
      },
    },
  }, async (request) => verifyAuditChain(emOf(request)));
};
