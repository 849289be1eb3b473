// Activities of the first-secretary posting workflows. Each forks its own EntityManager and
// writes by business key (posting + month/quarter/notice key; upserts), so a retried activity
// writes once. Ranking the cohort happens in the activity that files the last year-end
// result of the postings that have started (a posting still waiting for its guarantees is not
// waited for; if it starts later it is ranked with the others that finish after the ranking,
// as a later group); it then signals every ranked posting (cohortRanked) and the cohort's
// workflow (cohortRankingFiled), which files the ranking PDF. Report data for the shared
// renderer is built by reports/data/posting.ts, keyed here by business key.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notify } from '../domain/notifications/notify.ts';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { hashSecret } from '../domain/auth/secrets.ts';
import { Account } from '../domain/entities/account.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { Posting } from '../domain/entities/posting.ts';
import { PostingCohort } from '../domain/entities/posting-cohort.ts';
import { PostingCheckIn, PostingHeadVisit, PostingResidentRating, PostingYearEnd } from '../domain/entities/posting-records.ts';
import { PostingAbsence } from '../domain/entities/posting-absence.ts';
import { countedDays } from '../domain/posting/absences.ts';
import { requiredDays as quotaOf } from '../domain/posting/calendar.ts';
import { calendarFor } from '../domain/posting/holiday-calendars.ts';
import { DEFAULT_COHORT_SETTINGS, rankCohort } from '../domain/posting/rules.ts';
import { cohortWorkflowId, postingWorkflowId, RESIDENT_SURVEY, type CohortRanking, type PostingActivityContract, type PostingReportRequest } from '../domain/posting/contracts.ts';
import { AdministrativeUnit } from '../domain/entities/administrative-unit.ts';
import { escapeLike } from '../domain/auth/scope.ts';
import { attendanceSheetData, departmentName, finalAssessmentData, quarterlyReviewData, yearEndRankingData } from '../reports/data/posting.ts';
import type { Role } from '../domain/auth/roles.ts';
import { derivedLinkToken } from '../domain/auth/access-links.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { lastDayOfMonth } from '../domain/time.ts';

export interface PostingActivityDeps {
  orm: MikroORM;
  /** The service's clock (domain/clock.ts); defaults to the one bound to the ORM. */
  clock?: Clock;
  /** Tells a posting's workflow its rank; defaults to a signal through the worker's client. */
  signalRanking?: (postingId: string, ranking: CohortRanking) => Promise<void>;
  /** Tells the cohort's workflow how many postings are ranked; defaults to a signal through the worker's client. */
  signalCohort?: (cohortId: string, ranked: number) => Promise<void>;
  /** Address of the web application, for the residents' survey link written into the year-end notices. */
  publicBaseUrl?: string;
}

/**
 * Year-end notices carry the residents' survey link (群众测评), so the secretary, the community
 * and the department can hand it out; the community hears of it with the first one.
 */
const SURVEY_NOTICES = new Set(['year-end-task', 'year-end-reminder']);

/** Phases of a posting that has not started (guarantees missing, or its start date not come). */
const NOT_STARTED = ['awaiting_guarantees', 'awaiting_start'];

