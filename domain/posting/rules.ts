// The pure rules of the first-secretary posting cycle (第一书记): the cohort's settings, the
// dispatching unit's guarantees, the running tally (小考), the year-end assessment and ranking,
// which days count as check-ins, and who signs what. Plain functions and data, no I/O and no
// clock (callers pass "today"): safe inside the workflows, shared with the API and activities.
// The posting calendar (months, quarters, required days) is in calendar.ts.
import type { Role } from '../auth/roles.ts';
import { UNKNOWN_SETTING_RULE, unknownSettingKeys } from '../settings-keys.ts';
import { isDateString } from '../time.ts';
import { postingEndDate } from './calendar.ts';
import { DEFAULT_HOLIDAY_CALENDAR, type HolidayCalendar } from './holidays.ts';

// ── Settings. Posting rules of a cohort of first secretaries (第一书记), seed 003 (Dafang): one-year postings,
// at least 22 days a month in the community, head-of-unit visit every quarter, accident
// insurance >= 1,000,000 yuan and work funds >= 10,000 yuan. A department may change every
// number for its cohort; these are the defaults. Pure data: safe inside workflows.
export const GRADES = ['优秀', '称职', '基本称职', '不称职'] as const;
export type Grade = (typeof GRADES)[number];

export interface CohortSettings {
  /** 派驻时间: length of a posting in months. */
  lengthMonths: number;
  /** 每月在社区工作时间不少于 N 天. */
  daysPerMonth: number;
  /**
   * How daysPerMonth applies. 'fixed' (default): literally, every full month requires
   * daysPerMonth days in the community (the seed's 每月在社区工作时间不少于22天 counts days of
   * work in the community, not calendar working days), so a month with fewer working days is
   * made up on weekend days. 'cap', a department's choice: min(daysPerMonth, working days of
   * the month per holidayCalendar), so a Spring Festival month requires its working days.
   */
  shortMonthRule: 'cap' | 'fixed';
  holidayCalendar: HolidayCalendar;
  minInsuranceYuan: number;
  minWorkFundsYuan: number;
  /** 单位主要领导每季度不少于 N 次到社区. */
  minHeadVisitsPerQuarter: number;
  /** 小考 deductions (points off 100). */
  deductions: {
    perMissingAttendanceDay: number;
    maxAttendancePerMonth: number;
    missingHeadVisit: number;
    lateWorkReport: number;
    missingWorkReport: number;
  };
  /** Deadlines and reminders, in days. */
  deadlines: {
    /** 晒绩 work report due this many days after the quarter closes. */
    workReportDays: number;
    /** Street committee scores the quarter within this many days after the report phase. */
    quarterScoringDays: number;
    /** Reminder this many days before a deadline. */
    reminderDaysBefore: number;
    /** After a missed deadline, escalate every this many days ... */
    escalationEveryDays: number;
    /** ... this many times, then go on without it. */
    maxEscalations: number;
    /** Year-end: self-assessment, residents' survey and organization rating within this many days. */
    yearEndDays: number;
    /** Residents' survey links expire after this many days. */
    residentsSurveyDays: number;
    /** Joint final assessment: reminders every this many days until all three have signed. */
    finalReminderEveryDays: number;
  };
  /** Year-end weights, summing to 1: 晒绩自评, 群众测评, 组织考评 and the running tally 小考. */
  weights: { self: number; residents: number; organization: number; routine: number };
  /** Grades by total score; 优秀 also limited to a share of the cohort (by rank). */
  grading: { excellentMin: number; excellentMaxShare: number; competentMin: number; basicMin: number };
}

export const DEFAULT_COHORT_SETTINGS: CohortSettings = {
  lengthMonths: 12,
  daysPerMonth: 22,
  shortMonthRule: 'fixed',
  holidayCalendar: DEFAULT_HOLIDAY_CALENDAR,
  minInsuranceYuan: 1_000_000,
  minWorkFundsYuan: 10_000,
  minHeadVisitsPerQuarter: 1,
  deductions: { perMissingAttendanceDay: 1, maxAttendancePerMonth: 10, missingHeadVisit: 3, lateWorkReport: 2, missingWorkReport: 5 },
  deadlines: {
    workReportDays: 10,
    quarterScoringDays: 10,
    reminderDaysBefore: 3,
    escalationEveryDays: 5,
    maxEscalations: 2,
    yearEndDays: 20,
    residentsSurveyDays: 14,
    finalReminderEveryDays: 7,
  },
  weights: { self: 0.2, residents: 0.3, organization: 0.3, routine: 0.2 },
  grading: { excellentMin: 90, excellentMaxShare: 0.2, competentMin: 75, basicMin: 60 },
};

