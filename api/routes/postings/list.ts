// GET /postings: the postings a caller may see, as GET /postings/:id decides it: a first
// secretary their own, a dispatching unit those it dispatched, a community, street or
// department those in its units, an administrator all. Paginated, newest start first, with
// filters. Also what GET /auth/me adds: the caller's current postings and organizations.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import Type from 'typebox';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { escapeLike, isAdmin } from '../../../domain/auth/scope.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import { Page, PageQuery } from '../../schemas/common.ts';
import { POSTING_PHASES, PostingSummary, postingExample, type PostingPhase } from '../../schemas/postings.ts';
import { allOf, anyOf } from '../../support/query.ts';

const tags = ['postings'];
const POSTING_ROLES: Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary', 'dispatching_unit', 'admin'];
const PHASES = POSTING_PHASES;
/** Phases of a posting that is no longer (or never was) under way. */
const OVER = ['completed', 'cancelled'];

const PostingListQuery = Type.Object({
  cohortId: Type.Optional(Type.String({ format: 'uuid' })),
  communityId: Type.Optional(Type.String({ format: 'uuid' })),
  personId: Type.Optional(Type.String({ format: 'uuid' })),
  phase: Type.Optional(Type.Enum([...PHASES])),
  current: Type.Optional(Type.Boolean({ description: 'true: only postings under way (not completed or cancelled); false: only those over' })),
  ...PageQuery,
}, { additionalProperties: false });

/** The postings `principal` may see, as a MikroORM condition (mirrors the roles of GET /postings/:id). */
export function visiblePostings(principal: Principal): Record<string, unknown> {
  if (isAdmin(principal)) return {};
  const any: Record<string, unknown>[] = [];
  for (const g of principal.grants) {
    if (!POSTING_ROLES.includes(g.role)) continue;
    if (g.role === 'first_secretary') {
      if (principal.personId) any.push({ person: principal.personId });
    } else if (g.organizationId) any.push({ dispatchingOrganization: g.organizationId });
    else if (g.unitPath) any.push({ community: { path: { $like: `${escapeLike(g.unitPath)}%` } } });
  }
  return anyOf(any);
}

const dateOf = (value: unknown): string => (value instanceof Date ? shanghaiDate(value.getTime()) : String(value));

export function postingSummary(p: Posting) {
  return {
    id: p.id,
    cohortId: p.cohort?.id ?? null,
    personId: p.person.id,
    secretary: p.person.getEntity().name,
    communityId: p.community.id,
    community: p.community.getEntity().name,
    dispatchingOrganizationId: p.dispatchingOrganization.id,
    dispatchingUnit: p.dispatchingOrganization.getEntity().name,
    startsOn: dateOf(p.startsOn),
    endsOn: dateOf(p.endsOn),
    startedOn: p.status?.startedOn ?? null,
    phase: p.phase as PostingPhase,
    href: `/postings/${p.id}`,
  };
}

export const postingListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/postings', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'The postings you may see: a first secretary their own, a dispatching unit those it dispatched, a community, street or department those in its units; newest start first',
      querystring: PostingListQuery,
      response: { 200: Page(PostingSummary, postingExample) },
    },
  }, async (request) => {
    const em = emOf(request);
    const { cohortId, communityId, personId, phase, current, limit, offset } = request.query;
    const and: Record<string, unknown>[] = [visiblePostings(principalOf(request))];
    if (cohortId) and.push({ cohort: cohortId });
    if (communityId) and.push({ community: communityId });
    if (personId) and.push({ person: personId });
    if (phase) and.push({ phase });
    if (current !== undefined) and.push({ phase: current ? { $nin: OVER } : { $in: OVER } });
    const [rows, total] = await em.findAndCount(Posting, allOf(and), {
      populate: ['person', 'community', 'dispatchingOrganization'],
      orderBy: { startsOn: 'desc', createdAt: 'desc', id: 'asc' },
      limit,
      offset,
    });
    return { items: rows.map(postingSummary), total, limit, offset };
  });
};


/** GET /auth/me's additions: the caller's postings under way, and the organizations it holds roles in. */
export async function callerHoldings(em: EntityManager, principal: Principal) {
  const postings = principal.personId
    ? await em.find(Posting, { person: principal.personId, phase: { $nin: OVER } }, { populate: ['person', 'community', 'dispatchingOrganization'], orderBy: { startsOn: 'desc' } })
    : [];
  const rolesByOrg = new Map<string, Set<string>>();
  for (const g of principal.grants) if (g.organizationId) rolesByOrg.set(g.organizationId, (rolesByOrg.get(g.organizationId) ?? new Set()).add(g.role));
  const orgs = rolesByOrg.size ? await em.find(Organization, { id: { $in: [...rolesByOrg.keys()] } }, { orderBy: { name: 'asc' } }) : [];
  return {
    postings: postings.map(postingSummary),
    organizations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, roles: [...rolesByOrg.get(o.id)!].sort() })),
  };
}
