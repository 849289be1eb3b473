// Rules of the star rating (星级评定, DOMAIN.md Cycle 2, seed 001): "三维一体" indicator
// scoring against the cycle's indicator system, combined with the year's dual-commitment
// result (助力发展) and the staff satisfaction survey (企业形象); thresholds to 1-5 stars;
// the annual and immediate review (kept / lowered / revoked); tracked events and their
// effects; incentives by level; how many organizations enter each year. Plain functions, no
// I/O and no dates, so the workflow can use them (the calendar is in calendar.ts).
import type { IncentiveCatalog, IncentiveMeasure, StarRatingCatalog } from '../catalogs/schemas.ts';

/** 0 means no star: never rated, not rated this round, or revoked. */
export type StarLevel = 0 | 1 | 2 | 3 | 4 | 5;

export interface IndicatorDef {
  code: string;
  name: string;
  dimension: string;
  weight: number;
  maxPoints: number;
}

export interface Threshold {
  stars: number;
  minScore: number;
  label: string;
}

export function indicatorsOf(catalog: StarRatingCatalog): IndicatorDef[] {
  return catalog.dimensions.flatMap((d) =>
    d.indicators.map((i) => ({ code: i.code, name: i.name, dimension: d.name, weight: i.weight, maxPoints: i.maxPoints })));
}

/** Which indicators are filled automatically from other records. */
export interface AutoIndicators {
  /** 双向承诺 under 助力发展: the year's dual-commitment total (0-100). */
  dualCommitment: string | null;
  /** 职工满意度 under 企业形象: the share of satisfied staff in the survey. */
  staffSatisfaction: string | null;
}

/**
 * The automatic indicators of a catalog: the codes the department set, else the indicator
 * named 双向承诺 and the one named 满意度 (the default catalog's D2-1 and D3-1). A department's
 * own catalog without such indicators simply has none, and evaluators score everything.
 */
export function autoIndicatorsOf(indicators: readonly IndicatorDef[], given: Partial<AutoIndicators> = {}): AutoIndicators {
  const byName = (part: string) => indicators.find((i) => i.name.includes(part))?.code ?? null;
  const known = (code: string | null | undefined) => (code && indicators.some((i) => i.code === code) ? code : null);
  return {
    dualCommitment: given.dualCommitment !== undefined ? known(given.dualCommitment) : byName('双向承诺'),
    staffSatisfaction: given.staffSatisfaction !== undefined ? known(given.staffSatisfaction) : byName('满意度'),
  };
}

/** Indicators an evaluator must score (everything that is not automatic). */
export function manualIndicators(indicators: readonly IndicatorDef[], auto: AutoIndicators): IndicatorDef[] {
  return indicators.filter((i) => i.code !== auto.dualCommitment && i.code !== auto.staffSatisfaction);
}

/** 满意率: answers of 4 (满意) or 5 (非常满意) among all answers on the 1-5 scale; null with no answers. */
export function satisfactionRate(ratings: readonly number[]): number | null {
  const valid = ratings.filter((r) => Number.isInteger(r) && r >= 1 && r <= 5);
  if (valid.length === 0) return null;
  return valid.filter((r) => r >= 4).length / valid.length;
}

export type LineSource = 'evaluator' | 'dual_commitment' | 'staff_survey' | 'missing';

export interface ScoredLine {
  code: string;
  name: string;
  dimension: string;
  maxPoints: number;
  weight: number;
  points: number;
  /** The line's share of the 100-point total: points / maxPoints × weight. */
  weighted: number;
  source: LineSource;
  comment: string | null;
}

export interface RatingInputs {
  indicators: readonly IndicatorDef[];
  auto: AutoIndicators;
  /** Points per indicator code, 0..maxPoints, from the evaluators. */
  evaluatorScores: Readonly<Record<string, number>>;
  comments?: Readonly<Record<string, string>>;
  /** The year's filed dual-commitment total, 0-100, or null when none was filed. */
  dualCommitmentScore: number | null;
  /** 0..1, or null when nobody answered the survey. */
  staffSatisfaction: number | null;
  /** Sum of the tracked events' points in the period (see trackingAdjustment). */
  trackingPoints: number;
  trackingCap: number;
  thresholds: readonly Threshold[];
}

