// Activities of the assessment workflows: they write what the workflows decided (filings, totals,
// grades and ranks, pay-grade moves, stages, sign-offs), count the rates a scheme names from the
// records, send reminders and build the ranking report's data. Idempotent: upserts keyed by the
// subject and scorer, the round and step, so a retried activity writes once.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { notify } from '../domain/notifications/notify.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { departmentIssuer } from '../domain/documents/issuer.ts';
import { shanghaiDate } from '../domain/time.ts';
import {
  assignGrades, honourList, payGradeMove, PAY_GRADE_MIN, round2, weightedScore, type Filing as RuleFiling, type SchemeDefinition,
} from '../domain/assessment/rules.ts';
import type { Filing, Review } from '../domain/assessment/state.ts';
import type { NominationEntry } from '../domain/assessment/votes.ts';
import { randomUUID } from 'node:crypto';
import { assessedWorkflowId } from '../domain/assessment/contracts.ts';
import { DAY_MS } from '../domain/time.ts';
import { countRates, sharesOf } from './assessment-rates.ts';
import { closeResidents } from './assessment-residents.ts';
import { createAssessmentReportToActivities } from './assessment-report-to.ts';
import { bonusOf } from '../domain/assessment/objections.ts';
import { createAssessmentObjectionActivities } from './assessment-objections.ts';
import { createAssessmentPaperActivities } from './assessment-papers.ts';
import type { ReportRequest } from '../domain/reports/contracts.ts';
import type { AssessmentRankingData } from '../reports/contracts/assessment-ranking.ts';

export const SOURCE_NAMES: Record<string, string> = {
  self: '本人自评', peers: '同事互评', residents: '群众评议', supervisor: '上级党组织', department: '组织部门', party_reps: '党员代表',
};

interface SubjectRow {
  id: string; name: string; unit_id: string; unit_path: string; unit_name: string; account_id: string | null; organization_id: string | null; total: string | null;
}
/** Whose pay grade a result moves: the person, else the organization, else the unit. */
const payKey = (s: SubjectRow) => s.account_id ?? s.organization_id ?? s.unit_id;

