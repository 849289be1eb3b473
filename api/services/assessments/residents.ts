// The residents' source of a round through the survey module (issue 19), the department's side: one-time codes per
// assessed subject (a batch for every subject as an Excel of slips to print, or one subject's codes, a roster's sent
// by SMS), the response rates (answers / codes issued) per subject, and paper questionnaires typed in as 线下 (with
// a note, audited) that add to the answers. Once codes are issued the round's residents answer only with codes: the
// department's typed residents' filings are refused from then on (and codes are refused over typed filings).
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../../domain/audit/record.ts';
import { badRequest, conflictOf, notFound } from '../../../domain/errors.ts';
import { MAX_CODES_PER_BATCH } from '../../../domain/surveys/contracts.ts';
import { responseRate } from '../../../domain/surveys/rules.ts';
import {
  hasResidents, offlineResidentsProblems, residentIndicators, residentsQuestionnaire, type OfflineResidents, type ResidentsTally,
} from '../../../domain/assessment/residents.ts';
import { issueCodes, type IssueCodesBody } from '../surveys/codes.ts';
import type { ExportSpec } from '../export/xlsx.ts';
import { roundFor, type AssessmentDeps, type Caller, type RoundAccess } from './access.ts';

const PURPOSE = 'assessment_residents';
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
/** The public page residents answer on (the API answers a browser there with the page). */
export const residentsPath = (roundId: string) => `/public/assessment-residents/${roundId}`;

export interface SlipsBody { count: number; subjectIds?: string[] }
export interface OfflineResidentsBody { respondents: number; means?: Record<string, number>; votes?: Record<string, number[]>; note: string }
export type Slip = { subject: string; unit: string; serial: number; code: string; link: string };

