// The star rating's year in Shanghai time: when self-assessment, 初审 and scoring are due in a
// rating year, when the self-report and the decision are due in a review year, how long the
// 公示 runs. The defaults put scoring after the dual commitments' 评诺 closes (12-20), so the
// year's commitment result is on file when the rating combines it.
import { endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../time.ts';
import type { RuleViolation } from '../dual-commitment/rules.ts';
import { DEFAULT_EVENT_TYPES, isRatingYear, type AutoIndicators, type Threshold, type TrackingEventType } from './rules.ts';
import { UNKNOWN_SETTING_RULE, unknownSettingKeys } from '../settings-keys.ts';

export interface StarRatingSettings {
  /** MM-DD in the year (Shanghai); each is the last day something may be done. */
  selfAssessmentDue: string;
  preliminaryDue: string;
  scoringDue: string;
  /** When the year's records are complete: the dual commitments' 评诺 closes (12-20 by default). */
  recordsDue: string;
  /** 公示 length in days. */
  publicationDays: number;
  reviewSelfReportDue: string;
  reviewDecisionDue: string;
  /** Days the department has to decide an immediate review before the proposal applies by rule. */
  immediateReviewDays: number;
  allowRaiseOnReview: boolean;
  trackingCap: number;
  eventTypes: TrackingEventType[];
  autoIndicators: Partial<AutoIndicators>;
  /** Years a plaque is valid (两年一评). */
  plaqueValidYears: number;
  /** The score needed for each level; null: the thresholds of the indicator system (catalog). */
  thresholds: Threshold[] | null;
  /** Objections one client may lodge through the public 公示 link per hour. */
  publicObjectionsPerHour: number;
}

export const DEFAULT_STAR_SETTINGS: StarRatingSettings = {
  selfAssessmentDue: '10-31',
  preliminaryDue: '11-15',
  scoringDue: '12-15',
  recordsDue: '12-20',
  publicationDays: 7,
  reviewSelfReportDue: '12-10',
  reviewDecisionDue: '12-31',
  immediateReviewDays: 15,
  allowRaiseOnReview: false,
  trackingCap: 10,
  eventTypes: DEFAULT_EVENT_TYPES,
  autoIndicators: {},
  plaqueValidYears: 2,
  thresholds: null,
  // Several workers behind one factory address may object to the same organization.
  publicObjectionsPerHour: 30,
};

const MMDD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const WHOLE_NUMBER_SETTINGS = [
  ['publicationDays', 1, 60],
  ['immediateReviewDays', 1, 90],
  ['trackingCap', 0, 50],
  ['plaqueValidYears', 1, 5],
  ['publicObjectionsPerHour', 1, 100],
] as const;

/** The problems of a department's tracking event types (empty when the list may be used). */
function eventTypeProblems(list: TrackingEventType[]): RuleViolation[] {
  const problems: RuleViolation[] = [];
  const bad = (field: string, rule: string) => problems.push({ field: `settings.eventTypes${field}`, rule });
  if (!Array.isArray(list) || list.length === 0) {
    bad('', 'must be a non-empty list');
    return problems;
  }
  list.forEach((t, i) => {
    const complete = t && typeof t.code === 'string' && t.code && typeof t.label === 'string' && typeof t.points === 'number'
      && typeof t.serious === 'boolean' && typeof t.revoke === 'boolean' && typeof t.lowerBy === 'number';
    if (!complete) {
      bad(`[${i}]`, 'needs code, label, points, serious, lowerBy and revoke');
      return;
    }
    if (!/^[a-z][a-z0-9_]{0,49}$/.test(t.code)) bad(`[${i}].code`, 'must be lower-case letters, digits and _ (at most 50)');
    if (!Number.isFinite(t.points) || t.points < -100 || t.points > 100) bad(`[${i}].points`, 'must be a number from -100 to 100');
    if (!Number.isInteger(t.lowerBy) || t.lowerBy < 0 || t.lowerBy > 5) bad(`[${i}].lowerBy`, 'must be a whole number from 0 to 5');
  });
  if (new Set(list.map((t) => t?.code)).size !== list.length) bad('', 'codes must be unique');
  return problems;
}

/** A department's own score thresholds, sorted by level, or the problems that refuse them. */
function checkThresholds(list: Threshold[]): { thresholds: Threshold[] | null; problems: RuleViolation[] } {
  const problems: RuleViolation[] = [];
  const bad = (field: string, rule: string) => problems.push({ field: `settings.thresholds${field}`, rule });
  if (!Array.isArray(list) || list.length === 0 || list.length > 5) {
    bad('', 'must be a list of 1 to 5 levels, or null for the indicator system\'s');
    return { thresholds: null, problems };
  }
  list.forEach((t, i) => {
    if (!t || typeof t !== 'object' || !Number.isInteger(t.stars) || t.stars < 1 || t.stars > 5) bad(`[${i}].stars`, 'must be a whole number from 1 to 5');
    if (!t || typeof t.minScore !== 'number' || !(t.minScore >= 0 && t.minScore <= 100)) bad(`[${i}].minScore`, 'must be a number from 0 to 100');
    if (!t || typeof t.label !== 'string' || t.label.trim() === '' || t.label.length > 20) bad(`[${i}].label`, 'must be a text of 1 to 20 characters');
  });
  if (problems.length) return { thresholds: null, problems };
  const sorted = [...list].sort((a, b) => a.stars - b.stars);
  if (new Set(sorted.map((t) => t.stars)).size !== sorted.length) bad('', 'each level appears once');
  else if (sorted.some((t, i) => i > 0 && t.minScore <= sorted[i - 1]!.minScore)) bad('', 'a higher level needs a higher minScore');
  else return { thresholds: sorted.map((t) => ({ stars: t.stars, minScore: t.minScore, label: t.label })), problems };
  return { thresholds: null, problems };
}

/** Merges a department's settings over the defaults; names every bad field. */
export function resolveStarSettings(given: Record<string, unknown> | null | undefined): { settings: StarRatingSettings; problems: RuleViolation[] } {
  const settings: StarRatingSettings = { ...DEFAULT_STAR_SETTINGS, eventTypes: [...DEFAULT_STAR_SETTINGS.eventTypes] };
  const problems: RuleViolation[] = [];
  const g = given ?? {};
  // A cycle's stored settings also carry its enrolment rule, checked by the enrolment itself.
  const unknown = unknownSettingKeys(g, { ...DEFAULT_STAR_SETTINGS, enrolment: null }, 'settings');
  for (const path of unknown) problems.push({ field: path, rule: UNKNOWN_SETTING_RULE });
  for (const key of ['selfAssessmentDue', 'preliminaryDue', 'scoringDue', 'recordsDue', 'reviewSelfReportDue', 'reviewDecisionDue'] as const) {
    if (g[key] === undefined) continue;
    if (typeof g[key] !== 'string' || !MMDD.test(g[key])) problems.push({ field: `settings.${key}`, rule: 'must be a month and day, MM-DD' });
    else settings[key] = g[key];
  }
  for (const [key, lo, hi] of WHOLE_NUMBER_SETTINGS) {
    if (g[key] === undefined) continue;
    const v = g[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) settings[key] = v;
    else problems.push({ field: `settings.${key}`, rule: `must be a whole number from ${lo} to ${hi}` });
  }
  if (g.allowRaiseOnReview !== undefined) {
    if (typeof g.allowRaiseOnReview !== 'boolean') problems.push({ field: 'settings.allowRaiseOnReview', rule: 'must be true or false' });
    else settings.allowRaiseOnReview = g.allowRaiseOnReview;
  }
  if (g.eventTypes !== undefined) {
    const list = g.eventTypes as TrackingEventType[];
    const found = eventTypeProblems(list);
    problems.push(...found);
    // A list with bad entries is still taken (as before): the problems refuse the settings anyway.
    if (Array.isArray(list) && list.length > 0) settings.eventTypes = list;
  }
  if (g.thresholds !== undefined && g.thresholds !== null) {
    const checked = checkThresholds(g.thresholds as Threshold[]);
    problems.push(...checked.problems);
    if (checked.thresholds) settings.thresholds = checked.thresholds;
  }
  if (g.autoIndicators !== undefined) settings.autoIndicators = g.autoIndicators as Partial<AutoIndicators>;
  const order = ['selfAssessmentDue', 'preliminaryDue', 'scoringDue'] as const;
  for (let i = 1; i < order.length; i++) {
    if (settings[order[i]!] <= settings[order[i - 1]!]) problems.push({ field: `settings.${order[i]}`, rule: `must come after ${order[i - 1]}` });
  }
  if (settings.reviewDecisionDue <= settings.recordsDue) problems.push({ field: 'settings.reviewDecisionDue', rule: 'must come after recordsDue' });
  return { settings, problems };
}

export type YearKind = 'rating' | 'review';

/** One year of one organization's rating, as instants (ISO) the workflow waits for. */
export interface StarYearPlan {
  year: number;
  kind: YearKind;
  selfAssessmentDue: string;
  preliminaryDue: string;
  scoringDue: string;
  recordsDue: string;
  publicationDays: number;
  reviewSelfReportDue: string;
  reviewDecisionDue: string;
  immediateReviewDays: number;
  /** When the next year's run begins (start of 1 January, Shanghai). */
  nextYearStart: string;
  /** YYYY-MM-DD a plaque awarded this year is valid until. */
  plaqueValidUntil: string;
}

export function yearPlan(year: number, firstYear: number, settings: StarRatingSettings): StarYearPlan {
  const due = (mmdd: string) => new Date(endOfShanghaiDay(`${year}-${mmdd}`)).toISOString();
  return {
    year,
    kind: isRatingYear(year, firstYear) ? 'rating' : 'review',
    selfAssessmentDue: due(settings.selfAssessmentDue),
    preliminaryDue: due(settings.preliminaryDue),
    scoringDue: due(settings.scoringDue),
    recordsDue: due(settings.recordsDue),
    publicationDays: settings.publicationDays,
    reviewSelfReportDue: due(settings.reviewSelfReportDue),
    reviewDecisionDue: due(settings.reviewDecisionDue),
    immediateReviewDays: settings.immediateReviewDays,
    nextYearStart: new Date(startOfShanghaiDay(`${year + 1}-01-01`)).toISOString(),
    plaqueValidUntil: `${year + settings.plaqueValidYears}-12-31`,
  };
}

/**
 * The deadlines of a rating year that have already passed at `now`: enrolling then would
 * leave every organization 未按期提交 at once, so the department must give later dates.
 */
export function passedRatingDeadlines(year: number, settings: StarRatingSettings, now: number): RuleViolation[] {
  const today = shanghaiDate(now);
  return (['selfAssessmentDue', 'preliminaryDue', 'scoringDue'] as const)
    .filter((key) => endOfShanghaiDay(`${year}-${settings[key]}`) <= now)
    .map((key) => ({
      field: `settings.${key}`,
      rule: `has already passed (${year}-${settings[key]}; today is ${today} in Asia/Shanghai): `
        + `give a later MM-DD in settings.${key}, or enrol for a later year`,
    }));
}
