// Activities of the first-secretary posting workflows. Each forks its own EntityManager and
// writes by business key (posting + month/quarter/notice key; upserts), so a retried activity
// writes once. Ranking the cohort happens in the activity that files the last year-end
// result; it then signals every posting of the cohort (cohortRanked).
import { Context } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notify } from '../domain/notifications/notify.ts';
import { hashSecret } from '../domain/auth/secrets.ts';
import { Account } from '../domain/entities/account.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { Posting } from '../domain/entities/posting.ts';
import { PostingCohort } from '../domain/entities/posting-cohort.ts';
import { PostingHeadVisit, PostingResidentRating, PostingYearEnd } from '../domain/entities/posting-records.ts';
import { rankCohort } from '../domain/posting/assessment.ts';
import { DEFAULT_COHORT_SETTINGS } from '../domain/posting/settings.ts';
import { postingWorkflowId, type CohortRanking, type PostingActivityContract } from '../domain/posting/workflow-types.ts';
import type { Role } from '../domain/auth/roles.ts';
import { commitmentLinkToken } from './dual-commitment.ts';

export const RESIDENT_SURVEY = 'posting_resident_survey';

export interface PostingActivityDeps {
  orm: MikroORM;
  /** Tells a posting's workflow its rank; defaults to a signal through the worker's client. */
  signalRanking?: (postingId: string, ranking: CohortRanking) => Promise<void>;
}

/** The token of a posting's residents' survey link (same on every call: HMAC of the posting id). */
export const residentSurveyToken = (em: EntityManager, postingId: string) => commitmentLinkToken(em, RESIDENT_SURVEY, postingId);

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
  const fork = () => deps.orm.em.fork() as EntityManager;
  const signalRanking =
    deps.signalRanking ??
    (async (postingId: string, ranking: CohortRanking) => {
      await Context.current().client.workflow.getHandle(postingWorkflowId(postingId)).signal('cohortRanked', ranking);
    });

  return {
    async notifyPosting(n) {
      await fork().transactional(async (em) => {
        const fresh = await em.execute<{ key: string }[]>('insert into posting_notice_sent (posting_id, key, sent_at) values (?, ?, now()) on conflict do nothing returning key', [n.postingId, n.key]);
        if (fresh.length === 0) return;
        for (const recipientAccountId of await postingRecipients(em, n.postingId, n.to)) {
          notify(em, { recipientAccountId, kind: `posting_${n.kind}`, title: n.title, body: n.body, link: `/postings/${n.postingId}` });
        }
      });
    },

    async savePostingProgress(status) {
      const em = fork();
      await em.nativeUpdate(Posting, { id: status.postingId }, { phase: status.phase, status, ...(status.endsOn ? { endsOn: status.endsOn } : {}) });
    },

    async closeAttendanceMonth({ postingId, month, from, to, requiredDays }) {
      const em = fork();
      const [row] = await em.execute<{ n: string }[]>(
        `select count(*) as n from posting_check_in where posting_id = ? and status = 'confirmed' and date between ? and ?`,
        [postingId, from, to],
      );
      const confirmedDays = Number(row?.n ?? 0);
      await em.execute(
        `insert into posting_month (id, posting_id, month, from_date, to_date, required_days, confirmed_days, closed_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, now())
         on conflict (posting_id, month) do update set from_date = excluded.from_date, to_date = excluded.to_date, required_days = excluded.required_days, confirmed_days = excluded.confirmed_days`,
        [postingId, month, from, to, requiredDays, confirmedDays],
      );
      return { confirmedDays };
    },

    async countHeadVisits({ postingId, from, to }) {
      return fork().count(PostingHeadVisit, { posting: postingId, visitedOn: { $gte: from, $lte: to } });
    },

    async saveQuarterResult({ postingId, outcome, status }) {
      await fork().execute(
        `insert into posting_quarter_review (id, posting_id, quarter, outcome, detail, saved_at) values (gen_random_uuid(), ?, ?, ?, ?, now())
         on conflict (posting_id, quarter) do update set outcome = excluded.outcome, detail = excluded.detail, saved_at = now()`,
        [postingId, outcome.quarter, JSON.stringify(outcome), JSON.stringify(status)],
      );
    },

    async openResidentsSurvey({ postingId, expiresAt }) {
      const em = fork();
      const token = await residentSurveyToken(em, postingId);
      await em.execute(
        'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, now()) on conflict (token_hash) do nothing',
        [hashSecret(token), RESIDENT_SURVEY, 'posting', postingId, new Date(expiresAt)],
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
        `insert into posting_year_end (posting_id, cohort_id, total, organization, submitted_at) values (?, ?, ?, ?, now())
         on conflict (posting_id) do update set total = excluded.total, organization = excluded.organization`,
        [postingId, cohortId, total, organization],
      );
      // One ranking per cohort, by whichever submission completes it (advisory lock per cohort).
      const ranked = await em.transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`posting_cohort:${cohortId}`]);
        const members = await tx.find(Posting, { cohort: cohortId, phase: { $ne: 'cancelled' } }, { populate: ['person'] });
        const results = await tx.find(PostingYearEnd, { cohortId });
        if (results.length < members.length) return [];
        const cohort = await tx.findOne(PostingCohort, { id: cohortId });
        const grading = cohort?.settings.grading ?? DEFAULT_COHORT_SETTINGS.grading;
        const names = new Map(members.map((m) => [m.id, m.person.getEntity().name]));
        const ranking = rankCohort(
          results.map((r) => ({ postingId: r.posting.id, total: Number(r.total), organization: r.organization === null || r.organization === undefined ? null : Number(r.organization), name: names.get(r.posting.id) ?? r.posting.id })),
          grading,
        );
        for (const r of ranking) {
          await tx.nativeUpdate(PostingYearEnd, { posting: r.postingId }, { rank: r.rank, grade: r.grade, cohortSize: ranking.length });
        }
        return ranking;
      });
      // Outside the transaction: signals are idempotent (the workflow just records the rank).
      for (const r of ranked) await signalRanking(r.postingId, { rank: r.rank, cohortSize: ranked.length, grade: r.grade });
    },

    async saveFinalAssessment({ postingId, signatures, outcome }) {
      await fork().execute(
        `insert into posting_final_assessment (posting_id, outcome, signatures, decided_at) values (?, ?, ?, now())
         on conflict (posting_id) do update set outcome = excluded.outcome, signatures = excluded.signatures`,
        [postingId, outcome, JSON.stringify(signatures)],
      );
    },
  };
}