export function createResidentsService(deps: AssessmentDeps) {
  async function departmentRound(c: Caller, roundId: string): Promise<RoundAccess> {
    const access = await roundFor(c, roundId);
    if (!access.department) throw notFound('assessment round');
    if (!hasResidents(access.round.definition)) {
      throw conflictOf('no_residents', 'this round\'s scheme takes nothing from residents (no survey indicator, no vote residents cast)');
    }
    return access;
  }

  const subjectsOf = (em: EntityManager, roundId: string) => em.execute<{ id: string; name: string; unit_name: string }[]>(
    `select s.id, s.name, u.name unit_name from assessment_subject s join administrative_unit u on u.id = s.unit_id
      where s.round_id = ? order by u.name, s.name`, [roundId]);

  /** Codes may be issued while scoring is open, over no typed residents' filing; the surveys get the scheme's questions. */
  async function openForCodes(c: Caller, access: RoundAccess, subjectIds: string[]) {
    if (access.round.stage !== 'scoring') throw conflictOf('wrong_stage', `codes are issued while scoring is open (the round is at ${access.round.stage})`);
    const [typed] = await c.em.execute<{ n: string }[]>(
      `select count(*) n from assessment_filing f join assessment_subject s on s.id = f.subject_id where s.round_id = ? and f.source = 'residents'`,
      [access.round.id]);
    if (Number(typed!.n) > 0) {
      throw conflictOf('residents_typed', `the department has typed residents' results for ${typed!.n} assessed already: this round cannot switch to codes`);
    }
    const questionnaire = JSON.stringify(residentsQuestionnaire(access.round.definition));
    const now = deps.clock.now();
    await c.em.transactional(async (tx) => {
      for (const id of subjectIds) {
        await tx.execute(`insert into survey (id, purpose, subject_id, mode, questionnaire, created_at, updated_at) values (?, ?, ?, 'codes', ?, ?, ?)
          on conflict (purpose, subject_id) do nothing`, [randomUUID(), PURPOSE, id, questionnaire, now, now]);
      }
      // Only the first batch writes the round's row (a later one does not hold it while its slips are printed).
      await tx.execute('update assessment_round set resident_codes = true where id = ? and not resident_codes', [access.round.id]);
    });
  }

  /**
   * A batch of codes for every subject named (all by default), as slips to print: one row per code with the subject and the link.
   * The codes exist only on the slips, so issuing and printing are one: the round's switch to codes, every subject's codes and
   * `print` (which resolves once the slips are in the department's hands) share one transaction, and a printout that fails
   * part-way issues nothing — no code nobody holds counts in a response rate's denominator, and a second try starts afresh.
   */
  async function slips(c: Caller, roundId: string, body: SlipsBody, origin: string, print: (spec: ExportSpec<Slip>) => Promise<void>) {
    const access = await departmentRound(c, roundId);
    const all = await subjectsOf(c.em, roundId);
    const chosen = body.subjectIds?.length ? all.filter((s) => body.subjectIds!.includes(s.id)) : all;
    const unknown = (body.subjectIds ?? []).findIndex((id) => !all.some((s) => s.id === id));
    if (unknown >= 0) throw badRequest('not an assessed of this round', [{ field: `body.subjectIds.${unknown}`, rule: 'is not assessed in this round' }]);
    if (!Number.isInteger(body.count) || body.count < 1 || body.count * chosen.length > MAX_CODES_PER_BATCH * 5) {
      throw badRequest('too many codes at once', [{ field: 'body.count', rule: `must be 1 or more, at most ${MAX_CODES_PER_BATCH * 5} codes in all` }]);
    }
    const link = `${origin}${residentsPath(roundId)}`;
    const d = access.round.definition;
    await c.em.transactional(async (tx) => {
      await openForCodes({ ...c, em: tx }, access, chosen.map((s) => s.id));
      const rows: Slip[] = [];
      for (const s of chosen) {
        const issued = await issueCodes(tx, c.principal, PURPOSE, s.id, { count: body.count }, false);
        rows.push(...issued.codes.map((x) => ({ subject: s.name, unit: s.unit_name, serial: x.serial, code: x.code, link })));
      }
      await print({
        fileName: `${d.name}群众评议测评码`,
        title: `${access.round.unit_name}${access.round.period}${d.name} 群众评议测评码（每码只能使用一次）`,
        filters: [{ label: '作答网址', value: link }, { label: '每个考核对象', value: `${body.count} 个` }],
        columns: [
          { header: '考核对象', value: (x) => x.subject, width: 24 },
          { header: '所在单位', value: (x) => x.unit, width: 24 },
          { header: '序号', value: (x) => x.serial, format: 'integer', width: 8 },
          { header: '测评码', value: (x) => x.code, width: 14 },
          { header: '作答网址（手机扫码或输入）', value: (x) => x.link, width: 60 },
        ],
        pages: (async function* () { yield rows; })(),
        now: deps.clock.now(),
      });
    });
  }

  /** Codes of one subject: a batch (shown once) or a roster's, sent by SMS when asked; the message names the page. */
  async function issueFor(c: Caller, roundId: string, subjectId: string, body: IssueCodesBody, sandboxed: boolean, origin: string) {
    const access = await departmentRound(c, roundId);
    if (!(await subjectsOf(c.em, roundId)).some((s) => s.id === subjectId)) throw notFound('assessed person or unit');
    await openForCodes(c, access, [subjectId]);
    return issueCodes(c.em, c.principal, PURPOSE, subjectId, body, sandboxed, `${origin}${residentsPath(roundId)}`);
  }

  /** Per subject: codes issued, sent and answered, the response rate, the 线下 entry, and (once scoring closed) the tally. */
  async function overview(c: Caller, roundId: string) {
    const access = await departmentRound(c, roundId);
    const rows = await c.em.execute<{
      id: string; name: string; unit_name: string; issued: string; used: string; sent: string; residents: ResidentsTally | null;
      respondents: number | null; means: Record<string, number> | null; votes: Record<string, number[]> | null; note: string | null;
      entered_by: string | null; entered_at: Date | null;
    }[]>(
      `select s.id, s.name, u.name unit_name, s.residents,
              (select count(*) from survey_code k join survey v on v.id = k.survey_id where v.purpose = ? and v.subject_id = s.id) issued,
              (select count(*) from survey_response x join survey v on v.id = x.survey_id where v.purpose = ? and v.subject_id = s.id) used,
              (select count(*) from survey_code k join survey v on v.id = k.survey_id left join notification_delivery d on d.survey_code_id = k.id
                where v.purpose = ? and v.subject_id = s.id and coalesce(k.sent_at, d.sent_at) is not null) sent,
              o.respondents, o.means, o.votes, o.note, a.display_name entered_by, o.entered_at
         from assessment_subject s join administrative_unit u on u.id = s.unit_id
         left join assessment_resident_offline o on o.subject_id = s.id left join account a on a.id = o.entered_by
        where s.round_id = ? order by u.name, s.name`, [PURPOSE, PURPOSE, PURPOSE, roundId]);
    const [flag] = await c.em.execute<{ resident_codes: boolean }[]>('select resident_codes from assessment_round where id = ?', [roundId]);
    return {
      roundId, codes: flag!.resident_codes, open: access.round.stage === 'scoring', path: residentsPath(roundId),
      indicators: residentIndicators(access.round.definition).map((i) => ({
        key: i.key, name: i.name, rule: i.rule as 'survey' | 'vote', question: i.question ?? null, options: (i.options ?? []).map((o) => o.label) })),
      subjects: rows.map((r) => ({
        subjectId: r.id, name: r.name, unitName: r.unit_name, issued: Number(r.issued), sent: Number(r.sent), answered: Number(r.used),
        responseRate: responseRate(Number(r.used), Number(r.issued)),
        offline: r.respondents === null ? null : { respondents: r.respondents, means: r.means ?? {}, votes: r.votes ?? {}, note: r.note!,
          enteredBy: r.entered_by ?? '', enteredAt: iso(r.entered_at)! },
        tally: r.residents,
      })),
    };
  }

  /** Paper questionnaires of one subject (线下): replaces the earlier entry, audited; only in a round answered with codes, while scoring is open. */
  async function enterOffline(c: Caller, roundId: string, subjectId: string, body: OfflineResidentsBody) {
    const access = await departmentRound(c, roundId);
    if (!(await subjectsOf(c.em, roundId)).some((s) => s.id === subjectId)) throw notFound('assessed person or unit');
    const entry: OfflineResidents = { respondents: body.respondents, means: body.means ?? {}, votes: body.votes ?? {}, note: body.note?.trim() ?? '' };
    const problems = offlineResidentsProblems(access.round.definition, entry);
    if (problems.length) throw badRequest('the paper questionnaires cannot be entered', problems);
    const [flag] = await c.em.execute<{ resident_codes: boolean }[]>('select resident_codes from assessment_round where id = ?', [roundId]);
    const noCodes = 'issue residents\' codes first: a round without codes takes the residents\' means as the department\'s filing';
    if (!flag!.resident_codes) throw conflictOf('no_codes', noCodes);
    await c.em.transactional(async (tx) => {
      // The subject's row is locked as the answers' are: closing scoring counts what is entered by then, nothing after.
      const [s] = await tx.execute<{ residents_closed_at: Date | null; stage: string }[]>(
        `select s.residents_closed_at, r.stage from assessment_subject s join assessment_round r on r.id = s.round_id
          where s.id = ? for update of s`, [subjectId]);
      if (s!.residents_closed_at || s!.stage !== 'scoring') throw conflictOf('wrong_stage', 'scoring of this round is closed');
      const [before] = await tx.execute<Record<string, unknown>[]>(
        'select respondents, means, votes, note from assessment_resident_offline where subject_id = ?', [subjectId]);
      await tx.execute(`insert into assessment_resident_offline (subject_id, respondents, means, votes, note, entered_by, entered_at)
        values (?, ?, ?, ?, ?, ?, ?)
        on conflict (subject_id) do update set respondents = excluded.respondents, means = excluded.means, votes = excluded.votes, note = excluded.note,
          entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
      [subjectId, entry.respondents, JSON.stringify(entry.means), JSON.stringify(entry.votes), entry.note, c.principal.accountId, deps.clock.now()]);
      await recordAudit(tx as EntityManager, { actor: { accountId: c.principal.accountId, label: c.principal.login }, action: 'assessment_residents.offline',
        entityType: 'assessment_subject', entityId: subjectId, before: before ?? null, after: { ...entry } });
    });
    return overview(c, roundId);
  }

  return { slips, issueFor, overview, enterOffline };
}