export function createAssessmentActivities(deps: { orm: MikroORM; clock?: Clock; publicBaseUrl?: string }) {
  const clock = deps.clock ?? clockOf(deps.orm.em);
  const fork = () => deps.orm.em.fork() as EntityManager;

  const subjectsOf = (em: EntityManager, roundId: string) => em.execute<SubjectRow[]>(
    `select s.id, s.name, s.unit_id, u.path unit_path, u.name unit_name, s.account_id, s.organization_id, s.total from assessment_subject s
       join administrative_unit u on u.id = s.unit_id where s.round_id = ?`, [roundId]);

  return {
    ...createAssessmentReportToActivities(deps),
    ...createAssessmentObjectionActivities(deps),
    ...createAssessmentPaperActivities(deps),
    async recordAssessmentFiling(input: { roundId: string; subjectId: string; filing: Filing; at: number; pendingReview?: boolean }): Promise<void> {
      await fork().execute(
        `insert into assessment_filing (subject_id, source, account_id, entries, filed_at, review_status) values (?, ?, ?, ?, ?, ?)
         on conflict (subject_id, source, account_id) do update set entries = excluded.entries, filed_at = excluded.filed_at,
           review_status = excluded.review_status, review_reason = null, reviewed_by = null, reviewed_at = null`,
        [input.subjectId, input.filing.source, input.filing.accountId, JSON.stringify(input.filing.entries), new Date(input.at),
          input.pendingReview ? 'pending' : null],
      );
    },

    /** 初审: the reviewer's decision on one filing; a returned one tells its filer why. */
    async recordAssessmentReview(input: { roundId: string; subjectId: string; review: Review; at: number }): Promise<void> {
      const { review } = input;
      const [source, filerId] = review.filer.split(':') as [string, string];
      await fork().transactional(async (em) => {
        await em.execute(
          `update assessment_filing set review_status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?
            where subject_id = ? and source = ? and account_id = ?`,
          [review.decision === 'confirm' ? 'confirmed' : 'returned', review.reason, review.accountId, new Date(input.at), input.subjectId, source, filerId]);
        await recordAudit(em, { actor: { accountId: review.accountId, label: 'first_review' }, action: `assessment_filing.${review.decision}`,
          entityType: 'assessment_subject', entityId: input.subjectId, after: { filer: review.filer, reason: review.reason } });
        if (review.decision === 'return') {
          const [s] = await em.execute<{ name: string }[]>('select name from assessment_subject where id = ?', [input.subjectId]);
          notify(em, { recipientAccountId: filerId, kind: 'assessment_filing_returned', title: '评价被退回',
            body: `您对「${s?.name ?? ''}」的评价被初审退回：${review.reason}。请修改后重新提交。`, link: `/assessments/rounds/${input.roundId}` });
          await em.flush();
        }
      });
    },

    /** The subject's total from everything filed and the rates counted from the records. */
    async scoreAssessedSubject(input: { roundId: string; subjectId: string; definition: SchemeDefinition }): Promise<{ total: number }> {
      const em = fork();
      const [row] = await em.execute<{ path: string; from: string; to: string }[]>(
        `select u.path, to_char(r.period_from, 'YYYY-MM-DD') "from", to_char(r.period_to, 'YYYY-MM-DD') "to" from assessment_subject s
           join administrative_unit u on u.id = s.unit_id join assessment_round r on r.id = s.round_id where s.id = ?`, [input.subjectId]);
      if (!row) throw new Error(`assessment subject ${input.subjectId} is not recorded`);
      // With a first review, only the reviewed source's confirmed filings count (pending and returned ones do not).
      const reviewed = input.definition.firstReview?.source ?? null;
      let filings = await em.execute<RuleFiling[]>(
        `select source, entries from assessment_filing where subject_id = ? and (source <> coalesce(?, '') or review_status = 'confirmed')`,
        [input.subjectId, reviewed]);
      // A round whose residents answer with codes: their answers (and the 线下 paper questionnaires) are the residents' filings.
      const residents = await closeResidents(em, input.subjectId, input.definition, clock.now());
      if (residents) filings = [...filings.filter((f) => f.source !== 'residents'), ...residents];
      const counts = await countRates(em, input.definition, { unitPath: row.path, from: row.from, to: row.to, subjectId: input.subjectId });
      const { total, byIndicator, noData } = weightedScore(input.definition, filings, sharesOf(counts));
      await em.execute('update assessment_subject set total = ?, by_indicator = ?, rates = ?, no_data = ? where id = ?',
        [total, JSON.stringify(byIndicator), JSON.stringify(counts), JSON.stringify(noData), input.subjectId]);
      return { total };
    },

    /** Grades under the cap, ranks, pay-grade moves (shown now, applied at close) and the 评先树优 list. */
    async gradeAssessmentRound(input: { roundId: string; definition: SchemeDefinition }): Promise<{ graded: number }> {
      const d = input.definition;
      await fork().transactional(async (em) => {
        const subjects = await subjectsOf(em, input.roundId);
        const placed = assignGrades(d, subjects.map((s) => ({ id: s.id, name: s.name, total: Number(s.total ?? 0) })));
        const honoured = new Set(honourList(d, placed).map((p) => p.id));
        const grades = await em.execute<{ subject_key: string; grade: number }[]>(
          'select subject_key, grade from pay_grade where subject_key = any(?::uuid[])', [`{${subjects.map(payKey).join(',')}}`]);
        const gradeOf = new Map(grades.map((g) => [g.subject_key, g.grade]));
        for (const p of placed) {
          const s = subjects.find((x) => x.id === p.id)!;
          const before = d.outputs.payGrade ? (gradeOf.get(payKey(s)) ?? PAY_GRADE_MIN) : null;
          const after = before === null ? null : payGradeMove(d, p.band, before).after;
          await em.execute(
            'update assessment_subject set rank = ?, band = ?, capped = ?, pay_grade_before = ?, pay_grade_after = ?, honoured = ?, bonus = ? where id = ?',
            [p.rank, p.band, p.capped, before, after, honoured.has(p.id), bonusOf(d, p.band), p.id]);
        }
        await em.execute("update assessment_round set stage = 'grading', revision = revision + 1 where id = ?", [input.roundId]);
      });
      return { graded: 1 };
    },

    /** A nomination as the round workflow holds it (proposed, then decided): upserted by the round and its ID. */
    async recordAssessmentNomination(input: { roundId: string; nomination: NominationEntry; at: number }): Promise<void> {
      const n = input.nomination;
      const at = new Date(input.at);
      await fork().execute(
        `insert into assessment_nomination (round_id, id, nominator_kind, nominator_account_id, candidate_account_id, candidate_unit_id, candidate_name,
           reason, status, decision_reason, nominated_at, decided_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (round_id, id) do update set status = excluded.status, decision_reason = excluded.decision_reason, decided_at = excluded.decided_at`,
        [input.roundId, n.id, n.by.kind, /^[0-9a-f-]{36}$/.test(n.by.accountId) ? n.by.accountId : null, n.candidate.accountId, n.candidate.unitId,
          n.candidate.name, n.reason, n.status, n.decisionReason, at, n.status === 'pending' ? null : at]);
    },

    /** The accepted candidates become the round's subjects (once: a retry finds them), scoring starts now. */
    async admitAssessmentNominees(input: { roundId: string; nominations: NominationEntry[]; scoringDays: number }): Promise<{ subjectId: string; accountId: string | null }[]> {
      return fork().transactional(async (em) => {
        const out: { subjectId: string; accountId: string | null }[] = [];
        for (const n of input.nominations) {
          const [row] = await em.execute<{ subject_id: string | null }[]>('select subject_id from assessment_nomination where round_id = ? and id = ?',
            [input.roundId, n.id]);
          let subjectId = row?.subject_id ?? null;
          if (!subjectId) {
            subjectId = randomUUID();
            await em.execute('insert into assessment_subject (id, round_id, account_id, unit_id, name, workflow_id) values (?, ?, ?, ?, ?, ?)',
              [subjectId, input.roundId, n.candidate.accountId, n.candidate.unitId, n.candidate.name, assessedWorkflowId(input.roundId, subjectId)]);
            await em.execute('update assessment_nomination set subject_id = ? where round_id = ? and id = ?', [subjectId, input.roundId, n.id]);
          }
          out.push({ subjectId, accountId: n.candidate.accountId });
        }
        await em.execute("update assessment_round set stage = 'scoring', scoring_due_at = ?, revision = revision + 1 where id = ?",
          [new Date(clock.now().getTime() + input.scoringDays * DAY_MS), input.roundId]);
        return out;
      });
    },

    async recordAssessmentStage(input: { roundId: string; stage: 'review' | 'grading' | 'sign_off' | 'publicity'; rankingSha256: string | null }): Promise<void> {
      // publicity_at: when 公示 began (the public objection page counts its days from it).
      await fork().execute(`update assessment_round set stage = ?, ranking_sha256 = coalesce(?, ranking_sha256), revision = revision + 1,
          publicity_at = case when ? = 'publicity' then coalesce(publicity_at, ?) else publicity_at end where id = ?`,
        [input.stage, input.rankingSha256, input.stage, clock.now(), input.roundId]);
    },

    async recordAssessmentSignOff(input: { roundId: string; step: number; role: string; accountId: string; at: number }): Promise<void> {
      await fork().transactional(async (em) => {
        await em.execute(`insert into assessment_sign_off (round_id, step, role, account_id, signed_at) values (?, ?, ?, ?, ?) on conflict do nothing`,
          [input.roundId, input.step, input.role, input.accountId, new Date(input.at)]);
        await em.execute('update assessment_round set sign_off_step = greatest(sign_off_step, ?) where id = ?', [input.step + 1, input.roundId]);
        await recordAudit(em, { actor: { accountId: input.accountId, label: input.role }, action: 'assessment_round.sign_off', entityType: 'assessment_round',
          entityId: input.roundId, after: { step: input.step, role: input.role } });
      });
    },

    /**
     * Scoring: the assessed and the round's department are reminded of the deadline; sign-off: the step's role over the round's unit;
     * objection: the department over the round's unit, of objections it has not answered in time.
     */
    async remindAssessment(input: { roundId: string; kind: 'scoring' | 'sign_off' | 'review' | 'objection'; role: string | null; dueAt: number | null }):
      Promise<{ notified: number }> {
      const em = fork();
      const [round] = await em.execute<{ path: string; name: string }[]>(
        `select u.path, s.draft->>'name' name from assessment_round r join administrative_unit u on u.id = r.unit_id
           join assessment_scheme s on s.id = r.scheme_id where r.id = ?`, [input.roundId]);
      if (!round) return { notified: 0 };
      const roles = input.kind === 'scoring' ? ['org_department', 'street_committee', 'community_committee'] : [input.role!];
      const rows = await em.execute<{ account_id: string }[]>(
        `select distinct ra.account_id from role_assignment ra join administrative_unit u on u.id = ra.unit_id
          where ra.role = any(?::text[]) and (u.path like ? or ? like u.path || '%')
         union select account_id from assessment_subject where round_id = ? and account_id is not null`,
        [`{${roles.join(',')}}`, `${round.path}%`, round.path, input.kind === 'scoring' ? input.roundId : '00000000-0000-0000-0000-000000000000']);
      const due = input.dueAt ? `，截止${shanghaiDate(new Date(input.dueAt))}` : '';
      const [open] = input.kind === 'objection'
        ? await em.execute<{ n: string }[]>("select count(*) n from assessment_objection where round_id = ? and status = 'open'", [input.roundId]) : [];
      for (const r of rows) {
        if (input.kind === 'objection') {
          notify(em, { recipientAccountId: r.account_id, kind: 'assessment_objection_overdue', title: '考核公示异议待答复',
            body: `「${round.name}」公示期间有${open?.n ?? ''}件异议超过答复时限尚未答复，公示不能结束，请及时答复。`, link: `/assessments/rounds/${input.roundId}` });
          continue;
        }
        notify(em, input.kind === 'scoring'
          ? { recipientAccountId: r.account_id, kind: 'assessment_scoring_due', title: '考核评分即将截止', body: `「${round.name}」评分${due}，请及时评分。`,
            link: `/assessments/rounds/${input.roundId}` }
          : input.kind === 'review' ? { recipientAccountId: r.account_id, kind: 'assessment_review_overdue', title: '推荐人选待审核',
            body: `「${round.name}」尚有推荐人选未审核，已超过时限。`, link: `/assessments/rounds/${input.roundId}` }
          : { recipientAccountId: r.account_id, kind: 'assessment_sign_off_overdue', title: '考核结果待审核', body: `「${round.name}」考核结果待您审核签批，已超过时限。`,
            link: `/assessments/rounds/${input.roundId}` });
      }
      await em.flush();
      return { notified: rows.length };
    },

    async prepareAssessmentRanking(input: { roundId: string }): Promise<ReportRequest> {
      const em = fork();
      const [round] = await em.execute<{ unit_id: string; region: string; period: string; definition: SchemeDefinition }[]>(
        `select r.unit_id, u.name region, r.period, v.definition from assessment_round r join administrative_unit u on u.id = r.unit_id
           join assessment_scheme_version v on v.scheme_id = r.scheme_id and v.version = r.version where r.id = ?`, [input.roundId]);
      if (!round) throw new Error(`assessment round ${input.roundId} is not recorded`);
      const d = round.definition;
      const subjects = await em.execute<{ name: string; unit_name: string; total: string; rank: number; band: string; by_indicator: Record<string, number>;
        pay_grade_before: number | null; pay_grade_after: number | null }[]>(
        `select s.name, u.name unit_name, s.total, s.rank, s.band, s.by_indicator, s.pay_grade_before, s.pay_grade_after from assessment_subject s
           join administrative_unit u on u.id = s.unit_id where s.round_id = ? order by s.rank, s.name`, [input.roundId]);
      const signers = await em.execute<{ role: string; display_name: string; signed_at: Date }[]>(
        'select o.role, a.display_name, o.signed_at from assessment_sign_off o join account a on a.id = o.account_id where o.round_id = ? order by o.step',
        [input.roundId]);
      const issuer = await departmentIssuer(em, round.unit_id);
      const bandName = new Map(d.bands.map((b) => [b.key, b.name]));
      const data: AssessmentRankingData = {
        scheme: d.name, period: round.period, region: round.region,
        decidedOn: shanghaiDate(new Date(signers.at(-1)?.signed_at ?? clock.now())),
        sources: d.sources.map((s) => ({ name: SOURCE_NAMES[s.kind]!, percent: s.weight })),
        sections: d.sections.map((s) => ({ name: s.name, weight: s.indicators.reduce((a, i) => a + i.weight, 0) })),
        payGrades: Boolean(d.outputs.payGrade),
        entries: subjects.map((s) => ({
          rank: s.rank, name: s.name, unit: s.unit_name, totalScore: Number(s.total), grade: bandName.get(s.band) ?? s.band,
          sectionScores: d.sections.map((sec) => round2(sec.indicators.reduce((a, i) => a + (s.by_indicator?.[i.key] ?? 0), 0))),
          payGrade: s.pay_grade_before === null ? null
            : s.pay_grade_after === s.pay_grade_before ? `${s.pay_grade_before}级` : `${s.pay_grade_before}→${s.pay_grade_after}级`,
        })),
        note: `考核结果经${signers.map((x) => (x.role === 'org_department' ? '组织部门' : '街道党工委')).join('、')}审核，公示${d.publicityDays}天。`,
        signatures: signers.length
          ? signers.map((x) => ({ role: x.role === 'org_department' ? (issuer?.name ?? '组织部门') : '街道党工委', signer: x.display_name,
            date: shanghaiDate(new Date(x.signed_at)), decision: '同意。', seal: true }))
          : [{ role: issuer?.name ?? '组织部门', signer: null, date: null, decision: null, seal: true }],
      };
      return { type: 'assessment-ranking', data, meta: { issuingUnit: issuer?.name ?? round.region, sealCaption: issuer?.sealCaption },
        subjectType: 'assessment_round', subjectId: input.roundId, createdBy: `workflow:assessment-round/${input.roundId}` };
    },

    /** After 公示: pay grades move as shown, the round is closed. */
    async closeAssessmentRound(input: { roundId: string; definition: SchemeDefinition; at: number }): Promise<void> {
      await fork().transactional(async (em) => {
        if (input.definition.outputs.payGrade) {
          // The history of moves (三岗十八级 page): one row per round, written before the grade itself moves.
          await em.execute(
            `insert into pay_grade_move (subject_key, round_id, grade_before, grade_after, band, bonus, moved_at)
             select coalesce(account_id, unit_id), round_id, pay_grade_before, pay_grade_after, band, bonus, ? from assessment_subject
              where round_id = ? and pay_grade_after is not null on conflict do nothing`,
            [new Date(input.at), input.roundId]);
          await em.execute(
            `insert into pay_grade (subject_key, grade, round_id, updated_at)
             select coalesce(account_id, organization_id, unit_id), pay_grade_after, round_id, ? from assessment_subject where round_id = ? and pay_grade_after is not null
             on conflict (subject_key) do update set grade = excluded.grade, round_id = excluded.round_id, updated_at = excluded.updated_at
              where pay_grade.round_id is distinct from excluded.round_id`,
            [new Date(input.at), input.roundId]);
        }
        await em.execute("update assessment_round set stage = 'closed', closed_at = ?, revision = revision + 1 where id = ?", [new Date(input.at), input.roundId]);
        await recordAudit(em, { actor: SYSTEM_ACTOR, action: 'assessment_round.closed', entityType: 'assessment_round', entityId: input.roundId, after: {} });
      });
    },
  };
}

export type AssessmentActivities = ReturnType<typeof createAssessmentActivities>;