/** A signal to a workflow that has finished (or was never started, as in older cohorts) is dropped. */
async function signalIfRunning(send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** The token of a posting's residents' survey link (same on every call: HMAC of the posting id). */
export const residentSurveyToken = (em: EntityManager, postingId: string) => derivedLinkToken(em, RESIDENT_SURVEY, postingId);

/** Accounts that hold `roles` over a posting: the secretary's own accounts, unit roles on the community or above, the dispatching unit's roles. */
export async function postingRecipients(em: EntityManager, postingId: string, roles: readonly Role[]): Promise<string[]> {
  const posting = await em.findOneOrFail(Posting, { id: postingId }, { populate: ['community'] });
  const ids: string[] = [];
  if (roles.includes('first_secretary')) {
    ids.push(...(await em.find(Account, { person: posting.person.id, active: true })).map((a) => a.id));
  }
  const unitRoles = roles.filter((r) => r === 'street_committee' || r === 'community_committee' || r === 'org_department');
  if (unitRoles.length > 0) {
    const grants = await em.find(RoleAssignment, { role: { $in: unitRoles }, unit: { $ne: null } }, { populate: ['unit'] });
    const path = posting.community.getEntity().path;
    ids.push(...grants.filter((g) => path.startsWith(g.unit!.getEntity().path)).map((g) => g.account.id));
  }
  if (roles.includes('dispatching_unit')) {
    ids.push(...(await em.find(RoleAssignment, { role: 'dispatching_unit', organization: posting.dispatchingOrganization.id })).map((g) => g.account.id));
  }
  return [...new Set(ids)].sort();
}

export function createPostingActivities(deps: PostingActivityDeps): PostingActivityContract {
  const clock = deps.clock ?? clockOf(deps.orm.em);
  const fork = () => deps.orm.em.fork() as EntityManager;
  const signalRanking =
    deps.signalRanking ??
    (async (postingId: string, ranking: CohortRanking) => {
      await Context.current().client.workflow.getHandle(postingWorkflowId(postingId)).signal('cohortRanked', ranking);
    });
  const signalCohort =
    deps.signalCohort ??
    (async (cohortId: string, ranked: number) => {
      await Context.current().client.workflow.getHandle(cohortWorkflowId(cohortId)).signal('cohortRankingFiled', { ranked });
    });
  const system = (key: string) => `workflow:${key}`;

  return {
    async notifyPosting(n) {
      await fork().transactional(async (em) => {
        const fresh = await em.execute<{ key: string }[]>('insert into posting_notice_sent (posting_id, key, sent_at) values (?, ?, ?) on conflict do nothing returning key', [n.postingId, n.key, clock.now()]);
        if (fresh.length === 0) return;
        let { body, to } = n;
        if (SURVEY_NOTICES.has(n.key)) {
          const path = `/public/posting-surveys/${await residentSurveyToken(em, n.postingId)}`;
          body = `${body}\n群众测评链接（可转发或打印二维码张贴）：${(deps.publicBaseUrl ?? '').replace(/\/+$/, '')}${path}`;
          if (n.key === 'year-end-task') to = [...new Set([...to, 'community_committee' as const])];
        }
        for (const recipientAccountId of await postingRecipients(em, n.postingId, to)) {
          notify(em, { recipientAccountId, kind: `posting_${n.kind}`, title: n.title, body, link: `/postings/${n.postingId}` });
        }
      });
    },

    async savePostingProgress(status) {
      const em = fork();
      await em.nativeUpdate(Posting, { id: status.postingId }, { phase: status.phase, status, ...(status.endsOn ? { endsOn: status.endsOn } : {}) });
    },

    async closeAttendanceMonth({ postingId, month, from, to, requiredDays: planned }) {
      const em = fork();
      // Days of work in the community: confirmed check-ins plus approved official trips (公差) on
      // working days; approved leave is excused but not counted (domain/posting/absences.ts).
      // The quota is recomputed with the holiday calendars stored now (a year the department
      // entered after the cohort started counts); the workflow's planned quota is the fallback.
      const posting = await em.findOne(Posting, { id: postingId }, { populate: ['cohort'] });
      const settings = posting?.cohort?.getEntity().settings ?? DEFAULT_COHORT_SETTINGS;
      const calendar = await calendarFor(em, settings.holidayCalendar, from, to);
      const requiredDays = posting ? quotaOf(from, to, { ...settings, holidayCalendar: calendar }).required : planned;
      const confirmed = new Set((await em.find(PostingCheckIn, { posting: postingId, status: 'confirmed', date: { $gte: from, $lte: to } })).map((c) => c.date));
      const absences = (await em.find(PostingAbsence, { posting: postingId, status: 'approved', fromDate: { $lte: to }, toDate: { $gte: from } }))
        .map((a) => ({ kind: a.kind, from: a.fromDate, to: a.toDate, status: a.status }));
      const confirmedDays = countedDays(from, to, confirmed, absences, calendar);
      await em.execute(
        `insert into posting_month (id, posting_id, month, from_date, to_date, required_days, confirmed_days, closed_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?)
         on conflict (posting_id, month) do update set from_date = excluded.from_date, to_date = excluded.to_date, required_days = excluded.required_days, confirmed_days = excluded.confirmed_days`,
        [postingId, month, from, to, requiredDays, confirmedDays, clock.now()],
      );
      return { confirmedDays, requiredDays };
    },

    async countHeadVisits({ postingId, from, to }) {
      return fork().count(PostingHeadVisit, { posting: postingId, visitedOn: { $gte: from, $lte: to } });
    },

    async saveQuarterResult({ postingId, outcome, status }) {
      await fork().execute(
        `insert into posting_quarter_review (id, posting_id, quarter, outcome, detail, saved_at) values (gen_random_uuid(), ?, ?, ?, ?, ?)
         on conflict (posting_id, quarter) do update set outcome = excluded.outcome, detail = excluded.detail, saved_at = excluded.saved_at`,
        [postingId, outcome.quarter, JSON.stringify(outcome), JSON.stringify(status), clock.now()],
      );
    },

    async saveQuarterProgress({ postingId, quarter, status, seq }) {
      // seq orders the saves of one quarter: a retried or slow older save never lands last.
      await fork().execute(
        `insert into posting_quarter_progress (id, posting_id, quarter, status, saved_at) values (gen_random_uuid(), ?, ?, ?::jsonb, ?)
         on conflict (posting_id, quarter) do update set status = excluded.status, saved_at = excluded.saved_at
         where coalesce((posting_quarter_progress.status->>'seq')::int, -1) <= ?`,
        [postingId, quarter, JSON.stringify({ ...status, seq }), clock.now(), seq],
      );
    },

    async openResidentsSurvey({ postingId, expiresAt }) {
      const em = fork();
      const token = await residentSurveyToken(em, postingId);
      await em.execute(
        'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?) on conflict (token_hash) do nothing',
        [hashSecret(token), RESIDENT_SURVEY, 'posting', postingId, new Date(expiresAt), clock.now()],
      );
      return { links: 1 };
    },

    async collectResidentsRatings({ postingId }) {
      const rows = await fork().find(PostingResidentRating, { posting: postingId }, { orderBy: { createdAt: 'asc' } });
      return { ratings: rows.map((r) => r.score) };
    },

    async submitYearEndResult({ postingId, cohortId, total, organization }) {
      const em = fork();
      await em.execute(
        `insert into posting_year_end (posting_id, cohort_id, total, organization, submitted_at) values (?, ?, ?, ?, ?)
         on conflict (posting_id) do update set total = excluded.total, organization = excluded.organization`,
        [postingId, cohortId, total, organization, clock.now()],
      );
      // Ranked by whichever submission completes the group of started, unranked postings
      // (advisory lock per cohort). Postings that never started are not waited for.
      const outcome = await em.transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`posting_cohort:${cohortId}`]);
        const members = await tx.find(Posting, { cohort: cohortId, phase: { $nin: ['cancelled', ...NOT_STARTED] } }, { populate: ['person'] });
        const results = await tx.find(PostingYearEnd, { cohortId });
        const rankedIds = new Set(results.filter((r) => r.rank !== null && r.rank !== undefined).map((r) => r.posting.id));
        const pending = results.filter((r) => !rankedIds.has(r.posting.id));
        const waitingFor = members.filter((m) => !rankedIds.has(m.id));
        if (pending.length === 0 || pending.length < waitingFor.length) return { group: [], ranked: rankedIds.size };
        const cohort = await tx.findOne(PostingCohort, { id: cohortId });
        const grading = cohort?.settings.grading ?? DEFAULT_COHORT_SETTINGS.grading;
        const names = new Map(members.map((m) => [m.id, m.person.getEntity().name]));
        const group = rankCohort(
          pending.map((r) => ({ postingId: r.posting.id, total: Number(r.total), organization: r.organization === null || r.organization === undefined ? null : Number(r.organization), name: names.get(r.posting.id) ?? r.posting.id })),
          grading,
        );
        for (const r of group) {
          await tx.nativeUpdate(PostingYearEnd, { posting: r.postingId }, { rank: r.rank, grade: r.grade, cohortSize: group.length });
        }
        return { group: group.map((r) => ({ postingId: r.postingId, ranking: { rank: r.rank, cohortSize: group.length, grade: r.grade } })), ranked: rankedIds.size + group.length };
      });
      // Outside the transaction; signals are idempotent (the workflow just records its rank). A
      // retry after the ranking was committed re-sends it to every ranked posting still waiting.
      let toSignal = outcome.group;
      if (toSignal.length === 0) {
        const waiting = await em.fork().find(PostingYearEnd, { cohortId, rank: { $ne: null }, posting: { phase: 'awaiting_ranking' } } as never);
        toSignal = waiting.map((r) => ({ postingId: r.posting.id, ranking: { rank: r.rank!, cohortSize: r.cohortSize ?? 1, grade: r.grade as CohortRanking['grade'] } }));
      }
      for (const r of toSignal) await signalIfRunning(() => signalRanking(r.postingId, r.ranking));
      if (outcome.ranked > 0) await signalIfRunning(() => signalCohort(cohortId, outcome.ranked));
    },

    async saveFinalAssessment({ postingId, signatures, outcome }) {
      await fork().execute(
        `insert into posting_final_assessment (posting_id, outcome, signatures, decided_at) values (?, ?, ?, ?)
         on conflict (posting_id) do update set outcome = excluded.outcome, signatures = excluded.signatures`,
        [postingId, outcome, JSON.stringify(signatures), clock.now()],
      );
    },

    async preparePostingReport(input): Promise<PostingReportRequest | null> {
      const em = fork();
      const posting = await em.findOne(Posting, { id: input.postingId }, { populate: ['community', 'cohort', 'cohort.region'] });
      if (!posting) return null;
      const requestKey = input.type === 'quarterly-review' ? `${postingWorkflowId(input.postingId)}/quarterly-review/${input.quarter}` : `${postingWorkflowId(input.postingId)}/final-assessment`;
      // A re-render (renderReportWorkflow) files a new version under its own key, for the person who asked.
      const common = { subjectType: 'posting', subjectId: input.postingId, cycleId: posting.cohort?.id ?? null, createdBy: input.rerender?.createdBy ?? system(postingWorkflowId(input.postingId)), requestKey: input.rerender?.requestKey ?? requestKey };
      if (input.type === 'quarterly-review') {
        const data = await quarterlyReviewData(em, input.postingId, input.quarter);
        const street = posting.community.getEntity().parent ? await em.findOne(AdministrativeUnit, { id: posting.community.getEntity().parent!.id }) : null;
        return data && { ...common, type: 'quarterly-review', data, meta: { issuingUnit: street?.partyOrgName ?? `${data.secretary.street}党工委` } };
      }
      const data = await finalAssessmentData(em, input.postingId);
      const region = posting.cohort?.getEntity().region.getEntity();
      return data && { ...common, type: 'final-assessment', data, meta: { issuingUnit: region ? departmentName(region.partyOrgName) : '组织部' } };
    },

    async prepareCohortMonth({ cohortId, month, issuedOn }) {
      const em = fork();
      const cohort = await em.findOne(PostingCohort, { id: cohortId }, { populate: ['region'] });
      if (!cohort) return { sheets: [], running: false, unranked: 0 };
      const from = `${month}-01`;
      const to = lastDayOfMonth(from);
      const streets = await em.find(AdministrativeUnit, { level: 'street', path: { $like: `${escapeLike(cohort.region.getEntity().path)}%` } }, { orderBy: { code: 'asc' } });
      const sheets: PostingReportRequest[] = [];
      for (const street of streets) {
        const data = await attendanceSheetData(em, street.id, month, cohortId, issuedOn);
        if (!data) continue;
        sheets.push({
          type: 'attendance-sheet',
          data,
          meta: { issuingUnit: street.partyOrgName },
          subjectType: 'unit',
          subjectId: street.id,
          cycleId: cohortId,
          createdBy: system(cohortWorkflowId(cohortId)),
          requestKey: `${cohortWorkflowId(cohortId)}/attendance-sheet/${street.id}/${month}`,
        });
      }
      const running = await em.count(Posting, { cohort: cohortId, $or: [{ phase: { $in: NOT_STARTED } }, { phase: 'active', endsOn: { $gt: to } }] } as never);
      return { sheets, running: running > 0, unranked: await unrankedOf(em, cohortId) };
    },

    async prepareRankingReport({ cohortId, issuedOn }) {
      const em = fork();
      const cohort = await em.findOne(PostingCohort, { id: cohortId }, { populate: ['region'] });
      const data = cohort ? await yearEndRankingData(em, cohortId, issuedOn) : null;
      const unranked = await unrankedOf(em, cohortId);
      if (!cohort || !data) return { report: null, unranked };
      return {
        report: {
          type: 'year-end-ranking',
          data,
          meta: { issuingUnit: departmentName(cohort.region.getEntity().partyOrgName) },
          subjectType: 'posting_cohort',
          subjectId: cohortId,
          cycleId: cohortId,
          createdBy: system(cohortWorkflowId(cohortId)),
          requestKey: `${cohortWorkflowId(cohortId)}/year-end-ranking/${data.entries.length}`,
        },
        unranked,
      };
    },

    async recordPostingReportFailure({ cohortId, postingId, type, key, reason }) {
      await fork().transactional(async (em) => {
        const fresh = await em.execute<{ key: string }[]>(
          'insert into posting_notice_sent (posting_id, key, sent_at) select id, ?, ?::timestamptz from posting where id = coalesce(?, (select id from posting where cohort_id = ? order by id limit 1)) on conflict do nothing returning key',
          [`report-failed/${key}`.slice(0, 100), clock.now(), postingId, cohortId],
        );
        if (fresh.length === 0) return;
        // The reason stays on record (the posting's view lists failed reports from here).
        await recordAudit(em, {
          actor: SYSTEM_ACTOR,
          action: postingId ? 'posting.report_failed' : 'posting_cohort.report_failed',
          entityType: postingId ? 'posting' : 'posting_cohort',
          entityId: postingId ?? cohortId,
          after: { report: type, key, reason: reason.slice(0, 1000) },
        });
        const cohort = await em.findOne(PostingCohort, { id: cohortId }, { populate: ['region'] });
        const path = cohort?.region.getEntity().path;
        if (!path) return;
        const grants = await em.find(RoleAssignment, { role: 'org_department', unit: { $ne: null } }, { populate: ['unit'] });
        for (const g of grants.filter((x) => path.startsWith(x.unit!.getEntity().path))) {
          notify(em, { recipientAccountId: g.account.id, kind: 'posting_report_failed', title: `文书生成失败（${type}）`, body: reason.slice(0, 500), link: postingId ? `/postings/${postingId}` : `/postings/cohorts/${cohortId}/reports` });
        }
      });
    },
  };
}

/** Started, not cancelled postings of a cohort that have no rank yet. */
async function unrankedOf(em: EntityManager, cohortId: string): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from posting p left join posting_year_end y on y.posting_id = p.id
      where p.cohort_id = ? and p.phase not in ('cancelled', 'awaiting_guarantees', 'awaiting_start') and y.rank is null`,
    [cohortId],
  );
  return Number(row?.n ?? 0);
}
