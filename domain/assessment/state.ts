// Where a round and an assessed person or unit stand, and the rules behind the updates'
// validators: a refusal says why (its type becomes the ApplicationFailure type, the API maps it
// to 409/403/400). Pure and deterministic (the workflow bundle imports it).
import { castsVote, entriesProblems, type Entry, type SchemeDefinition, type SourceKind } from './rules.ts';
import type { NominationEntry } from './votes.ts';
import type { ErrorDetail } from '../errors.ts';
import type { ObjectionState } from './objections.ts';

/** nomination and review come first only when the scheme has a nomination stage. */
export const ROUND_STAGES = ['nomination', 'review', 'scoring', 'grading', 'sign_off', 'publicity', 'closed'] as const;
export type RoundStage = (typeof ROUND_STAGES)[number];

export interface RoundState {
  stage: RoundStage;
  /** Index into the scheme's sign-off chain of the step that is due. */
  signOffStep: number;
  signedBy: { role: string; accountId: string; at: number }[];
  escalations: number;
  revision: number;
  /** Schemes with a nomination stage: the candidates proposed, in order, and the department's decisions. */
  nominations?: NominationEntry[];
  /** 公示 objections (schemes with `objections` only). */
  objections: ObjectionState[];
}

export const initialRoundState = (): RoundState => ({ stage: 'scoring', signOffStep: 0, signedBy: [], escalations: 0, revision: 0, objections: [] });

export interface Refusal { type: 'WrongStage' | 'WrongRole' | 'Invalid' | 'AlreadyVoted' | 'AlreadyNominated' | 'Unknown'; message: string; details?: ErrorDetail[] }

export interface SignOff { role: 'street_committee' | 'org_department' | 'admin'; accountId: string }

export function signOffRefusal(d: SchemeDefinition, s: RoundState, a: SignOff): Refusal | null {
  if (s.stage !== 'sign_off') return { type: 'WrongStage', message: `the round is at ${s.stage}, not sign-off` };
  const due = d.signOff[s.signOffStep]!;
  if (a.role !== due && a.role !== 'admin') return { type: 'WrongRole', message: `step ${s.signOffStep + 1} is signed by ${due}` };
  return null;
}

export interface SubjectState {
  open: boolean;
  /** Who has filed, as `source:accountId` (a later filing of the same scorer replaces the earlier). */
  filed: string[];
  revision: number;
  /** Schemes with a first review only: where each filing of the reviewed source stands, by `source:accountId`. */
  reviews?: Record<string, ReviewStatus>;
}

export type ReviewStatus = 'pending' | 'confirmed' | 'returned';
/** The first reviewer's decision on one filing (街道初审): confirm it, or return it to its filer with a reason. */
export interface Review { filer: string; decision: 'confirm' | 'return'; reason: string | null; accountId: string }

export function reviewRefusal(d: SchemeDefinition, s: SubjectState, r: Review): Refusal | null {
  if (!d.firstReview) return { type: 'WrongStage', message: 'this scheme has no first review' };
  if (!s.open) return { type: 'WrongStage', message: 'scoring of this round is closed' };
  const status = s.reviews?.[r.filer];
  if (status !== 'pending') return { type: 'WrongStage', message: status ? `the filing is ${status} already` : 'no such filing awaits review' };
  if (r.decision === 'return' && !r.reason?.trim()) return { type: 'Invalid', message: 'say why', details: [{ field: 'body.reason', rule: 'is required to return' }] };
  return null;
}

export function applyReview(s: SubjectState, r: Review): void {
  s.reviews![r.filer] = r.decision === 'confirm' ? 'confirmed' : 'returned';
  s.revision += 1;
}

export interface Filing { source: SourceKind; accountId: string; entries: Record<string, Entry> }

export function filingRefusal(d: SchemeDefinition, s: SubjectState, subjectAccountId: string | null, f: Filing): Refusal | null {
  if (!s.open) return { type: 'WrongStage', message: 'scoring of this round is closed' };
  if (f.source === 'self' && subjectAccountId && f.accountId !== subjectAccountId) return { type: 'WrongRole', message: 'only the assessed scores themselves' };
  if (f.source === 'peers' && f.accountId === subjectAccountId) return { type: 'WrongRole', message: 'a peer does not score themselves' };
  // A vote is cast once: never replaced, never doubled (a filing of a source that votes counts as its vote).
  if (castsVote(d, f.source) && s.filed.includes(`${f.source}:${f.accountId}`)) return { type: 'AlreadyVoted', message: 'this voter has voted for this subject already' };
  const details = entriesProblems(d, f.source, f.entries);
  if (details.length) return { type: 'Invalid', message: 'the scores cannot be accepted', details };
  return null;
}

export function applyFiling(s: SubjectState, f: Filing, d?: SchemeDefinition): void {
  const key = `${f.source}:${f.accountId}`;
  if (!s.filed.includes(key)) s.filed.push(key);
  // A filing (again) of the reviewed source waits for the reviewer, a returned one included.
  if (d?.firstReview?.source === f.source) (s.reviews ??= {})[key] = 'pending';
  s.revision += 1;
}
