// The residents' source of an assessment round through the survey module (issue 19): each assessed subject has a
// survey (purpose assessment_residents) whose questions are the scheme's residents' indicators — a 1–5 rating per
// `survey` indicator, a choice among the options per `vote` indicator residents vote in — answered on the public
// phone page with one-time codes (one answer per code). When scoring closes, the answers (and the paper
// questionnaires the department typed in as 线下) become the residents' filings the totals are computed from:
// each answer is one resident's filing, so the residents' share of an indicator is the mean of the answers.
// Pure and deterministic.
import type { ErrorDetail } from '../errors.ts';
import type { Answers, Questionnaire } from '../surveys/contracts.ts';
import { indicatorsOf, scoredBy, type Entry, type Filing, type Indicator, type SchemeDefinition } from './rules.ts';

export const MAX_OFFLINE_RESPONDENTS = 10_000;
export const MAX_OFFLINE_NOTE = 500;
const COMMENT = 'comment';

/** The indicators residents answer (survey questions, votes with residents among the voters). */
export const residentIndicators = (d: SchemeDefinition): Indicator[] =>
  d.sources.some((s) => s.kind === 'residents') ? indicatorsOf(d).filter((i) => scoredBy(i, 'residents')) : [];

/** Whether the scheme takes anything from residents (the round page offers codes then). */
export const hasResidents = (d: SchemeDefinition): boolean => residentIndicators(d).length > 0;

/** The questionnaire residents answer for one assessed subject: one question per residents' indicator, and a comment. */
export function residentsQuestionnaire(d: SchemeDefinition): Questionnaire {
  const questions: Questionnaire['questions'] = residentIndicators(d).map((i) => i.rule === 'vote'
    ? { key: i.key, text: i.name, kind: 'choice' as const, required: true, options: (i.options ?? []).map((o) => o.label) }
    : { key: i.key, text: i.question ?? i.name, kind: 'rating' as const, required: true });
  if (!questions.some((q) => q.key === COMMENT)) questions.push({ key: COMMENT, text: '意见建议', kind: 'text', required: false });
  return { questions };
}

/** Paper questionnaires (线下) of one subject: how many people answered, their mean per rating, their votes per option. */
export interface OfflineResidents { respondents: number; means: Record<string, number>; votes: Record<string, number[]>; note: string }

/** What is wrong with a 线下 entry (fields under body.). */
export function offlineResidentsProblems(d: SchemeDefinition, o: OfflineResidents): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const n = o.respondents;
  if (!Number.isInteger(n) || n < 1 || n > MAX_OFFLINE_RESPONDENTS) out.push({ field: 'body.respondents', rule: `must be a whole number from 1 to ${MAX_OFFLINE_RESPONDENTS}` });
  const note = o.note?.trim() ?? '';
  if (note.length < 2 || note.length > MAX_OFFLINE_NOTE) out.push({ field: 'body.note', rule: `must say where the answers come from (2 to ${MAX_OFFLINE_NOTE} characters)` });
  const inds = residentIndicators(d);
  for (const key of [...Object.keys(o.means ?? {}), ...Object.keys(o.votes ?? {})]) {
    if (!inds.some((i) => i.key === key)) out.push({ field: `body.${key in (o.means ?? {}) ? 'means' : 'votes'}.${key}`, rule: 'is not a residents\' indicator of the scheme' });
  }
  for (const i of inds) {
    if (i.rule === 'vote') {
      const v = o.votes?.[i.key];
      const f = `body.votes.${i.key}`;
      if (!Array.isArray(v) || v.length !== (i.options ?? []).length || v.some((x) => !Number.isInteger(x) || x < 0)) {
        out.push({ field: f, rule: `must give the votes of each of the ${(i.options ?? []).length} options (whole numbers)` });
      } else if (Number.isInteger(n) && v.reduce((a, x) => a + x, 0) !== n) out.push({ field: f, rule: `must add up to the ${n} respondents` });
    } else {
      const m = o.means?.[i.key];
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 1 || m > 5) out.push({ field: `body.means.${i.key}`, rule: 'must be a mean answer from 1 to 5' });
    }
  }
  return out;
}

/** One answer's entries: its rating per survey indicator, its option's index per vote. Unanswered or unknown options are left out. */
function answerEntries(inds: Indicator[], a: Answers): Record<string, Entry> {
  const entries: Record<string, Entry> = {};
  for (const i of inds) {
    const v = a[i.key];
    if (i.rule === 'vote') {
      const choice = (i.options ?? []).findIndex((o) => o.label === v);
      if (choice >= 0) entries[i.key] = { choice };
    } else if (typeof v === 'number' && v >= 1 && v <= 5) entries[i.key] = { mean: v };
  }
  return entries;
}

/**
 * The residents' filings of one subject: one per answer, and the 线下 respondents as that many more (a rating at
 * their mean, the votes as counted), so the residents' share of each indicator is the mean over everybody who answered.
 */
export function residentFilings(d: SchemeDefinition, answers: Answers[], offline: OfflineResidents | null): Filing[] {
  const inds = residentIndicators(d);
  const out: Filing[] = answers.map((a) => ({ source: 'residents' as const, entries: answerEntries(inds, a) }))
    .filter((f) => Object.keys(f.entries).length > 0);
  if (offline) {
    for (let k = 0; k < offline.respondents; k++) {
      const entries: Record<string, Entry> = {};
      for (const i of inds) {
        if (i.rule === 'vote') {
          // The k-th respondent's vote: walk the options' counts.
          let seen = 0;
          const choice = (offline.votes[i.key] ?? []).findIndex((c) => (seen += c) > k);
          if (choice >= 0) entries[i.key] = { choice };
        } else if (offline.means[i.key] !== undefined) entries[i.key] = { mean: offline.means[i.key]! };
      }
      out.push({ source: 'residents', entries });
    }
  }
  return out;
}

/** What the round page shows of one subject's residents once counted: answers, and per indicator the mean or the votes per option. */
export interface ResidentsTally {
  answered: number;
  offline: number;
  means: Record<string, number | null>;
  votes: Record<string, number[]>;
}

export function residentsTally(d: SchemeDefinition, answers: Answers[], offline: OfflineResidents | null): ResidentsTally {
  const inds = residentIndicators(d);
  const filings = residentFilings(d, answers, offline);
  const means: Record<string, number | null> = {};
  const votes: Record<string, number[]> = {};
  for (const i of inds) {
    const given = filings.map((f) => f.entries[i.key]).filter((e): e is Entry => e !== undefined);
    if (i.rule === 'vote') {
      votes[i.key] = (i.options ?? []).map((_, k) => given.filter((e) => (e as { choice: number }).choice === k).length);
    } else {
      means[i.key] = given.length ? Math.round((given.reduce((a, e) => a + (e as { mean: number }).mean, 0) / given.length) * 100) / 100 : null;
    }
  }
  return { answered: answers.length, offline: offline?.respondents ?? 0, means, votes };
}