export type CohortSettingsInput = Partial<Omit<CohortSettings, 'deductions' | 'deadlines' | 'weights' | 'grading'>> & {
  deductions?: Partial<CohortSettings['deductions']>;
  deadlines?: Partial<CohortSettings['deadlines']>;
  weights?: Partial<CohortSettings['weights']>;
  grading?: Partial<CohortSettings['grading']>;
};

export interface SettingsProblem {
  path: string;
  message: string;
}

/** Defaults filled in; throws nothing, returns the problems so the API can name the field. */
export function resolveCohortSettings(input: CohortSettingsInput = {}): { settings: CohortSettings; problems: SettingsProblem[] } {
  const d = DEFAULT_COHORT_SETTINGS;
  const settings: CohortSettings = {
    ...d,
    ...input,
    deductions: { ...d.deductions, ...input.deductions },
    deadlines: { ...d.deadlines, ...input.deadlines },
    weights: { ...d.weights, ...input.weights },
    grading: { ...d.grading, ...input.grading },
  };
  const problems: SettingsProblem[] = [];
  for (const path of [
    ...unknownSettingKeys(input, d, ''),
    ...(['deductions', 'deadlines', 'weights', 'grading'] as const).flatMap((group) => unknownSettingKeys(input[group], d[group], group)),
  ]) problems.push({ path, message: UNKNOWN_SETTING_RULE });
  const positiveInt = (path: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 1 || v > max) problems.push({ path, message: `must be an integer from 1 to ${max}` });
  };
  positiveInt('lengthMonths', settings.lengthMonths, 36);
  positiveInt('daysPerMonth', settings.daysPerMonth, 31);
  if (settings.shortMonthRule !== 'fixed' && settings.shortMonthRule !== 'cap') {
    problems.push({ path: 'shortMonthRule', message: "'fixed' (daysPerMonth every month, the default) or 'cap' (at most the month's working days)" });
  }
  if (settings.minInsuranceYuan < 0) problems.push({ path: 'minInsuranceYuan', message: 'must not be negative' });
  if (settings.minWorkFundsYuan < 0) problems.push({ path: 'minWorkFundsYuan', message: 'must not be negative' });
  for (const [key, v] of Object.entries(settings.deadlines)) {
    if (!Number.isInteger(v) || v < 0) problems.push({ path: `deadlines.${key}`, message: 'must be a non-negative integer' });
  }
  for (const [key, v] of Object.entries(settings.weights)) {
    if (v < 0 || v > 1) problems.push({ path: `weights.${key}`, message: 'must be between 0 and 1' });
  }
  const w = settings.weights;
  if (Math.abs(w.self + w.residents + w.organization + w.routine - 1) > 1e-9) {
    problems.push({ path: 'weights', message: 'self + residents + organization + routine must sum to 1' });
  }
  const g = settings.grading;
  if (!(g.excellentMin >= g.competentMin && g.competentMin >= g.basicMin)) {
    problems.push({ path: 'grading', message: 'thresholds must satisfy excellentMin >= competentMin >= basicMin' });
  }
  if (g.excellentMaxShare < 0 || g.excellentMaxShare > 1) problems.push({ path: 'grading.excellentMaxShare', message: 'must be between 0 and 1' });
  return { settings, problems };
}

// ── Guarantees. 保障机制: a posting starts only once the dispatching unit has bought the accident insurance
// and provided the work funds the cohort requires. Says exactly what is missing.
export interface Guarantees {
  insuranceYuan: number | null;
  workFundsYuan: number | null;
}

export interface MissingGuarantee {
  kind: 'accident_insurance' | 'work_funds';
  requiredYuan: number;
  recordedYuan: number | null;
  message: string;
}

export function missingGuarantees(g: Guarantees, settings: Pick<CohortSettings, 'minInsuranceYuan' | 'minWorkFundsYuan'>): MissingGuarantee[] {
  const missing: MissingGuarantee[] = [];
  const check = (kind: MissingGuarantee['kind'], label: string, recorded: number | null, required: number) => {
    if (recorded !== null && recorded >= required) return;
    missing.push({
      kind,
      requiredYuan: required,
      recordedYuan: recorded,
      message: recorded === null ? `${label}未备案 (at least ${required} yuan)` : `${label} ${recorded} 元低于 ${required} 元`,
    });
  };
  check('accident_insurance', '人身意外保险', g.insuranceYuan, settings.minInsuranceYuan);
  check('work_funds', '驻社区工作经费', g.workFundsYuan, settings.minWorkFundsYuan);
  return missing;
}

// ── Tally. 小考: the running, quantified tally of a posting. Points are deducted from 100 for a month
// short of attendance, a quarter without the head's visit, a late or missing work report.
export interface TallyEntry {
  kind: 'attendance_shortfall' | 'missing_head_visit' | 'late_work_report' | 'missing_work_report';
  /** YYYY-MM for attendance, Q<n> for quarterly items. */
  period: string;
  points: number;
  detail: string;
}

