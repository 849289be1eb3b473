// Leave (请假) and official trips (公差) of a first secretary: filed by the secretary or the
// community, decided by the street committee, each filing and decision written with its audit
// row. The rules are in domain/posting/absences.ts; the month's count (activities/posting.ts
// closeAttendanceMonth) and the sheet (reports/data/posting.ts) read the approved ones.
// A month already counted is closed to requests: its count and its sheet would disagree.
import type { Static } from 'typebox';
import { changeWithAudit } from '../../audited.ts';
import { badRequest, conflictOf, forbidden, notFound } from '../../../domain/errors.ts';
import type { AbsenceBody, AbsenceDecisionBody, AbsenceListQuery } from '../../schemas/attendance.ts';
import { PostingAbsence } from '../../../domain/entities/posting-absence.ts';
import { Account } from '../../../domain/entities/account.ts';
import { PostingMonth } from '../../../domain/entities/posting-records.ts';
import { absenceProblems, decisionProblems } from '../../../domain/posting/absences.ts';
import { postingDays } from '../../../domain/posting/rules.ts';
import { daysBetween, monthOf } from '../../../domain/time.ts';
import { iso } from '../../schemas/common.ts';
import { allOf } from '../../support/query.ts';
import { auditActorOf, postingActor, visiblePostings, type PostingCaller } from './access.ts';

const POPULATE = ['posting', 'posting.person', 'posting.community', 'filedBy', 'decidedBy'] as const;

function view(a: PostingAbsence) {
  const posting = a.posting.getEntity();
  return {
    id: a.id,
    postingId: posting.id,
    secretary: posting.person.getEntity().name,
    community: posting.community.getEntity().name,
    kind: a.kind,
    from: a.fromDate,
    to: a.toDate,
    days: daysBetween(a.fromDate, a.toDate).length,
    reason: a.reason,
    status: a.status,
    filedAs: a.filedAs,
    filedBy: a.filedBy?.getEntity().displayName ?? null,
    filedAt: iso(a.createdAt)!,
    decidedBy: a.decidedBy?.getEntity().displayName ?? null,
    decidedAt: iso(a.decidedAt),
    decisionComment: a.decisionComment ?? null,
  };
}

/** The first month from `from` to `to` that the workflow has counted already, if any. */
async function closedMonthIn(caller: PostingCaller, postingId: string, from: string, to: string): Promise<string | null> {
  const months = await caller.em.find(PostingMonth, { posting: postingId, month: { $gte: monthOf(from), $lte: monthOf(to) } }, { orderBy: { month: 'asc' } });
  return months[0]?.month ?? null;
}

export async function fileAbsence(caller: PostingCaller, postingId: string, body: Static<typeof AbsenceBody>) {
  const { em } = caller;
  const { posting, actor } = await postingActor(caller, postingId);
  const filedAs = actor.roles.includes('first_secretary') ? 'first_secretary' : actor.roles.includes('community_committee') ? 'community_committee' : null;
  if (!filedAs) throw forbidden('leave and official trips are filed by the first secretary or the community', 'wrong_role');
  if (posting.phase === 'cancelled' || posting.phase === 'completed') {
    throw conflictOf('not_open', `the posting is ${posting.phase}; it takes no more requests`);
  }
  const others = (await em.find(PostingAbsence, { posting: posting.id })).map((o) => ({ kind: o.kind, from: o.fromDate, to: o.toDate, status: o.status }));
  const problems = absenceProblems(body, postingDays(posting), others);
  if (problems.length) throw badRequest('the request cannot be filed', problems);
  const closed = await closedMonthIn(caller, posting.id, body.from, body.to);
  if (closed) throw badRequest('the request cannot be filed', [{ field: 'body.from', rule: `not in a month already counted (${closed})` }]);
  const after = { kind: body.kind, from: body.from, to: body.to, reason: body.reason, status: 'pending', filedAs };
  const row = await changeWithAudit<PostingAbsence>(
    em,
    auditActorOf(caller),
    (r) => ({ action: 'posting.absence_filed', entityType: 'posting_absence', entityId: r.id, after: { postingId: posting.id, ...after } }),
    (tx) =>
      tx.create(PostingAbsence, {
        posting,
        kind: body.kind,
        fromDate: body.from,
        toDate: body.to,
        reason: body.reason.trim(),
        status: 'pending',
        filedAs,
        filedBy: caller.principal.accountId,
      } as never) as PostingAbsence,
  );
  await em.populate(row, POPULATE as never);
  return view(row);
}

export async function decideAbsence(caller: PostingCaller, postingId: string, absenceId: string, body: Static<typeof AbsenceDecisionBody>) {
  const { em } = caller;
  const { posting, actor } = await postingActor(caller, postingId);
  const row = await em.findOne(PostingAbsence, { id: absenceId, posting: posting.id }, { populate: POPULATE as never });
  if (!row) throw notFound('request');
  if (!actor.roles.includes('street_committee')) throw forbidden('leave and official trips are decided by the street committee', 'wrong_role');
  const problems = decisionProblems(body);
  if (problems.length) throw badRequest('the decision is incomplete', problems);
  if (row.status !== 'pending') throw conflictOf('decided', `the request was ${row.status} already`);
  const closed = await closedMonthIn(caller, posting.id, row.fromDate, row.toDate);
  if (closed) throw conflictOf('month_counted', `${closed} was counted already; a request in it can no longer be decided`);
  const comment = body.comment?.trim() || null;
  const audit = {
    action: 'posting.absence_decided', entityType: 'posting_absence', entityId: row.id,
    before: { status: row.status }, after: { postingId: posting.id, status: body.decision, comment },
  };
  await changeWithAudit(em, auditActorOf(caller), audit, () => {
    row.status = body.decision;
    row.decisionComment = comment;
    row.decidedBy = em.getReference(Account, caller.principal.accountId, { wrapped: true }) as never;
    row.decidedAt = caller.services.clock.now();
  });
  await em.populate(row, ['decidedBy'] as never);
  return view(row);
}

/** The requests of one posting, newest first. */
export async function postingAbsences(caller: PostingCaller, postingId: string) {
  const { posting } = await postingActor(caller, postingId);
  const rows = await caller.em.find(PostingAbsence, { posting: posting.id }, { populate: POPULATE as never, orderBy: { fromDate: 'desc', createdAt: 'desc' } });
  return { items: rows.map(view) };
}

/** The requests of every posting the caller may see (a street: its communities'), pending ones first by date. */
export async function listAbsences(caller: PostingCaller, query: Static<typeof AbsenceListQuery>) {
  const { status, limit, offset } = query;
  const where = allOf([{ posting: visiblePostings(caller.principal) }, ...(status ? [{ status }] : [])]);
  const [rows, total] = await caller.em.findAndCount(PostingAbsence, where as never, {
    populate: POPULATE as never,
    orderBy: { fromDate: status === 'pending' ? 'asc' : 'desc', createdAt: 'asc', id: 'asc' },
    limit,
    offset,
  });
  return { items: rows.map(view), total, limit, offset };
}
