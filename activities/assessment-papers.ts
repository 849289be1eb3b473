// The papers of each assessed person or unit of a round (issue 19, a scheme's outputs.papers): the
// data of its 考核评分表 (sections, indicators, what each source gave, the rates' counts or 无数据, the
// total, band and rank, the sign-off chain's blocks) and of its 考核结果通知书 (result, pay-grade move,
// bonus, 评先树优, 公示 and how to object), for the report pipeline; and the PDFs' SHA-256 on the subject.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { clockOf, type Clock } from '../domain/clock.ts';
import { departmentIssuer } from '../domain/documents/issuer.ts';
import { DAY_MS, shanghaiDate } from '../domain/time.ts';
import type { Filing, RateCount, SchemeDefinition } from '../domain/assessment/rules.ts';
import { PAPER_REPORT_TYPES, rescaledNote, sheetSections, type PaperKind } from '../domain/assessment/papers.ts';
import type { ReportRequest } from '../domain/reports/contracts.ts';
import type { AssessmentScoreSheetData } from '../reports/contracts/assessment-score-sheet.ts';
import type { AssessmentResultNoticeData } from '../reports/contracts/assessment-result-notice.ts';

const SOURCE_NAMES: Record<string, string> = {
  self: '本人自评', peers: '同事互评', residents: '群众评议', supervisor: '上级党组织', department: '组织部门', party_reps: '党员代表',
};
const SIGNER_NAMES: Record<string, string> = { street_committee: '街道党工委', org_department: '组织部门' };

interface PaperSubject {
  id: string; name: string; unit_name: string; total: string | null; rank: number | null; band: string | null; capped: boolean; corrected: boolean;
  by_indicator: Record<string, number> | null; rates: Record<string, RateCount> | null; no_data: string[] | null;
  pay_grade_before: number | null; pay_grade_after: number | null; bonus: number | null; honoured: boolean;
}
interface PaperRound { unit_id: string; region: string; period: string; definition: SchemeDefinition; publicity_at: Date | null }

