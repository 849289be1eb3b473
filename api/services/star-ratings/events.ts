// Daily tracking (日常跟踪): a managing Party organization or an evaluator records an event.
// The workflow hears first: a refused event, or one no worker took in time (503), leaves no
// row. star_tracking_event holds the events the workflow accepted and has one writer, the
// workflow's sync activity (it files an accepted event before the update answers, so it is on
// record even if this request does not live to see the answer); this service writes the audit.
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { badRequest } from '../../../domain/errors.ts';
import { takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StarEnrolment, StarRound } from '../../../domain/entities/star-rating.ts';
import { eventType, type TrackingEventType } from '../../../domain/star-rating/rules.ts';
import { resolveStarSettings } from '../../../domain/star-rating/calendar.ts';
import { recordTrackingEvent, type StarRatingStatus } from '../../../domain/star-rating/contracts.ts';
import { starCycleInForce } from '../../../domain/star-rating/records.ts';
import type { EventBody } from '../../schemas/star-ratings.ts';
import { auditActorOf, ratingFor, requireEvidence, type Caller, type StarDeps } from './access.ts';
import { ratingEnded } from './ratings.ts';

/** The tracking event types in force: those the current round loaded, else the settings of the cycle that enrolled it. */
async function eventTypesOf(em: EntityManager, enrolment: StarEnrolment): Promise<TrackingEventType[]> {
  const [round] = await em.find(StarRound, { organization: enrolment.organization.id }, { orderBy: { year: 'desc' }, limit: 1 });
  const loaded = (round?.status as StarRatingStatus | null | undefined)?.config?.eventTypes;
  if (loaded) return loaded;
  const cycle = await starCycleInForce(em, enrolment.departmentUnit.id, round?.year ?? enrolment.firstYear);
  return resolveStarSettings((cycle?.settings ?? {}) as Record<string, unknown>).settings.eventTypes;
}

export async function recordEvent(deps: StarDeps, caller: Caller, orgId: string, body: Static<typeof EventBody>) {
  const { em, org, enrolment, actor } = await ratingFor(caller, orgId);
  const handle = deps.temporal.workflow.getHandle(enrolment.workflowId);
  const types = await eventTypesOf(em, enrolment);
  const type = eventType(types, body.type);
  if (!type) throw badRequest('unknown event type', [{ field: 'body.type', rule: `must be one of ${types.map((t) => t.code).join(', ')}` }]);
  await requireEvidence(em, org.id, body.evidenceFileIds, 'body.evidenceFileIds');
  if (enrolment.endedAt) throw ratingEnded(enrolment);
  const { occurredOn, summary, evidenceFileIds } = body;
  const eventId = randomUUID();
  const event = { id: eventId, type: type.code, occurredOn, summary, evidenceFileIds, recordedBy: actor.login };
  const status = await tellWorkflow(() => takeUpdate(deps.bounds, handle, recordTrackingEvent, [{ actor, event }]));
  await em.transactional(async (tx) => {
    const filed = { organizationId: org.id, type: type.code, occurredOn, points: type.points, serious: type.serious };
    const by = auditActorOf(actor);
    await recordAudit(tx, { actor: by, action: 'star_rating.track_event_filed', entityType: 'star_tracking_event', entityId: eventId, after: filed });
    const after = { eventId, type: type.code, serious: type.serious };
    await recordAudit(tx, { actor: by, action: 'star_rating.track_event', entityType: 'organization', entityId: org.id, after });
  });
  return { eventId, immediateReview: status.reviews.find((r) => r.trigger === 'immediate' && !r.decision) ?? null, status };
}
