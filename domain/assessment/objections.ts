// 公示 with objections and bonus amounts (issue 19): a scheme with `objections` takes objections
// during 公示 (the assessed, staff in the round's unit, residents through the public page); the
// department answers each (upheld with a corrected total/band or removal from the honour list,
// or dismissed with a reason); 公示 does not close while one is open, and the department is
// reminded when it has not answered within `answerDays`. Pure and deterministic (the workflow
// bundle imports it); a scheme without the field runs as before, so recorded histories replay.
import type { ErrorDetail } from '../errors.ts';
import type { GradeBand, SchemeDefinition } from './rules.ts';

export interface ObjectionRules {
  /** Days the department has to answer an objection before it is reminded (and again after as many days). */
  answerDays: number;
  /** Public objections (no account) one client may file in an hour. */
  publicPerHour?: number;
}

export const OBJECTION_FILERS = ['subject', 'staff', 'resident'] as const;
export type ObjectionFiler = (typeof OBJECTION_FILERS)[number];

export const OBJECTION_REASON_MAX = 1000;
export const DEFAULT_PUBLIC_PER_HOUR = 5;

/** What the workflow is told when someone files: the text stays in the database, not the history. */
export interface ObjectionFiled { objectionId: string; subjectId: string; filer: ObjectionFiler; accountId: string | null }

export interface ObjectionAnswer {
  objectionId: string;
  accountId: string;
  decision: 'upheld' | 'dismissed';
  reason: string;
  /** upheld: the corrected total (0–100) and/or band; or removal from the 评先树优 list. */
  correctedTotal?: number;
  correctedBand?: string;
  removeHonour?: boolean;
}

/** One objection as the round workflow holds it. */
export interface ObjectionState { id: string; subjectId: string; open: boolean; filedAt: number; remindAt: number; reminders: number }

const isNum = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** The scheme's objection and bonus fields (empty when absent or sound). */
export function objectionProblems(d: SchemeDefinition): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const o = d.objections;
  if (o !== undefined && o !== null) {
    if (!Number.isInteger(o.answerDays) || o.answerDays < 1 || o.answerDays > 30) out.push({ field: 'objections.answerDays', rule: 'must be 1–30 days' });
    if (o.publicPerHour !== undefined && (!Number.isInteger(o.publicPerHour) || o.publicPerHour < 1 || o.publicPerHour > 100))
      out.push({ field: 'objections.publicPerHour', rule: 'must be 1–100' });
    if (d.publicityDays < 1) out.push({ field: 'publicityDays', rule: 'objections need at least one day of 公示' });
  }
  const bands = new Set((d.bands ?? []).map((b) => b.key));
  for (const [k, v] of Object.entries(d.outputs?.bonus ?? {})) {
    if (!bands.has(k)) out.push({ field: `outputs.bonus.${k}`, rule: 'names no band' });
    if (!Number.isInteger(v) || v < 0 || v > 1_000_000) out.push({ field: `outputs.bonus.${k}`, rule: 'must be whole yuan from 0 to 1000000' });
  }
  return out;
}

/** 绩效奖金 of a band in yuan; null when the scheme pays no bonus. */
export const bonusOf = (d: SchemeDefinition, band: string): number | null => (d.outputs.bonus ? (d.outputs.bonus[band] ?? 0) : null);

/** Why an objection cannot be filed now (null when it can). `open`: 公示 is still running. */
export function fileObjectionRefusal(d: SchemeDefinition, stage: string, publicityOpen: boolean, subjects: string[], f: ObjectionFiled) {
  if (!d.objections) return { type: 'WrongStage' as const, message: 'this scheme takes no objections' };
  if (stage !== 'publicity' || !publicityOpen) return { type: 'WrongStage' as const, message: 'objections are taken during 公示 only' };
  if (!subjects.includes(f.subjectId)) return { type: 'Invalid' as const, message: 'names nobody assessed in this round', details: [{ field: 'subjectId', rule: 'is not assessed in this round' }] };
  return null;
}

/** The field problems of an answer, given the scheme's bands (empty when it can be recorded). */
export function answerProblems(bands: GradeBand[], a: ObjectionAnswer): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (a.decision !== 'upheld' && a.decision !== 'dismissed') out.push({ field: 'decision', rule: 'must be upheld or dismissed' });
  if (!a.reason?.trim()) out.push({ field: 'reason', rule: 'is required' });
  else if (a.reason.length > OBJECTION_REASON_MAX) out.push({ field: 'reason', rule: `must be at most ${OBJECTION_REASON_MAX} characters` });
  if (a.correctedTotal !== undefined && (!isNum(a.correctedTotal) || a.correctedTotal < 0 || a.correctedTotal > 100))
    out.push({ field: 'correctedTotal', rule: 'must be 0–100' });
  if (a.correctedBand !== undefined && !bands.some((b) => b.key === a.correctedBand)) out.push({ field: 'correctedBand', rule: 'names no band of the scheme' });
  const corrects = a.correctedTotal !== undefined || a.correctedBand !== undefined || a.removeHonour === true;
  if (a.decision === 'upheld' && !corrects) out.push({ field: 'decision', rule: 'an upheld objection corrects the total, the band or the honour list' });
  if (a.decision === 'dismissed' && corrects) out.push({ field: 'decision', rule: 'a dismissed objection corrects nothing' });
  return out;
}

export function answerRefusal(d: SchemeDefinition, objections: ObjectionState[], a: ObjectionAnswer) {
  const o = objections.find((x) => x.id === a.objectionId);
  if (!o) return { type: 'Invalid' as const, message: 'no such objection in this round', details: [{ field: 'objectionId', rule: 'names no objection of the round' }] };
  if (!o.open) return { type: 'WrongStage' as const, message: 'this objection has been answered already' };
  const details = answerProblems(d.bands, a);
  return details.length ? { type: 'Invalid' as const, message: 'the answer cannot be accepted', details } : null;
}

/**
 * The band a corrected total reaches, when the answer names no band: the first band whose
 * minimum it reaches (the cap is not applied again: an upheld objection is decided by hand).
 */
export function correctedBand(bands: GradeBand[], a: ObjectionAnswer, current: string): string {
  if (a.correctedBand) return a.correctedBand;
  if (a.correctedTotal === undefined) return current;
  return (bands.find((b) => a.correctedTotal! >= b.minScore) ?? bands[bands.length - 1]!).key;
}

/** The next time the workflow must wake: the end of 公示 while it runs, else the earliest reminder due. */
export function nextWake(publicityEnd: number, now: number, objections: ObjectionState[]): number | null {
  const open = objections.filter((o) => o.open);
  if (now >= publicityEnd && !open.length) return null;
  const due = open.length ? Math.min(...open.map((o) => o.remindAt)) : Infinity;
  return Math.min(now < publicityEnd ? publicityEnd : Infinity, due);
}
