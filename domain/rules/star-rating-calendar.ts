// The star rating's year in Shanghai time: when self-assessment, 初审 and scoring are due in a
// rating year, when the self-report and the decision are due in a review year, how long the
// 公示 runs. The defaults put scoring after the dual commitments' 评诺 closes (12-20), so the
// year's commitment result is on file when the rating combines it.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import type { RuleViolation } from './dual-commitment.ts';
import { DEFAULT_EVENT_TYPES, isRatingYear, type AutoIndicators, type TrackingEventType } from './star-rating.ts';

export const SHANGHAI = 'Asia/Shanghai';

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
};

const MMDD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Merges a department's settings over the defaults; names every bad field. */
export function resolveStarSettings(given: Record<string, unknown> | null | undefined): { settings: StarRatingSettings; problems: RuleViolation[] } {
  const settings: StarRatingSettings = { ...DEFAULT_STAR_SETTINGS, eventTypes: [...DEFAULT_STAR_SETTINGS.eventTypes] };
  const problems: RuleViolation[] = [];
  const g = given ?? {};
  for (const key of ['selfAssessmentDue', 'preliminaryDue', 'scoringDue', 'recordsDue', 'reviewSelfReportDue', 'reviewDecisionDue'] as const) {
    if (g[key] === undefined) continue;
    if (typeof g[key] !== 'string' || !MMDD.test(g[key])) problems.push({ field: `settings.${key}`, rule: 'must be a month and day, MM-DD' });
    else settings[key] = g[key];
  }
  for (const [key, lo, hi] of [['publicationDays', 1, 60], ['immediateReviewDays', 1, 90], ['trackingCap', 0, 50], ['plaqueValidYears', 1, 5]] as const) {
    if (g[key] === undefined) continue;
    const v = g[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) problems.push({ field: `settings.${key}`, rule: `must be a whole number from ${lo} to ${hi}` });
    else settings[key] = v;
  }
  if (g.allowRaiseOnReview !== undefined) {
    if (typeof g.allowRaiseOnReview !== 'boolean') problems.push({ field: 'settings.allowRaiseOnReview', rule: 'must be true or false' });
    else settings.allowRaiseOnReview = g.allowRaiseOnReview;
  }
  if (g.eventTypes !== undefined) {
    const list = g.eventTypes as TrackingEventType[];
    if (!Array.isArray(list) || list.length === 0) problems.push({ field: 'settings.eventTypes', rule: 'must be a non-empty list' });
    else {
      list.forEach((t, i) => {
        if (!t || typeof t.code !== 'string' || !t.code || typeof t.label !== 'string' || typeof t.points !== 'number' || typeof t.serious !== 'boolean' || typeof t.revoke !== 'boolean' || typeof t.lowerBy !== 'number') {
          problems.push({ field: `settings.eventTypes[${i}]`, rule: 'needs code, label, points, serious, lowerBy and revoke' });
        }
      });
      if (new Set(list.map((t) => t?.code)).size !== list.length) problems.push({ field: 'settings.eventTypes', rule: 'codes must be unique' });
      settings.eventTypes = list;
    }
  }
  if (g.autoIndicators !== undefined) settings.autoIndicators = g.autoIndicators as Partial<AutoIndicators>;
  const order = ['selfAssessmentDue', 'preliminaryDue', 'scoringDue'] as const;
  for (let i = 1; i < order.length; i++) {
    if (settings[order[i]!] <= settings[order[i - 1]!]) problems.push({ field: `settings.${order[i]}`, rule: `must come after ${order[i - 1]}` });
  }
  if (settings.reviewDecisionDue <= settings.recordsDue) problems.push({ field: 'settings.reviewDecisionDue', rule: 'must come after recordsDue' });
  return { settings, problems };
}

/** The first instant of a Shanghai calendar day. */
export function startOfShanghaiDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(new TZDate(y!, m! - 1, d!, 0, 0, 0, 0, SHANGHAI).getTime());
}

/** A deadline "on" a day: the first instant after it. */
export const endOfShanghaiDay = (date: string) => addDays(startOfShanghaiDay(date), 1);

export function shanghaiDate(instant: Date | number): string {
  const local = new TZDate(typeof instant === 'number' ? instant : instant.getTime(), SHANGHAI);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
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
  const due = (mmdd: string) => endOfShanghaiDay(`${year}-${mmdd}`).toISOString();
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
    nextYearStart: startOfShanghaiDay(`${year + 1}-01-01`).toISOString(),
    plaqueValidUntil: `${year + settings.plaqueValidYears}-12-31`,
  };
}
