// Days in the community: the first secretary files a check-in with a note, the community
// confirms or disputes it (both written here, audited); the posting workflow counts the
// confirmed days when a month closes (activities/posting.ts closeAttendanceMonth).
import type { Static } from 'typebox';
import { changeWithAudit } from '../../audited.ts';
import { badRequest, conflict, conflictOf, notFound } from '../../../domain/errors.ts';
import type { CheckInBody, CheckInReviewBody } from '../../schemas/postings.ts';
import type { Posting } from '../../../domain/entities/posting.ts';
import { PostingCheckIn } from '../../../domain/entities/posting-records.ts';
import { isDateString, shanghaiDate } from '../../../domain/time.ts';
import { checkInDayRefusal, postingDays } from '../../../domain/posting/rules.ts';
import { auditActorOf, needRole, postingActor, type PostingCaller } from './access.ts';
import { checkInPhoto } from './attendance.ts';

/**
 * A day in the community counts only inside a posting that has begun, and not ahead of today
 * (Asia/Shanghai, by this service's clock): 409 before the posting began or once cancelled,
 * 400 naming the date otherwise.
 */
function refuseCheckInDay(posting: Posting, date: string, field: string, now: Date): void {
  if (posting.phase === 'cancelled') throw conflictOf('not_open', 'the posting was cancelled before it began; it has no days in the community');
  if (posting.phase === 'awaiting_guarantees' || posting.phase === 'awaiting_start') {
    const why = posting.phase === 'awaiting_guarantees' ? 'it waits for the dispatching unit’s guarantees' : `it begins on ${posting.startsOn}`;
    throw conflictOf('not_open', `the posting has not begun (${why}); days count from its start`);
  }
  const refusal = checkInDayRefusal(date, postingDays(posting), shanghaiDate(now.getTime()));
  if (refusal) throw badRequest(`${date} cannot be counted as a day in the community`, [{ field, rule: refusal }]);
}

export async function fileCheckIn(caller: PostingCaller, postingId: string, body: Static<typeof CheckInBody>) {
  const { em } = caller;
  const { posting, actor } = await postingActor(caller, postingId);
  needRole(actor, 'first_secretary', 'a check-in');
  if (!isDateString(body.date)) throw badRequest('not a date', [{ field: 'body.date', rule: 'YYYY-MM-DD calendar date' }]);
  refuseCheckInDay(posting, body.date, 'body.date', caller.services.clock.now());
  if (await em.findOne(PostingCheckIn, { posting: posting.id, date: body.date })) throw conflict(`a check-in for ${body.date} exists already`);
  const photo = await checkInPhoto(caller, posting, body.photoEvidenceId);
  const where = body.location
    ? { latitude: body.location.latitude, longitude: body.location.longitude, accuracyM: body.location.accuracyM ?? null }
    : { latitude: null, longitude: null, accuracyM: null };
  const after = { date: body.date, note: body.note, status: 'pending', ...where, photoEvidenceId: photo?.id ?? null };
  const audit = { action: 'posting.check_in', entityType: 'posting', entityId: posting.id, after };
  const row = await changeWithAudit(em, auditActorOf(caller), audit, (tx) =>
    tx.create(PostingCheckIn, { posting, date: body.date, note: body.note, status: 'pending', ...where, photoEvidence: photo } as never),
  );
  return { id: row.id, date: row.date, status: row.status };
}

export async function reviewCheckIn(caller: PostingCaller, postingId: string, date: string, body: Static<typeof CheckInReviewBody>) {
  const { em } = caller;
  const { posting, actor } = await postingActor(caller, postingId);
  needRole(actor, 'community_committee', 'reviewing a check-in');
  refuseCheckInDay(posting, date, 'params.date', caller.services.clock.now());
  const row = await em.findOne(PostingCheckIn, { posting: posting.id, date });
  if (!row) throw notFound('check-in');
  const before = { date: row.date, status: row.status, reviewNote: row.reviewNote ?? null };
  const after = { date: row.date, status: body.status, reviewNote: body.note ?? null };
  await changeWithAudit(em, auditActorOf(caller), { action: 'posting.check_in_review', entityType: 'posting', entityId: posting.id, before, after }, () => {
    row.status = body.status;
    row.reviewNote = body.note ?? null;
    row.reviewedBy = actor.accountId as never;
  });
  return { date: row.date, status: row.status };
}
