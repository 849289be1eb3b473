// Votes, texts and nominations of assessment schemes (issue 19: 最美网格员, 述职评议). A `vote`
// indicator is scored by the votes of the sources it names (residents, 党员代表, peers, the
// department…): each voter picks one option, each option has a score, and the indicator's share
// is the mean of the scores over the best option's; a voter votes once per assessed subject.
// A `text` indicator is a report the assessed files (述职), with the answers to the questions the
// scheme requires (必答题); it weighs 0: the voters judge it through the scheme's vote indicators.
// A nomination stage (optional) comes before scoring: nominators propose candidates with a
// reason, the department accepts or refuses each with a reason, the accepted are the round's
// subjects. Pure and deterministic (the workflow bundle imports it).
import type { ErrorDetail } from '../errors.ts';

export interface VoteOption { label: string; score: number }

/** Who may nominate candidates: community or street staff over the candidate, residents through the public page. */
export const NOMINATORS = ['community_committee', 'street_committee', 'residents'] as const;
export type Nominator = (typeof NOMINATORS)[number];

export interface NominationStage {
  by: Nominator[];
  /** Days from the round's start nominations are taken. */
  days: number;
  /** Days the department has to decide every nomination before it is reminded (again every such period). */
  reviewDays: number;
  /** Most candidates one nominator proposes (absent = no limit). */
  perNominator?: number;
}

export const MAX_TEXT = 20_000;
export const MAX_ANSWER = 5_000;
export const MAX_REASON = 500;

const isNum = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** The problems of a vote indicator's options and voters (`f` is its field). */
export function voteIndicatorProblems(f: string, ind: { options?: VoteOption[]; voters?: string[] }, sourceKinds: Set<string>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const options = ind.options ?? [];
  if (options.length < 2 || options.length > 10) out.push({ field: `${f}.options`, rule: 'needs 2 to 10 options' });
  const labels = new Set<string>();
  options.forEach((o, k) => {
    if (!o.label?.trim() || o.label.length > 20) out.push({ field: `${f}.options[${k}].label`, rule: 'must be 1 to 20 characters' });
    else if (labels.has(o.label.trim())) out.push({ field: `${f}.options[${k}].label`, rule: 'is used twice' });
    labels.add(o.label?.trim());
    if (!isNum(o.score) || o.score < 0 || o.score > 100) out.push({ field: `${f}.options[${k}].score`, rule: 'must be 0–100' });
  });
  if (options.length && !options.some((o) => isNum(o.score) && o.score > 0)) out.push({ field: `${f}.options`, rule: 'one option at least must score above 0' });
  const voters = ind.voters ?? [];
  if (!voters.length) out.push({ field: `${f}.voters`, rule: 'needs at least one source that votes' });
  voters.forEach((v, k) => {
    if (!sourceKinds.has(v)) out.push({ field: `${f}.voters[${k}]`, rule: 'must be one of the scheme\'s sources' });
  });
  if (new Set(voters).size !== voters.length) out.push({ field: `${f}.voters`, rule: 'names a source twice' });
  return out;
}

/** The problems of a text indicator (weight 0; its required questions). */
export function textIndicatorProblems(f: string, ind: { weight: number; prompts?: string[]; minLength?: number }, sourceKinds: Set<string>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (ind.weight !== 0) out.push({ field: `${f}.weight`, rule: 'a text weighs 0 (its readers judge it through vote indicators)' });
  if (!sourceKinds.has('self')) out.push({ field: `${f}.rule`, rule: 'a text is filed by the assessed: it needs the self source' });
  (ind.prompts ?? []).forEach((p, k) => {
    if (!p?.trim() || p.length > 300) out.push({ field: `${f}.prompts[${k}]`, rule: 'must be 1 to 300 characters' });
  });
  if ((ind.prompts ?? []).length > 20) out.push({ field: `${f}.prompts`, rule: 'at most 20 required questions' });
  if (ind.minLength !== undefined && (!Number.isInteger(ind.minLength) || ind.minLength < 1 || ind.minLength > 5000))
    out.push({ field: `${f}.minLength`, rule: 'must be 1–5000 characters' });
  return out;
}

export function nominationProblems(n: NominationStage | undefined): ErrorDetail[] {
  if (n === undefined) return [];
  const out: ErrorDetail[] = [];
  if (!n.by?.length) out.push({ field: 'nomination.by', rule: 'needs at least one kind of nominator' });
  (n.by ?? []).forEach((b, i) => {
    if (!NOMINATORS.includes(b)) out.push({ field: `nomination.by[${i}]`, rule: `must be one of ${NOMINATORS.join(', ')}` });
  });
  if (!Number.isInteger(n.days) || n.days < 1 || n.days > 60) out.push({ field: 'nomination.days', rule: 'must be 1–60 days' });
  if (!Number.isInteger(n.reviewDays) || n.reviewDays < 1 || n.reviewDays > 60) out.push({ field: 'nomination.reviewDays', rule: 'must be 1–60 days' });
  if (n.perNominator !== undefined && (!Number.isInteger(n.perNominator) || n.perNominator < 1)) out.push({ field: 'nomination.perNominator', rule: 'must be 1 or more' });
  return out;
}