export interface RatingResult {
  lines: ScoredLine[];
  dimensions: { name: string; weighted: number; weight: number }[];
  baseTotal: number;
  trackingAdjustment: number;
  total: number;
  stars: StarLevel;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** The highest level whose minScore the total reaches; 0 below the lowest threshold. */
export function starsFor(total: number, thresholds: readonly Threshold[]): StarLevel {
  let best = 0;
  for (const t of thresholds) if (total >= t.minScore && t.stars > best) best = t.stars;
  return best as StarLevel;
}

/** Daily tracking counts for or against, but never by more than the cap either way. */
export function trackingAdjustment(points: number, cap: number): number {
  return round1(clamp(points, -cap, cap));
}

/**
 * The rating total (0-100): each indicator contributes points / maxPoints × weight. The
 * automatic indicators take the dual-commitment total and the satisfaction rate when those
 * exist; where a record is missing the evaluator's score stands, or 0 (source 'missing').
 * Tracked events adjust the total within the cap; the thresholds give the stars.
 */
export function scoreRating(input: RatingInputs): RatingResult {
  const lines: ScoredLine[] = input.indicators.map((ind) => {
    let points: number | undefined;
    let source: LineSource = 'evaluator';
    if (ind.code === input.auto.dualCommitment && input.dualCommitmentScore !== null) {
      points = (clamp(input.dualCommitmentScore, 0, 100) / 100) * ind.maxPoints;
      source = 'dual_commitment';
    } else if (ind.code === input.auto.staffSatisfaction && input.staffSatisfaction !== null) {
      points = clamp(input.staffSatisfaction, 0, 1) * ind.maxPoints;
      source = 'staff_survey';
    } else {
      const given = input.evaluatorScores[ind.code];
      if (given === undefined) {
        points = 0;
        source = 'missing';
      } else {
        const outside = !Number.isFinite(given) || given < 0 || given > ind.maxPoints;
        if (outside) throw new RangeError(`indicator ${ind.code}: ${given} is outside 0-${ind.maxPoints}`);
        points = given;
      }
    }
    return {
      code: ind.code,
      name: ind.name,
      dimension: ind.dimension,
      maxPoints: ind.maxPoints,
      weight: ind.weight,
      points: round1(points),
      weighted: round1((points / ind.maxPoints) * ind.weight),
      source,
      comment: input.comments?.[ind.code] ?? null,
    };
  });
  const dimensionNames = [...new Set(lines.map((l) => l.dimension))];
  const dimensions = dimensionNames.map((name) => {
    const own = lines.filter((l) => l.dimension === name);
    return { name, weighted: round1(own.reduce((s, l) => s + (l.points / l.maxPoints) * l.weight, 0)), weight: own.reduce((s, l) => s + l.weight, 0) };
  });
  const baseTotal = round1(lines.reduce((s, l) => s + (l.points / l.maxPoints) * l.weight, 0));
  const adjustment = trackingAdjustment(input.trackingPoints, input.trackingCap);
  const total = round1(clamp(baseTotal + adjustment, 0, 100));
  return { lines, dimensions, baseTotal, trackingAdjustment: adjustment, total, stars: starsFor(total, input.thresholds) };
}

// ---------------------------------------------------------------- daily tracking (日常跟踪)

export interface TrackingEventType {
  code: string;
  label: string;
  /** Added to the next rating or review total (negative counts against). */
  points: number;
  /** A serious event starts an immediate review (立即复审). */
  serious: boolean;
  /** Stars an immediate review takes off for this event, at least. */
  lowerBy: number;
  /** The event alone revokes the stars (e.g. listed as seriously dishonest). */
  revoke: boolean;
}

/** The shipped defaults; a department configures its own in the enrolment settings. */
export const DEFAULT_EVENT_TYPES: TrackingEventType[] = [
  { code: 'honour', label: '获得县级以上表彰荣誉', points: 2, serious: false, lowerBy: 0, revoke: false },
  { code: 'public_service', label: '参与公益慈善、社区共建', points: 1, serious: false, lowerBy: 0, revoke: false },
  { code: 'commitment_failure', label: '承诺事项未兑现', points: -3, serious: false, lowerBy: 0, revoke: false },
  { code: 'violation', label: '一般违规违纪', points: -5, serious: false, lowerBy: 0, revoke: false },
  { code: 'labour_dispute', label: '劳资纠纷、欠薪投诉', points: -4, serious: false, lowerBy: 0, revoke: false },
  { code: 'safety_incident', label: '一般安全生产事故', points: -5, serious: false, lowerBy: 0, revoke: false },
  { code: 'major_safety_incident', label: '较大及以上安全生产事故', points: -10, serious: true, lowerBy: 1, revoke: false },
  { code: 'mass_labour_incident', label: '群体性劳资事件', points: -10, serious: true, lowerBy: 1, revoke: false },
  { code: 'serious_dishonesty', label: '列入严重失信主体名单或受到刑事处罚', points: -20, serious: true, lowerBy: 5, revoke: true },
];

export interface TrackedEvent {
  id: string;
  type: string;
  /** YYYY-MM-DD (Shanghai) the event happened. */
  occurredOn: string;
  summary: string;
  evidenceFileIds: string[];
  recordedBy: string;
}

export function eventType(types: readonly TrackingEventType[], code: string): TrackingEventType | null {
  return types.find((t) => t.code === code) ?? null;
}

export function trackingPoints(events: readonly TrackedEvent[], types: readonly TrackingEventType[]): number {
  return events.reduce((sum, e) => sum + (eventType(types, e.type)?.points ?? 0), 0);
}

// ------------------------------------------------------------------ reviews (一年一审)

export type ReviewOutcome = 'kept' | 'lowered' | 'raised' | 'revoked';
export type ReviewTrigger = 'annual' | 'immediate';

export interface ReviewInputs {
  trigger: ReviewTrigger;
  current: StarLevel;
  /** The lines of the last rating, recomputed with this year's records. */
  lastRating: readonly ScoredLine[];
  auto: AutoIndicators;
  /** The year's dual-commitment total; null when none was filed; undefined to keep the last rating's line. */
  dualCommitmentScore: number | null | undefined;
  /** Events since the last decision on the level. */
  events: readonly TrackedEvent[];
  types: readonly TrackingEventType[];
  /** The light self-report (年度自查报告) of an annual review. */
  selfReportFiled: boolean;
  trackingCap: number;
  thresholds: readonly Threshold[];
  /** The department's rules may let a review raise the level; otherwise raising waits for the next rating. */
  allowRaise: boolean;
}

export interface ReviewProposal {
  outcome: ReviewOutcome;
  from: StarLevel;
  to: StarLevel;
  total: number;
  /** The written reasons the organization sees, in order. */
  reasons: string[];
  /** Ids of the events the decision rests on. */
  eventIds: string[];
}

export function outcomeOf(from: number, to: number): ReviewOutcome {
  if (to <= 0) return 'revoked';
  if (to < from) return 'lowered';
  if (to > from) return 'raised';
  return 'kept';
}

/**
 * Whether the level still holds: the last rating's lines with this year's dual-commitment
 * result, adjusted by the tracked events, mapped through the thresholds; each serious event
 * takes off at least its `lowerBy`; a revoking event revokes; an annual review without the
 * self-report loses a star. The level never rises unless `allowRaise`.
 */
export function proposeReview(input: ReviewInputs): ReviewProposal {
  const reasons: string[] = [];
  const lines = input.lastRating.map((l) => {
    if (l.code !== input.auto.dualCommitment || input.dualCommitmentScore === undefined) return l;
    const score = input.dualCommitmentScore ?? 0;
    const points = (clamp(score, 0, 100) / 100) * l.maxPoints;
    return { ...l, points, weighted: (points / l.maxPoints) * l.weight };
  });
  if (input.dualCommitmentScore === null && input.auto.dualCommitment) reasons.push('本年度双向承诺未完成评诺备案，助力发展“双向承诺”指标按0分计');
  else if (typeof input.dualCommitmentScore === 'number') reasons.push(`本年度双向承诺评诺得分${round1(input.dualCommitmentScore)}分`);
  const base = lines.reduce((s, l) => s + (l.points / l.maxPoints) * l.weight, 0);
  const points = trackingPoints(input.events, input.types);
  const adjustment = trackingAdjustment(points, input.trackingCap);
  const total = round1(clamp(base + adjustment, 0, 100));
  if (input.events.length > 0) {
    const listed = input.events.map((e) => `${e.occurredOn} ${eventType(input.types, e.type)?.label ?? e.type}（${e.summary}）`).join('；');
    reasons.push(`日常跟踪记录${input.events.length}条，计${adjustment >= 0 ? '+' : ''}${adjustment}分：${listed}`);
  }
  let to: number = starsFor(total, input.thresholds);
  reasons.push(`复核得分${total}分，对应${to > 0 ? `${to}星` : '未达到一星标准'}`);

  const serious = input.events.filter((e) => eventType(input.types, e.type)?.serious);
  const drop = serious.reduce((s, e) => s + (eventType(input.types, e.type)?.lowerBy ?? 0), 0);
  if (drop > 0 && to > input.current - drop) {
    to = input.current - drop;
    reasons.push(`发生严重事件${serious.length}起，星级至少下调${drop}星`);
  }
  const revoking = input.events.filter((e) => eventType(input.types, e.type)?.revoke);
  if (revoking.length > 0) {
    to = 0;
    reasons.push(`${revoking.map((e) => eventType(input.types, e.type)!.label).join('、')}，撤销星级`);
  }
  if (input.trigger === 'annual' && !input.selfReportFiled && to > input.current - 1) {
    to = input.current - 1;
    reasons.push('未按期提交年度自查报告，星级下调一星');
  }
  if (to > input.current && !input.allowRaise) {
    to = input.current;
    reasons.push('复审不升星，升星须待下一轮评定');
  }
  to = clamp(to, 0, 5);
  const outcome = outcomeOf(input.current, to);
  reasons.push({ kept: '保留星级', lowered: `由${input.current}星降为${to}星`, raised: `由${input.current}星升为${to}星`, revoked: '撤销星级' }[outcome]);
  return { outcome, from: input.current, to: to as StarLevel, total, reasons, eventIds: input.events.map((e) => e.id) };
}

// ------------------------------------------------------------------- incentives (激励措施)

/** The measures a level earns: every measure whose minimum level it reaches; none without a star. */
export function incentivesFor(stars: number, catalog: IncentiveCatalog): IncentiveMeasure[] {
  if (stars < 1) return [];
  return catalog.measures.filter((m) => m.minStars <= stars);
}

/** What changes when the level moves: measures newly granted and measures withdrawn. */
export function incentiveChanges(fromStars: number, toStars: number, catalog: IncentiveCatalog): { grant: IncentiveMeasure[]; withdraw: IncentiveMeasure[] } {
  const before = new Set(incentivesFor(fromStars, catalog).map((m) => m.code));
  const after = incentivesFor(toStars, catalog);
  const afterCodes = new Set(after.map((m) => m.code));
  return {
    grant: after.filter((m) => !before.has(m.code)),
    withdraw: incentivesFor(fromStars, catalog).filter((m) => !afterCodes.has(m.code)),
  };
}

// ---------------------------------------------------------------- enrolment (逐年扩大比例)

export type EnrolmentRule = { mode: 'count'; count: number } | { mode: 'share'; share: number };

export interface EnrolmentTarget {
  /** Organizations that should be in the rating after this year's enrolment. */
  targetTotal: number;
  /** How many new ones enter this year. */
  newThisYear: number;
}

/**
 * How many enter this year. A share is of all eligible organizations of the jurisdiction, so a
 * growing share brings in more each year; a count is how many new ones enter. Never more than
 * are eligible, never fewer than are already in (保证存量、扩大增量).
 */
export function enrolmentTarget(rule: EnrolmentRule, eligible: number, alreadyEnrolled: number): EnrolmentTarget {
  if (rule.mode === 'share') {
    if (!(rule.share > 0 && rule.share <= 1)) throw new RangeError('a share is above 0 and at most 1');
    const targetTotal = Math.min(eligible, Math.max(alreadyEnrolled, Math.ceil(rule.share * eligible - 1e-9)));
    return { targetTotal, newThisYear: targetTotal - alreadyEnrolled };
  }
  if (!(Number.isInteger(rule.count) && rule.count >= 0)) throw new RangeError('a count is a whole number');
  const targetTotal = Math.min(eligible, alreadyEnrolled + rule.count);
  return { targetTotal, newThisYear: targetTotal - alreadyEnrolled };
}

/** A department's share may grow from year to year, never shrink. */
export function enrolmentRuleProblem(rule: EnrolmentRule, previousShare: number | null): string | null {
  if (rule.mode === 'share') {
    if (!(rule.share > 0 && rule.share <= 1)) return 'share must be above 0 and at most 1';
    if (previousShare !== null && rule.share + 1e-9 < previousShare) return `the share may only grow: last year's share was ${previousShare}`;
  } else if (!(Number.isInteger(rule.count) && rule.count >= 0 && rule.count <= 100_000)) return 'count must be a whole number from 0 to 100000';
  return null;
}

// ------------------------------------------------------------------- rhythm (两年一评)

/** 两年一评、一年一审: the organization's first year and every second year after it are rating years. */
export function isRatingYear(year: number, firstYear: number): boolean {
  return year >= firstYear && (year - firstYear) % 2 === 0;
}
