// Postings as people read them: the list a caller may see, one posting with where its
// workflows stand (read from the database, as the activities saved it at the last change, so
// it answers whether or not a worker is up), and what GET /auth/me adds (the caller's postings
// under way and the organizations it acts for); recalling and extending a posting.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Static } from 'typebox';
import type { ExtendBody, PostingListQuery, PostingPhase, RecallBody } from '../../schemas/postings.ts';
import { allOf } from '../../support/query.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingGuarantee, PostingHeadVisit, PostingQuarterProgress, PostingResidentRating } from '../../../domain/entities/posting-records.ts';
import { AccessLink } from '../../../domain/entities/access-link.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';
import { RESIDENT_SURVEY } from '../../../domain/posting/contracts.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import { extendPostingUpdate, recallPostingUpdate, type PostingStatus } from '../../../domain/posting/contracts.ts';
import { postingActor, updatePosting, visiblePostings, type PostingCaller } from './access.ts';
import { postingReports } from './reports.ts';

/** Phases of a posting that is no longer (or never was) under way. */
const OVER = ['completed', 'cancelled'];
const POPULATED = ['person', 'community', 'dispatchingOrganization'] as const;

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

/**
 * The postings the caller may see, as GET /postings/:id decides it: a first secretary their own,
 * a dispatching unit those it dispatched, a community, street or department those in its units,
 * an administrator all. Newest start first.
 */
export async function listPostings(caller: PostingCaller, query: Static<typeof PostingListQuery>) {
  const { cohortId, communityId, personId, phase, current, limit, offset } = query;
  const and: Record<string, unknown>[] = [visiblePostings(caller.principal)];
  if (cohortId) and.push({ cohort: cohortId });
  if (communityId) and.push({ community: communityId });
  if (personId) and.push({ person: personId });
  if (phase) and.push({ phase });
  if (current !== undefined) and.push({ phase: current ? { $nin: OVER } : { $in: OVER } });
  const [rows, total] = await caller.em.findAndCount(Posting, allOf(and), {
    populate: POPULATED,
    orderBy: { startsOn: 'desc', createdAt: 'desc', id: 'asc' },
    limit,
    offset,
  });
  return { items: rows.map(postingSummary), total, limit, offset };
}

/**
 * The residents' survey link (群众测评) the year-end assessment opened, if it has: its page (the
 * same token the workflow's activity derived), when it expires, and how many answered.
 */
async function residentsSurvey(caller: PostingCaller, postingId: string) {
  const link = await caller.em.findOne(AccessLink, { purpose: RESIDENT_SURVEY, subjectId: postingId }, { orderBy: { createdAt: 'desc' } });
  if (!link) return null;
  const token = await derivedLinkToken(caller.em, RESIDENT_SURVEY, postingId);
  const respondents = await caller.em.count(PostingResidentRating, { posting: postingId });
  const expiresAt = link.expiresAt;
  return {
    path: `/public/posting-surveys/${token}`,
    expiresAt: expiresAt.toISOString(),
    open: !link.revokedAt && expiresAt.getTime() > caller.services.clock.now().getTime(),
    respondents,
  };
}

/** One posting: its status as the workflow saved it, the quarters under review, and its reports that are due. */
export async function postingView(caller: PostingCaller, postingId: string) {
  const { posting } = await postingActor(caller, postingId);
  // As the workflow saved it at its last change (every accepted action and phase): no query.
  const status: PostingStatus | null = posting.status ?? null;
  // Quarters under review (晒绩 filed or not, scoring, score), as their workflows saved them.
  const openQuarters = (await caller.em.find(PostingQuarterProgress, { posting: posting.id }, { orderBy: { quarter: 'asc' } }))
    .filter((q) => !(status?.quarters ?? []).some((done) => done.quarter === q.quarter))
    .map((q) => q.status);
  // Reports that are due: filed (download), or failed / not made with the reason and the re-render link (the department's).
  const reports = await postingReports(caller, posting.id);
  const [guarantee, headVisits, survey] = await Promise.all([
    caller.em.findOne(PostingGuarantee, { posting: posting.id }),
    caller.em.find(PostingHeadVisit, { posting: posting.id }, { orderBy: { visitedOn: 'asc', createdAt: 'asc' } }),
    residentsSurvey(caller, posting.id),
  ]);
  return {
    id: posting.id,
    secretary: posting.person.getEntity().name,
    community: posting.community.getEntity().name,
    dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
    phase: status?.phase ?? (posting.phase as PostingPhase),
    status,
    openQuarters,
    reports,
    cohortId: posting.cohort?.id ?? null,
    communityId: posting.community.id,
    startsOn: dateOf(posting.startsOn),
    endsOn: dateOf(posting.endsOn),
    insurancePolicy: guarantee?.insurancePolicy ?? null,
    headVisits: headVisits.map((v) => ({ id: v.id, visitedOn: v.visitedOn, visitor: v.visitor, position: v.position, purpose: v.purpose })),
    survey,
  };
}

/** GET /auth/me's additions: the caller's postings under way, and the organizations it holds roles in. */
export async function callerHoldings(em: EntityManager, principal: Principal) {
  const postings = principal.personId
    ? await em.find(Posting, { person: principal.personId, phase: { $nin: OVER } }, { populate: POPULATED, orderBy: { startsOn: 'desc' } })
    : [];
  const rolesByOrg = new Map<string, Set<string>>();
  for (const g of principal.grants) if (g.organizationId) rolesByOrg.set(g.organizationId, (rolesByOrg.get(g.organizationId) ?? new Set()).add(g.role));
  const orgs = rolesByOrg.size ? await em.find(Organization, { id: { $in: [...rolesByOrg.keys()] } }, { orderBy: { name: 'asc' } }) : [];
  return {
    postings: postings.map(postingSummary),
    organizations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, roles: [...rolesByOrg.get(o.id)!].sort() })),
  };
}

/** Recalls the secretary early (the posting ends today, or is cancelled before it began). */
export const recallPosting = (caller: PostingCaller, postingId: string, body: Static<typeof RecallBody>) =>
  updatePosting(caller, postingId, recallPostingUpdate, body);

export const extendPosting = (caller: PostingCaller, postingId: string, body: Static<typeof ExtendBody>) =>
  updatePosting(caller, postingId, extendPostingUpdate, body);