/** A vote's problem (`choice` an option's index), or null. */
export const choiceProblem = (options: VoteOption[], choice: unknown): string | null =>
  Number.isInteger(choice) && (choice as number) >= 0 && (choice as number) < options.length ? null : `must choose an option 0–${options.length - 1}`;

/** A text's problems: long enough, every required question answered. */
export function textProblems(f: string, ind: { prompts?: string[]; minLength?: number }, e: { text?: unknown; answers?: unknown }): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const min = ind.minLength ?? 1;
  if (typeof e.text !== 'string' || e.text.trim().length < min || e.text.length > MAX_TEXT) {
    out.push({ field: `${f}.text`, rule: `must be ${min} to ${MAX_TEXT} characters` });
  }
  const prompts = ind.prompts ?? [];
  const answers = Array.isArray(e.answers) ? e.answers : [];
  if (answers.length !== prompts.length) out.push({ field: `${f}.answers`, rule: `must answer each of the ${prompts.length} required questions` });
  prompts.forEach((_, k) => {
    const a = answers[k];
    if (answers.length === prompts.length && (typeof a !== 'string' || !a.trim() || a.length > MAX_ANSWER)) {
      out.push({ field: `${f}.answers[${k}]`, rule: `must be answered (1 to ${MAX_ANSWER} characters)` });
    }
  });
  return out;
}

/** A vote's value 0–1: its option's score over the best option's. */
export function voteValue(options: VoteOption[], choice: number): number {
  const best = Math.max(...options.map((o) => o.score));
  return best > 0 ? (options[choice]?.score ?? 0) / best : 0;
}

export type NominationStatus = 'pending' | 'accepted' | 'refused';
export interface Candidate { accountId: string | null; unitId: string; name: string }
export interface Nominate { by: { kind: Nominator; accountId: string }; candidate: Candidate; reason: string }
export interface NominationEntry extends Nominate { id: string; status: NominationStatus; decisionReason: string | null }
export interface ReviewDecision { nominationId: string; decision: 'accept' | 'refuse'; reason?: string; accountId: string }

/** A person with an account, or a person named in a unit (a 楼栋长 without an account). */
const candidateKey = (c: Candidate) => c.accountId ?? `unit:${c.unitId}:${c.name.trim()}`;

/** Why a nomination is refused at once, or null. */
type Problem<T extends string> = { type: T; message: string; details?: ErrorDetail[] } | null;

export function nominateProblem(n: NominationStage, list: NominationEntry[], a: Nominate): Problem<'WrongRole' | 'Invalid' | 'AlreadyNominated'> {
  if (!n.by.includes(a.by.kind)) return { type: 'WrongRole', message: `this scheme takes no nominations from ${a.by.kind}` };
  const reason = a.reason?.trim() ?? '';
  if (reason.length < 5 || reason.length > MAX_REASON) {
    return { type: 'Invalid', message: 'the nomination needs a reason', details: [{ field: 'reason', rule: `must be 5 to ${MAX_REASON} characters` }] };
  }
  if (list.some((x) => candidateKey(x.candidate) === candidateKey(a.candidate))) {
    return { type: 'AlreadyNominated', message: `${a.candidate.name} is nominated already` };
  }
  const mine = list.filter((x) => x.by.kind === a.by.kind && x.by.accountId === a.by.accountId).length;
  if (n.perNominator !== undefined && mine >= n.perNominator) return { type: 'Invalid', message: `one nominator proposes at most ${n.perNominator}`,
    details: [{ field: 'candidate', rule: `at most ${n.perNominator} per nominator` }] };
  return null;
}

/** Why a review decision is refused at once, or null. */
export function reviewProblem(list: NominationEntry[], r: ReviewDecision): Problem<'Unknown' | 'Invalid'> {
  if (!list.some((x) => x.id === r.nominationId)) return { type: 'Unknown', message: 'no such nomination' };
  if (r.decision !== 'accept' && r.decision !== 'refuse') return { type: 'Invalid', message: 'accept or refuse', details: [{ field: 'decision', rule: 'must be accept or refuse' }] };
  if (r.decision === 'refuse' && ((r.reason ?? '').trim().length < 2 || (r.reason ?? '').length > MAX_REASON)) {
    return { type: 'Invalid', message: 'a refusal says why', details: [{ field: 'reason', rule: `is required to refuse (2 to ${MAX_REASON} characters)` }] };
  }
  return null;
}