type Deductions = CohortSettings['deductions'];

export function attendanceDeduction(month: string, confirmedDays: number, requiredDays: number, d: Deductions): TallyEntry | null {
  const shortfall = requiredDays - confirmedDays;
  if (shortfall <= 0) return null;
  return {
    kind: 'attendance_shortfall',
    period: month,
    points: Math.min(d.maxAttendancePerMonth, shortfall * d.perMissingAttendanceDay),
    detail: `${month}: ${confirmedDays}/${requiredDays} days confirmed`,
  };
}

export function quarterDeductions(
  quarter: number,
  facts: { headVisits: number; workReport: 'on_time' | 'late' | 'missing' },
  settings: Pick<CohortSettings, 'deductions' | 'minHeadVisitsPerQuarter'>,
): TallyEntry[] {
  const period = `Q${quarter}`;
  const out: TallyEntry[] = [];
  if (facts.headVisits < settings.minHeadVisitsPerQuarter) {
    const detail = `${facts.headVisits} head visit(s), ${settings.minHeadVisitsPerQuarter} required`;
    out.push({ kind: 'missing_head_visit', period, points: settings.deductions.missingHeadVisit, detail });
  }
  const d = settings.deductions;
  if (facts.workReport === 'late') out.push({ kind: 'late_work_report', period, points: d.lateWorkReport, detail: 'work report after the deadline' });
  if (facts.workReport === 'missing') out.push({ kind: 'missing_work_report', period, points: d.missingWorkReport, detail: 'no work report' });
  return out;
}

/** The tally as a score out of 100 (never below 0). */
export function routineScore(entries: readonly TallyEntry[]): number {
  return Math.max(0, 100 - entries.reduce((sum, e) => sum + e.points, 0));
}

