// What the rates lane adds to rounds (issue 19): counts the department types in from offline work (线下,
// with a note, audited), the first review (初审) of one source's filings by the scheme's reviewer role
// (confirm, or return to the filer with a reason: the assessed workflow's validator has the last word),
// and the round's report to a body outside the tree (its PDF from the report pipeline, an Excel of the
// same results, and the record that it was sent: when, by whom).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/client';
import { recordAudit } from '../../../domain/audit/record.ts';
import { badRequest, conflictOf, forbidden, notFound } from '../../../domain/errors.ts';
import { indicatorsOf } from '../../../domain/assessment/rules.ts';
import { reviewAssessmentFiling } from '../../../domain/assessment/contracts.ts';
import { reportRelativePath } from '../../../reports/store.ts';
import { takeUpdate, tellWorkflow } from '../../workflow-refusals.ts';
import type { ExportSpec } from '../export/xlsx.ts';
import { asDepartment, roundFor, rolePathsIn, type AssessmentDeps, type Caller, type RoundAccess } from './access.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const actor = (c: Caller) => ({ accountId: c.principal.accountId, label: c.principal.login });

export interface OfflineBody { indicator: string; numerator: number; denominator: number; note: string }
export interface ReviewBody { filerAccountId: string; decision: 'confirm' | 'return'; reason?: string }