export function createAssessmentPaperActivities(deps: { orm: MikroORM; clock?: Clock; publicBaseUrl?: string }) {
  const clock = deps.clock ?? clockOf(deps.orm.em);
  const fork = () => deps.orm.em.fork() as EntityManager;

  async function load(em: EntityManager, roundId: string, subjectId: string) {
    const [round] = await em.execute<PaperRound[]>(
      `select r.unit_id, u.name region, r.period, v.definition, r.publicity_at from assessment_round r join administrative_unit u on u.id = r.unit_id
         join assessment_scheme_version v on v.scheme_id = r.scheme_id and v.version = r.version where r.id = ?`, [roundId]);
    const [subject] = await em.execute<PaperSubject[]>(
      `select s.id, s.name, u.name unit_name, s.total, s.rank, s.band, s.capped, s.corrected, s.by_indicator, s.rates, s.no_data, s.pay_grade_before,
          s.pay_grade_after, s.bonus, s.honoured from assessment_subject s join administrative_unit u on u.id = s.unit_id where s.id = ? and s.round_id = ?`,
      [subjectId, roundId]);
    if (!round || !subject) throw new Error(`assessment subject ${subjectId} of round ${roundId} is not recorded`);
    const [{ n }] = (await em.execute<{ n: string }[]>('select count(*) n from assessment_subject where round_id = ?', [roundId])) as [{ n: string }];
    const issuer = await departmentIssuer(em, round.unit_id);
    return { round, subject, of: Number(n), issuer };
  }

  /** Why the band is not the one the total reaches: the top band's cap, or an upheld objection. */
  const gradeNoteOf = (d: SchemeDefinition, s: PaperSubject) => {
    if (s.corrected) return '经公示异议复核，结果已更正。';
    if (!s.capped) return null;
    const top = d.bands[0]!;
    return `总分达到${top.name}分数线，因${top.name}等次比例限制（${Math.round((top.maxShare ?? 1) * 100)}%）评为${d.bands[1]!.name}。`;
  };

  async function scoreSheet(em: EntityManager, roundId: string, subjectId: string, at: number): Promise<ReportRequest> {
    const { round, subject: s, of, issuer } = await load(em, roundId, subjectId);
    const d = round.definition;
    // With a first review, only the reviewed source's confirmed filings counted (as in scoreAssessedSubject).
    const filings = await em.execute<Filing[]>(
      `select source, entries from assessment_filing where subject_id = ? and (source <> coalesce(?, '') or review_status = 'confirmed')`,
      [subjectId, d.firstReview?.source ?? null]);
    const signers = await em.execute<{ role: string; display_name: string; signed_at: Date }[]>(
      'select o.role, a.display_name, o.signed_at from assessment_sign_off o join account a on a.id = o.account_id where o.round_id = ? order by o.step',
      [roundId]);
    const noData = s.no_data ?? [];
    const roleName = (role: string) => (role === 'org_department' ? (issuer?.name ?? '组织部门') : SIGNER_NAMES[role] ?? role);
    const data: AssessmentScoreSheetData = {
      scheme: d.name, period: round.period, region: round.region, subject: { name: s.name, unit: s.unit_name },
      sources: d.sources.map((x) => ({ name: SOURCE_NAMES[x.kind]!, percent: x.weight, filings: filings.filter((f) => f.source === x.kind).length })),
      sections: sheetSections(d, filings, s.by_indicator, s.rates, noData),
      rescaled: rescaledNote(d, noData),
      totalScore: Number(s.total ?? 0), grade: d.bands.find((b) => b.key === s.band)?.name ?? s.band ?? '—', rank: s.rank ?? of, of,
      gradeNote: gradeNoteOf(d, s),
      decidedOn: shanghaiDate(new Date(signers.at(-1)?.signed_at ?? at)),
      // The chain as signed in the service (who and when); each block keeps room for the hand signature and the seal.
      signatures: signers.length
        ? signers.map((x) => ({ role: roleName(x.role), signer: x.display_name, date: shanghaiDate(new Date(x.signed_at)), decision: '同意。', seal: true }))
        : d.signOff.map((r) => ({ role: roleName(r), signer: null, date: null, decision: null, seal: true })),
    };
    return { type: PAPER_REPORT_TYPES.score_sheet, data, meta: { issuingUnit: issuer?.name ?? round.region, sealCaption: issuer?.sealCaption },
      subjectType: 'assessment_subject', subjectId, createdBy: `workflow:assessment-round/${roundId}` };
  }

  async function resultNotice(em: EntityManager, roundId: string, subjectId: string, at: number, publicityEndsAt: number | null): Promise<ReportRequest> {
    const { round, subject: s, of, issuer } = await load(em, roundId, subjectId);
    const d = round.definition;
    const start = round.publicity_at ? new Date(round.publicity_at).getTime() : at;
    // 公示's last day: the day its end (the workflow's, else publicityDays from its start) falls on, less a moment (an end at midnight is the day before's).
    const until = shanghaiDate(new Date((publicityEndsAt ?? start + d.publicityDays * DAY_MS) - 1));
    const base = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
    const data: AssessmentResultNoticeData = {
      scheme: d.name, period: round.period, region: round.region, addressee: s.name, unit: s.unit_name,
      totalScore: Number(s.total ?? 0), grade: d.bands.find((b) => b.key === s.band)?.name ?? s.band ?? '—', rank: s.rank ?? of, of,
      gradeNote: gradeNoteOf(d, s),
      payGrade: s.pay_grade_before !== null && s.pay_grade_after !== null ? { before: s.pay_grade_before, after: s.pay_grade_after } : null,
      bonusYuan: d.outputs.bonus ? Number(s.bonus ?? 0) : null,
      honoured: d.outputs.honourBands?.length ? s.honoured : null,
      publicity: d.publicityDays > 0 ? {
        days: d.publicityDays, until,
        objections: d.objections ? { publicUrl: base ? `${base}/public/assessment-objections/${roundId}` : null, contact: issuer?.name ?? '组织部门' } : null,
      } : null,
      issuedOn: shanghaiDate(new Date(at)),
    };
    return { type: PAPER_REPORT_TYPES.result_notice, data, meta: { issuingUnit: issuer?.name ?? round.region, sealCaption: issuer?.sealCaption },
      subjectType: 'assessment_subject', subjectId, createdBy: `workflow:assessment-round/${roundId}` };
  }

  return {
    /** One paper's report request of one assessed (the results as they stand now). */
    async prepareAssessmentPaper(input: { roundId: string; subjectId: string; kind: PaperKind; at?: number; publicityEndsAt?: number | null }):
      Promise<ReportRequest> {
      const at = input.at ?? clock.now().getTime();
      return input.kind === 'score_sheet' ? scoreSheet(fork(), input.roundId, input.subjectId, at)
        : resultNotice(fork(), input.roundId, input.subjectId, at, input.publicityEndsAt ?? null);
    },

    /** The printed papers' SHA-256 on their subjects (a retry writes the same). */
    async recordAssessmentPapers(input: { roundId: string; kind: PaperKind; papers: { subjectId: string; sha256: string }[] }): Promise<void> {
      const column = input.kind === 'score_sheet' ? 'score_sheet_sha256' : 'notice_sha256';
      const em = fork();
      for (const p of input.papers) {
        await em.execute(`update assessment_subject set ${column} = ? where id = ? and round_id = ?`, [p.sha256, p.subjectId, input.roundId]);
      }
      await em.execute('update assessment_round set revision = revision + 1 where id = ?', [input.roundId]);
    },
  };
}
