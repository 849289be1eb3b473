// Posting rules of a cohort of first secretaries (第一书记), seed 003 (Dafang): one-year postings,
// at least 22 days a month in the community, head-of-unit visit every quarter, accident
// insurance >= 1,000,000 yuan and work funds >= 10,000 yuan. A department may change every
// number for its cohort; these are the defaults. Pure data: safe inside workflows.
import { DEFAULT_HOLIDAY_CALENDAR, type HolidayCalendar } from './holidays.ts';
import { UNKNOWN_SETTING_RULE, unknownSettingKeys } from '../rules/settings-keys.ts';

export const GRADES = ['优秀', '称职', '基本称职', '不称职'] as const;
export type Grade = (typeof GRADES)[number];

export interface CohortSettings {
  /** 派驻时间: length of a posting in months. */
  lengthMonths: number;
  /** 每月在社区工作时间不少于 N 天. */
  daysPerMonth: number;
  /**
   * Months with fewer working days than daysPerMonth (Spring Festival, National Day):
   * 'cap' requires min(daysPerMonth, working days of the month per holidayCalendar);
   * 'fixed' always requires daysPerMonth (weekend days in the community then have to make up).
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
  shortMonthRule: 'cap',
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