export function createRatesService(deps: AssessmentDeps) {
  const subjectOf = async (em: EntityManager, access: RoundAccess, subjectId: string) => {
    const [s] = await em.execute<{ id: string; name: string; unit_path: string; workflow_id: string }[]>(
      `select s.id, s.name, u.path unit_path, s.workflow_id from assessment_subject s join administrative_unit u on u.id = s.unit_id
        where s.id = ? and s.round_id = ?`, [subjectId, access.round.id]);
    if (!s) throw notFound('assessed person or unit');
    return s;
  };

  /** The department's offline counts of a round: every rate indicator that takes them, per assessed. */
  async function offlineCounts(c: Caller, roundId: string) {
    const access = asDepartment(await roundFor(c, roundId), 'enters offline counts', 'assessment round');
    const indicators = indicatorsOf(access.round.definition).filter((i) => i.rule === 'rate' && i.offline)
      .map((i) => ({ key: i.key, name: i.name, rateSource: i.rateSource! }));
    const rows = await c.em.execute<{ subject_id: string; indicator_key: string; numerator: number; denominator: number; note: string;
      display_name: string; entered_at: Date }[]>(
      `select o.subject_id, o.indicator_key, o.numerator, o.denominator, o.note, a.display_name, o.entered_at from assessment_offline_count o
         join assessment_subject s on s.id = o.subject_id join account a on a.id = o.entered_by where s.round_id = ?`, [roundId]);
    const subjects = await c.em.execute<{ id: string; name: string }[]>('select id, name from assessment_subject where round_id = ? order by name', [roundId]);
    return {
      roundId, editable: access.round.stage === 'scoring' && indicators.length > 0, indicators,
      subjects: subjects.map((s) => ({
        id: s.id, name: s.name,
        counts: rows.filter((r) => r.subject_id === s.id).map((r) => ({ indicator: r.indicator_key, numerator: r.numerator, denominator: r.denominator,
          note: r.note, enteredBy: r.display_name, enteredAt: iso(r.entered_at)! })),
      })),
    };
  }

  /** Types in (or corrects) one indicator's offline count of one assessed, while scoring is open. */
  async function enterOffline(c: Caller, roundId: string, subjectId: string, body: OfflineBody) {
    const access = asDepartment(await roundFor(c, roundId), 'enters offline counts');
    const subject = await subjectOf(c.em, access, subjectId);
    const ind = indicatorsOf(access.round.definition).find((i) => i.key === body.indicator);
    const problems = [];
    if (!ind || ind.rule !== 'rate' || !ind.offline) problems.push({ field: 'body.indicator', rule: 'names no rate of the scheme that takes offline counts' });
    if (!Number.isInteger(body.denominator) || body.denominator < 1) problems.push({ field: 'body.denominator', rule: 'must be a whole number of 1 or more' });
    if (!Number.isInteger(body.numerator) || body.numerator < 0) problems.push({ field: 'body.numerator', rule: 'must be a whole number of 0 or more' });
    else if (body.numerator > body.denominator) problems.push({ field: 'body.numerator', rule: 'must not exceed the denominator' });
    if (!body.note?.trim()) problems.push({ field: 'body.note', rule: 'is required: say where the counts come from' });
    if (problems.length) throw badRequest('the offline count cannot be accepted', problems);
    if (access.round.stage !== 'scoring') throw conflictOf('wrong_stage', 'offline counts are entered while scoring is open');
    await c.em.transactional(async (tx) => {
      const [before] = await tx.execute<{ numerator: number; denominator: number; note: string }[]>(
        'select numerator, denominator, note from assessment_offline_count where subject_id = ? and indicator_key = ?', [subject.id, body.indicator]);
      await tx.execute(
        `insert into assessment_offline_count (subject_id, indicator_key, numerator, denominator, note, entered_by, entered_at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (subject_id, indicator_key) do update set numerator = excluded.numerator, denominator = excluded.denominator, note = excluded.note,
           entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
        [subject.id, body.indicator, body.numerator, body.denominator, body.note.trim(), c.principal.accountId, deps.clock.now()]);
      await recordAudit(tx as EntityManager, { actor: actor(c), action: 'assessment_offline_count.enter', entityType: 'assessment_subject',
        entityId: subject.id, before: before ?? null,
        after: { indicator: body.indicator, numerator: body.numerator, denominator: body.denominator, note: body.note.trim() } });
    });
    return offlineCounts(c, roundId);
  }

  /** Paths the caller reviews in (the scheme's first-review role over or inside the round's unit). */
  const reviewPaths = (c: Caller, access: RoundAccess) => {
    const role = access.round.definition.firstReview?.role;
    return role ? rolePathsIn(c, access.round, [role]) : [];
  };

  /** The filings awaiting (or past) the caller's first review, with what they say. */
  async function reviews(c: Caller, roundId: string) {
    const access = await roundFor(c, roundId);
    const d = access.round.definition;
    const paths = reviewPaths(c, access);
    if (!d.firstReview || !(paths.length || access.department)) throw notFound('first review');
    const all = access.department ? [access.round.unit_path] : paths;
    const rows = await c.em.execute<{ subject_id: string; subject_name: string; unit_name: string; account_id: string; filer: string; entries: unknown;
      filed_at: Date; review_status: string; review_reason: string | null; reviewed_at: Date | null }[]>(
      `select f.subject_id, s.name subject_name, u.name unit_name, f.account_id, a.display_name filer, f.entries, f.filed_at, f.review_status,
              f.review_reason, f.reviewed_at
         from assessment_filing f join assessment_subject s on s.id = f.subject_id join administrative_unit u on u.id = s.unit_id
         join account a on a.id = f.account_id
        where s.round_id = ? and f.source = ? and (${all.map(() => 'u.path like ?').join(' or ')})
        order by f.review_status = 'pending' desc, f.filed_at`,
      [roundId, d.firstReview.source, ...all.map((p) => `${p}%`)]);
    return {
      roundId, role: d.firstReview.role, source: d.firstReview.source, canReview: paths.length > 0 && access.round.stage === 'scoring',
      items: rows.map((r) => ({ subjectId: r.subject_id, subjectName: r.subject_name, unitName: r.unit_name, filerAccountId: r.account_id, filer: r.filer,
        entries: r.entries as Record<string, unknown>, filedAt: iso(r.filed_at)!, status: r.review_status as 'pending' | 'confirmed' | 'returned',
        reason: r.review_reason, reviewedAt: iso(r.reviewed_at) })),
    };
  }

  async function review(c: Caller, roundId: string, subjectId: string, body: ReviewBody) {
    const access = await roundFor(c, roundId);
    const d = access.round.definition;
    if (!d.firstReview) throw notFound('first review');
    const subject = await subjectOf(c.em, access, subjectId);
    if (!reviewPaths(c, access).some((p) => subject.unit_path.startsWith(p))) {
      throw forbidden(`you do not review the ratings of ${subject.name}`, 'not_your_role');
    }
    if (body.decision === 'return' && !body.reason?.trim()) {
      throw badRequest('say why the rating goes back', [{ field: 'body.reason', rule: 'is required to return a rating' }]);
    }
    const handle = deps.temporal.workflow.getHandle(subject.workflow_id);
    const filer = `${d.firstReview.source}:${body.filerAccountId}`;
    const state = await tellWorkflow(
      () => takeUpdate(deps.bounds, handle, reviewAssessmentFiling, [{ filer, decision: body.decision, reason: body.reason?.trim() || null,
        accountId: c.principal.accountId }]),
      async (error) => (error instanceof WorkflowNotFoundError ? conflictOf('wrong_stage', 'scoring of this round is closed') : undefined),
    );
    return { subjectId, filer: body.filerAccountId, status: state.reviews?.[filer] ?? 'pending' };
  }

  /** The round's report to the body the scheme names, once the results are final. */
  async function reportTo(c: Caller, roundId: string) {
    const access = asDepartment(await roundFor(c, roundId), 'reports the results', 'report');
    const reportTo = access.round.definition.outputs.reportTo;
    if (!reportTo) throw notFound('report');
    const [r] = await c.em.execute<{ regulator_report_sha256: string | null; regulator_sent_at: Date | null; sent_by: string | null;
      regulator_sent_note: string | null }[]>(
      `select r.regulator_report_sha256, r.regulator_sent_at, a.display_name sent_by, r.regulator_sent_note from assessment_round r
         left join account a on a.id = r.regulator_sent_by where r.id = ?`, [roundId]);
    return { roundId, addressee: reportTo, stage: access.round.stage, ready: Boolean(r?.regulator_report_sha256),
      sentAt: iso(r?.regulator_sent_at ?? null), sentBy: r?.sent_by ?? null, note: r?.regulator_sent_note ?? null };
  }

  async function reportToPdf(c: Caller, roundId: string) {
    await reportTo(c, roundId);
    const [r] = await c.em.execute<{ sha: string | null }[]>('select regulator_report_sha256 sha from assessment_round where id = ?', [roundId]);
    if (!r?.sha) throw notFound('report');
    return { sha256: r.sha, pdf: await readFile(path.join(deps.dataDir, reportRelativePath(r.sha))) };
  }

  /** The same results as an Excel workbook (one row per assessed: rank, name, unit, total, grade). */
  async function reportToXlsx(c: Caller, roundId: string): Promise<ExportSpec<{ rank: number; name: string; unit: string; total: number; grade: string }>> {
    const info = await reportTo(c, roundId);
    if (info.stage !== 'closed') throw conflictOf('wrong_stage', 'the results are reported once the round has closed');
    const access = await roundFor(c, roundId);
    const d = access.round.definition;
    const bandName = new Map(d.bands.map((b) => [b.key, b.name]));
    const rows = await c.em.execute<{ rank: number; name: string; unit_name: string; total: string; band: string }[]>(
      `select s.rank, s.name, u.name unit_name, s.total, s.band from assessment_subject s join administrative_unit u on u.id = s.unit_id
        where s.round_id = ? order by s.rank, s.name`, [roundId]);
    return {
      fileName: `${d.name}结果报送`, title: `${access.round.unit_name}${access.round.period}${d.name}结果（报送${info.addressee}）`,
      filters: [{ label: '报送单位', value: info.addressee }, { label: '评价周期', value: access.round.period }],
      columns: [
        { header: '名次', value: (x) => x.rank, format: 'integer', width: 8 },
        { header: '名称', value: (x) => x.name, width: 36 },
        { header: '所在社区／网格', value: (x) => x.unit, width: 30 },
        { header: '总分', value: (x) => x.total, format: 'decimal', width: 10 },
        { header: '等次', value: (x) => x.grade, width: 10 },
      ],
      pages: (async function* () {
        yield rows.map((x) => ({ rank: x.rank, name: x.name, unit: x.unit_name, total: Number(x.total), grade: bandName.get(x.band) ?? x.band }));
      })(),
      now: deps.clock.now(),
    };
  }

  /** Records that the report went to the body: when, by whom, with a note (a document number, how it was sent). */
  async function markSent(c: Caller, roundId: string, body: { note?: string }) {
    const info = await reportTo(c, roundId);
    if (!info.ready) throw conflictOf('report_not_ready', 'the report is printed when the round closes');
    if (info.sentAt) throw conflictOf('already_sent', `the report was sent on ${info.sentAt}`);
    await c.em.transactional(async (tx) => {
      await tx.execute('update assessment_round set regulator_sent_at = ?, regulator_sent_by = ?, regulator_sent_note = ? where id = ?',
        [deps.clock.now(), c.principal.accountId, body.note?.trim() || null, roundId]);
      await recordAudit(tx as EntityManager, { actor: actor(c), action: 'assessment_round.report_sent', entityType: 'assessment_round', entityId: roundId,
        after: { addressee: info.addressee, note: body.note?.trim() || null } });
    });
    return reportTo(c, roundId);
  }

  return { offlineCounts, enterOffline, reviews, review, reportTo, reportToPdf, reportToXlsx, markSent };
}