// ── Year end. 年终考核: three sources (晒绩自评, 群众测评, 组织考评) and the running tally (小考), weighted by
// the cohort's settings; the cohort is ranked and graded 优秀/称职/基本称职/不称职.
export interface YearEndSources {
  /** 0–100 each; null when the source never came in (it then counts as 0). */
  self: number | null;
  residents: number | null;
  organization: number | null;
  routine: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function yearEndScore(s: YearEndSources, weights: CohortSettings['weights']): number {
  const weighted = (s.self ?? 0) * weights.self + (s.residents ?? 0) * weights.residents + (s.organization ?? 0) * weights.organization;
  return round2(weighted + s.routine * weights.routine);
}

/** Residents' ratings (each 0–100, from links or paper forms) averaged; null when nobody answered. */
export function residentsScore(ratings: readonly number[]): number | null {
  if (ratings.length === 0) return null;
  return round2(ratings.reduce((a, b) => a + b, 0) / ratings.length);
}

export interface RankInput {
  postingId: string;
  total: number;
  /** Tie-break, after the total: the organization's rating, then the name. */
  organization: number | null;
  name: string;
}

export interface RankedEntry extends RankInput {
  rank: number;
  grade: Grade;
}

/** Grade by score alone (優秀 before the share limit). */
export function gradeByScore(total: number, g: CohortSettings['grading']): Grade {
  if (total >= g.excellentMin) return '优秀';
  if (total >= g.competentMin) return '称职';
  if (total >= g.basicMin) return '基本称职';
  return '不称职';
}

/**
 * Competition ranking (equal totals share a rank: 1, 2, 2, 4). 优秀 needs the score and a rank
 * within ceil(share × cohort size); those with the score beyond the quota are 称职. Equal
 * totals at the quota's edge share the rank and so the grade.
 */
export function rankCohort(entries: readonly RankInput[], g: CohortSettings['grading']): RankedEntry[] {
  const sorted = [...entries].sort((a, b) => b.total - a.total || (b.organization ?? 0) - (a.organization ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
  const quota = Math.ceil(g.excellentMaxShare * sorted.length);
  let rank = 0;
  return sorted.map((e, i) => {
    if (i === 0 || e.total !== sorted[i - 1]!.total) rank = i + 1;
    const byScore = gradeByScore(e.total, g);
    const grade: Grade = byScore === '优秀' && rank > quota ? '称职' : byScore;
    return { ...e, rank, grade };
  });
}

// ── Check-ins. Which days a first secretary may check in for, and whether two postings of one person
// overlap. A day in the community counts only inside the posting (from the day it began, or
// was planned to begin while it has not, to its last day after any recall or extension) and
// never ahead of today in Asia/Shanghai: neither the secretary nor the community can file or
// confirm a day that has not happened. Pure functions over YYYY-MM-DD strings.
export interface PostingDays {
  /** The first day that counts: the day the posting began, else the planned start. */
  from: string;
  /** The last day of the posting (after recall or extension). */
  to: string;
}

/** The days of a posting, from its row and the workflow's last saved status. */
export function postingDays(posting: { startsOn: string; endsOn: string; status?: { startedOn: string | null; endsOn: string | null } | null }): PostingDays {
  return { from: posting.status?.startedOn ?? posting.startsOn, to: posting.status?.endsOn ?? posting.endsOn };
}

/** Why `date` cannot be filed or confirmed as a day in the community, or null when it can. */
export function checkInDayRefusal(date: string, days: PostingDays, today: string): string | null {
  if (!isDateString(date)) return 'must be a calendar date YYYY-MM-DD';
  if (date > today) return `lies in the future (today is ${today} in Asia/Shanghai)`;
  if (date < days.from) return `is before the posting began (${days.from})`;
  if (date > days.to) return `is after the posting's last day (${days.to})`;
  return null;
}

/** A posting of one person as the overlap check sees it (inclusive dates). */
export interface PostingSpan {
  id: string;
  from: string;
  to: string;
}

/** The existing postings a new one from `from` for `lengthMonths` months would overlap. */
export function overlappingPostings(existing: readonly PostingSpan[], from: string, lengthMonths: number): PostingSpan[] {
  const to = postingEndDate(from, lengthMonths);
  return existing.filter((p) => p.from <= to && from <= p.to);
}

// ── Sign-off. Who may sign what, and when a sign-off is refused. Used by the workflows' update validators
// and by the API to answer before asking the workflow.
export interface Actor {
  accountId: string;
  name: string;
  roles: readonly Role[];
}

/** 期满联合考核: the county organization department, the street committee, the dispatching unit. */
export const FINAL_SIGNERS = ['org_department', 'street_committee', 'dispatching_unit'] as const;
export type FinalSigner = (typeof FINAL_SIGNERS)[number];
/** The signers as notices name them. */
export const FINAL_SIGNER_NAMES: Record<FinalSigner, string> = { org_department: '组织部', street_committee: '街道党工委', dispatching_unit: '派出单位' };

export const FINAL_DECISIONS = ['agree', 'disagree'] as const;
export type FinalDecision = (typeof FINAL_DECISIONS)[number];

export interface FinalSignature {
  as: FinalSigner;
  accountId: string;
  name: string;
  decision: FinalDecision;
  comment: string;
  signedAt: number;
}

export class SignOffRefused extends Error {
  readonly code: 'wrong_role' | 'already_signed' | 'not_open' | 'invalid';
  constructor(code: SignOffRefused['code'], message: string) {
    super(message);
    this.name = 'SignOffRefused';
    this.code = code;
  }
}

/** Throws SignOffRefused when this signature cannot be taken. */
export function checkFinalSignature(
  signatures: readonly FinalSignature[],
  request: { actor: Actor; as: FinalSigner; decision: string; comment: string },
): void {
  if (!(FINAL_SIGNERS as readonly string[]).includes(request.as)) {
    throw new SignOffRefused('wrong_role', `${request.as} is not a signer of the joint assessment (${FINAL_SIGNERS.join(', ')})`);
  }
  if (!request.actor.roles.includes(request.as)) {
    throw new SignOffRefused('wrong_role', `${request.actor.name} does not hold the role ${request.as}`);
  }
  if (!(FINAL_DECISIONS as readonly string[]).includes(request.decision)) {
    throw new SignOffRefused('invalid', `decision must be one of ${FINAL_DECISIONS.join(', ')}`);
  }
  if (request.comment.trim().length === 0) throw new SignOffRefused('invalid', 'a comment is required');
  const earlier = signatures.find((s) => s.as === request.as);
  if (earlier) throw new SignOffRefused('already_signed', `${request.as} has already signed (by ${earlier.name})`);
}

export const missingFinalSigners = (signatures: readonly FinalSignature[]): FinalSigner[] =>
  FINAL_SIGNERS.filter((r) => !signatures.some((s) => s.as === r));

/** The joint result: passed only when every signer agreed. */
export function finalOutcome(signatures: readonly FinalSignature[]): 'pending' | 'passed' | 'not_passed' {
  if (missingFinalSigners(signatures).length > 0) return 'pending';
  return signatures.every((s) => s.decision === 'agree') ? 'passed' : 'not_passed';
}

export function requireRole(actor: Actor, role: Role, what: string): void {
  if (actor.roles.includes(role)) return;
  throw new SignOffRefused('wrong_role', `${what} needs the role ${role}; ${actor.name} has ${actor.roles.join(', ') || 'none'}`);
}
