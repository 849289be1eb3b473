// One organization's rating: what it shows (read from the records the workflow's activities
// keep, so it answers without a worker) and the actions people take on it. An action is an
// update of the organization's workflow: its validator refuses at once (403/400/404/409); an
// accepted action is recorded by the workflow's activities (star_round and what follows from
// it) before the update answers, and this service adds the audit row of who did what.
import type { UpdateDefinition } from '@temporalio/common';
import { badRequest, conflictOf, forbidden } from '../../../domain/errors.ts';
import { askWorkflow, takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { StarEnrolment, StarMove, StarRound } from '../../../domain/entities/star-rating.ts';
import { StarIncentiveGrant, StarTrackingEvent } from '../../../domain/entities/star-tracking.ts';
import type { Actor } from '../../../domain/star-rating/state.ts';
import { endStarRating, type StarRatingStatus } from '../../../domain/star-rating/contracts.ts';
import { starObjectionToken } from '../../../domain/star-rating/records.ts';
import { auditActorOf, ratingFor, type Caller, type StarDeps } from './access.ts';

/** How long POST …/end waits for the workflow to record the end before answering (it finishes regardless). */
const END_WAIT_MS = 15_000;
const objectionPath = (token: string) => `/public/star-objections/${token}`;

export const ratingEnded = (enrolment: StarEnrolment, already = '') =>
  conflictOf('rating_ended', `the star rating of this organization has ${already}ended: ${enrolment.endReason ?? ''}`);

/**
 * Tells the organization's workflow; the workflow's state is mirrored into star_round by its
 * activities, and the accepted action (who, what, on which round) is appended to the audit log.
 */
export async function act<A extends { actor: Actor }>(
  deps: StarDeps,
  caller: Caller,
  orgId: string,
  update: UpdateDefinition<StarRatingStatus, [A]>,
  args: NoInfer<Omit<A, 'actor'>>,
): Promise<StarRatingStatus> {
  const { enrolment, actor, em } = await ratingFor(caller, orgId);
  if (enrolment.endedAt) throw ratingEnded(enrolment);
  const handle = deps.temporal.workflow.getHandle(enrolment.workflowId);
  const status = await tellWorkflow(() => takeUpdate(deps.bounds, handle, update, [{ ...args, actor } as A]));
  const after = { ...args, phase: status.phase, revision: status.revision };
  const entityId = `${orgId}/${status.year}`;
  const audit = { actor: auditActorOf(actor), action: `star_rating.${update.name}`, entityType: 'star_round', entityId, after };
  await em.transactional((tx) => recordAudit(tx, audit));
  return status;
}

/** Where the rating stands, its star history with reasons, incentives and tracked events, the 公示 and its public link. */
export async function ratingView(caller: Caller, orgId: string) {
  const { em, org, enrolment, actor } = await ratingFor(caller, orgId);
  const [moves, grants, events, rounds] = await Promise.all([
    em.find(StarMove, { organization: org.id }, { orderBy: { decidedAt: 'asc' } }),
    em.find(StarIncentiveGrant, { organization: org.id }, { orderBy: { measureCode: 'asc', grantedAt: 'asc' } }),
    em.find(StarTrackingEvent, { organization: org.id }, { orderBy: { createdAt: 'asc' } }),
    em.find(StarRound, { organization: org.id }, { orderBy: { year: 'asc' } }),
  ]);
  const current = rounds.at(-1);
  // The workflow's status as its activities mirrored it into star_round after every accepted
  // action and phase change: no query, so this answers whether or not a worker is up.
  const status = (current?.status ?? null) as StarRatingStatus | null;
  const shown = current && status?.publication && status.year === current.year ? status.publication : null;
  const publication = shown ? { year: current!.year, ...shown, objectionPath: objectionPath(await starObjectionToken(em, current!.id)) } : null;
  return {
    organizationId: org.id,
    organizationName: org.name,
    firstYear: enrolment.firstYear,
    currentStars: enrolment.currentStars,
    ended: enrolment.endedAt ? { at: enrolment.endedAt.toISOString(), reason: enrolment.endReason ?? null } : null,
    publication,
    yourRoles: actor.roles,
    status,
    rounds: rounds.map((r) => ({
      year: r.year, kind: r.kind, phase: r.phase, stars: r.stars, proposedStars: r.proposedStars ?? null, total: r.total == null ? null : Number(r.total),
    })),
    history: moves.map((m) => ({
      year: m.year, trigger: m.trigger, outcome: m.outcome, from: m.fromStars, to: m.toStars, total: m.total == null ? null : Number(m.total), reason: m.reason,
      evidence: { eventIds: m.eventIds, evidenceFileIds: m.evidenceFileIds, objectionIds: m.objectionIds },
      decidedBy: m.decidedByLabel, decidedAt: m.decidedAt.toISOString(), certificateNumber: m.certificateNumber ?? null, validUntil: m.validUntil ?? null,
      plaque: m.plaqueSha256 ? `/star-ratings/organizations/${org.id}/plaques/${m.year}` : null,
    })),
    incentives: grants.map((g) => ({
      code: g.measureCode, category: g.category, department: g.department, text: g.text, minStars: g.minStars, grantedYear: g.grantedYear,
      withdrawnAt: g.withdrawnAt ? g.withdrawnAt.toISOString() : null,
    })),
    events: events.map((e) => ({
      id: e.id, type: e.type, occurredOn: e.occurredOn, summary: e.summary, points: Number(e.points), serious: Boolean(e.serious),
      accepted: e.accepted, evidenceFileIds: e.evidenceFileIds,
    })),
  };
}

/**
 * Ends the rating for good: the workflow takes the end (its validator checks the role and the
 * reason), revokes the level and closes the enrolment in its activity; this waits a moment for
 * that so the answer can say whether it is already recorded.
 */
export async function endRating(deps: StarDeps, caller: Caller, orgId: string, given: string) {
  const { em, org, enrolment, actor } = await ratingFor(caller, orgId);
  if (!actor.roles.includes('org_department')) throw forbidden('only the organization department over this organization ends its rating', 'wrong_role');
  if (enrolment.endedAt) throw ratingEnded(enrolment, 'already ');
  const reason = given.trim();
  if (!reason) throw badRequest('a reason is needed', [{ field: 'body.reason', rule: 'must say why the rating ends' }]);
  const handle = deps.temporal.workflow.getHandle(enrolment.workflowId);
  const status = await tellWorkflow(() => takeUpdate(deps.bounds, handle, endStarRating, [{ actor, reason }]), async () => {
    const described = await askWorkflow(deps.bounds, () => handle.describe()).catch(() => null);
    if (!described || described.status.name === 'RUNNING') return undefined;
    return conflictOf('workflow_closed', `the rating's workflow is ${described.status.name.toLowerCase()}`);
  });
  const before = { stars: status.stars, phase: status.phase };
  const audit = { actor: auditActorOf(actor), action: 'star_rating.end_requested', entityType: 'organization', entityId: org.id, before, after: { reason } };
  await em.transactional((tx) => recordAudit(tx, audit));
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    handle.result().then(() => true, () => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), END_WAIT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const fresh = await em.fork().findOne(StarEnrolment, { id: enrolment.id });
  const endedAt = fresh?.endedAt ? fresh.endedAt.toISOString() : null;
  return { organizationId: org.id, ended: done && !!fresh?.endedAt, endedAt, reason, history: `/star-ratings/organizations/${org.id}` };
}
