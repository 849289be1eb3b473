// Assessment schemes (考核方案, issue 19): what a department defines without code, and the pure
// rules that turn filed scores into a total, grades under a cap on the top band, a ranking and
// pay-grade moves on the 三岗十八级 scale. No I/O: the workflow bundle and the API both import it.
import type { ErrorDetail } from '../errors.ts';
import {
  choiceProblem, nominationProblems, textIndicatorProblems, textProblems, voteIndicatorProblems, voteValue, type NominationStage, type VoteOption,
} from './votes.ts';
import { objectionProblems, type ObjectionRules } from './objections.ts';
import { paperProblems, type PaperKind } from './papers.ts';

export const CADENCES = ['half_yearly', 'yearly', 'once'] as const;
export type Cadence = (typeof CADENCES)[number];

/** Who fills in scores. `residents` are entered as survey results (item 4, public links, is not built). */
export const SOURCE_KINDS = ['self', 'residents', 'peers', 'supervisor', 'department', 'party_reps'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** vote and text: domain/assessment/votes.ts. */
export const RULE_KINDS = ['manual', 'checklist', 'rate', 'survey', 'vote', 'text'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** The records a `rate` indicator is computed from (a named source the activities know how to count). */
export const RATE_SOURCES = [
  'grid_matters_closed_in_time', 'grid_matters_satisfied',
  // 四率评价 (seed 001): counted in activities/assessment-rates.ts; no records there = 无数据 (left out, weights rescaled).
  'resident_units_participating', 'party_org_satisfaction', 'compounds_self_governed', 'owner_support',
] as const;
export type RateSource = (typeof RATE_SOURCES)[number];
/** A counted rate: `of` records, `n` of them counting; `offline` is the part the department typed in. */
export interface RateCount { n: number; of: number; offline?: { n: number; of: number } }
/**
 * The share a count gives: null (无数据) when nothing was counted, for every source — the grid-matter sources too (they used to
 * read "no records" as full marks). The share is computed by the scoring activity, so recorded histories replay unchanged.
 */
export function rateShare(_source: RateSource, c: RateCount | undefined): number | null {
  return c && c.of > 0 ? Math.min(1, Math.max(0, c.n / c.of)) : null;
}

export const TARGET_ROLES = ['community_committee', 'street_committee', 'first_secretary'] as const;
export const TARGET_LEVELS = ['street', 'community', 'grid'] as const;
/** Kinds of organization a scheme may assess (property_service: 物业服务企业, 红色物业). */
export const TARGET_ORG_KINDS = ['property_service', 'non_public_enterprise', 'social_organization', 'resident_unit'] as const;
/** Who is assessed: holders of a role on units of a level (a person), the units of a level themselves, or organizations of a kind in the unit. */
export type Target = { kind: 'role'; role: (typeof TARGET_ROLES)[number]; unitLevel: (typeof TARGET_LEVELS)[number] }
  | { kind: 'unit'; unitLevel: (typeof TARGET_LEVELS)[number] }
  | { kind: 'organization'; orgKind: (typeof TARGET_ORG_KINDS)[number] };

export interface Indicator {
  key: string;
  name: string;
  /** Share of the total (all indicators' weights add up to 100). */
  weight: number;
  rule: RuleKind;
  /** manual: the highest score one may give. */
  max?: number;
  /** checklist: the items; the value is the share of items ticked. */
  items?: string[];
  /** rate: where it is counted from. */
  rateSource?: RateSource;
  /** rate: the department may also type in counts gathered offline (线下), with a note; they add to the records' counts. */
  offline?: boolean;
  /** survey: the question residents answered (1–5). */
  question?: string;
  /** vote: the options, each with its score, and the sources whose members vote. */
  options?: VoteOption[];
  voters?: SourceKind[];
  /** text: the questions the report must answer (必答题) and its shortest length. */
  prompts?: string[];
  minLength?: number;
}

export interface Section { key: string; name: string; indicators: Indicator[] }
export interface SourceWeight { kind: SourceKind; weight: number }
export interface GradeBand {
  key: string;
  name: string;
  /** Lowest total (0–100) that reaches the band. */
  minScore: number;
  /** Top band only: the largest share of those assessed it may hold (e.g. 0.2 = 20%). */
  maxShare?: number;
}

export interface Deadlines {
  /** Days after the round starts by which every source has scored. */
  scoringDays: number;
  /** Days before that deadline the missing scorers are reminded. */
  reminderDaysBefore: number;
  /** Days each sign-off step has before it is escalated (reminded again, up the chain). */
  signOffDays: number;
}

export interface Outputs {
  /** 三岗十八级: grade steps moved per band (+1 up, 0 keep, -1 down); absent = results do not touch pay. */
  payGrade?: Record<string, number>;
  /** 评先树优: the bands whose members are listed, at most `honourLimit` of them by rank. */
  honourBands?: string[];
  honourLimit?: number;
  /** A report of the results to a body outside the tree (e.g. 住建/房管 for property services): its name as printed. */
  reportTo?: string;
  /** 绩效奖金 in yuan per band (absent = no bonus); paid as the band stands after 公示. */
  bonus?: Record<string, number>;
  /**
   * Papers printed per assessed (absent = none; recorded rounds without it replay as before): 考核评分表 once the sign-off chain is
   * complete, 考核结果通知书 when 公示 begins.
   */
  papers?: PaperKind[];
}

/** A first review of one source's filings (街道初审): the role checks each filing, confirms it or sends it back with a reason. */
export interface FirstReview { role: 'street_committee' | 'community_committee'; source: SourceKind }

export interface SchemeDefinition {
  name: string;
  target: Target;
  cadence: Cadence;
  sections: Section[];
  sources: SourceWeight[];
  deadlines: Deadlines;
  /** Best band first. */
  bands: GradeBand[];
  /** Roles that sign the results off, in order (e.g. street committee, then the department). */
  signOff: ('street_committee' | 'org_department')[];
  publicityDays: number;
  outputs: Outputs;
  /** A nomination stage before scoring: the accepted candidates are the round's subjects (absent: the target's holders are). */
  nomination?: NominationStage;
  /** Only filings of `source` the reviewer confirmed count; absent = no first review. */
  firstReview?: FirstReview;
  /** 公示 with objections (absent = 公示 only shows the results; recorded rounds without it replay as before). */
  objections?: ObjectionRules;
}

export const PAY_GRADE_MIN = 1;
export const PAY_GRADE_MAX = 18;

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
const isNum = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** Every broken rule of a definition, with its field (`sections[1].indicators[0].max`). Empty when it can be published. */
export function schemeProblems(d: SchemeDefinition): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const bad = (field: string, rule: string) => out.push({ field, rule });
  if (!d.name?.trim()) bad('name', 'is required');
  if (d.target?.kind === 'role') {
    if (!TARGET_ROLES.includes(d.target.role)) bad('target.role', `must be one of ${TARGET_ROLES.join(', ')}`);
  } else if (d.target?.kind === 'organization') {
    if (!TARGET_ORG_KINDS.includes(d.target.orgKind)) bad('target.orgKind', `must be one of ${TARGET_ORG_KINDS.join(', ')}`);
  } else if (d.target?.kind !== 'unit') bad('target.kind', 'must be role, unit or organization');
  if (d.target?.kind !== 'organization' && !TARGET_LEVELS.includes(d.target?.unitLevel)) bad('target.unitLevel', `must be one of ${TARGET_LEVELS.join(', ')}`);
  if (!CADENCES.includes(d.cadence)) bad('cadence', `must be one of ${CADENCES.join(', ')}`);
  const sources = d.sources ?? [];
  if (!sources.length) bad('sources', 'needs at least one source');
  const kinds = new Set<string>();
  sources.forEach((s, i) => {
    if (!SOURCE_KINDS.includes(s.kind)) bad(`sources[${i}].kind`, `must be one of ${SOURCE_KINDS.join(', ')}`);
    if (kinds.has(s.kind)) bad(`sources[${i}].kind`, 'is listed twice');
    kinds.add(s.kind);
    if (!isNum(s.weight) || s.weight <= 0) bad(`sources[${i}].weight`, 'must be above 0');
  });
  if (sources.length && !close(sources.reduce((a, s) => a + (s.weight || 0), 0), 100)) bad('sources', 'weights must add up to 100');
  if (!d.sections?.length) bad('sections', 'needs at least one section');
  const keys = new Set<string>();
  let total = 0;
  (d.sections ?? []).forEach((s, i) => {
    if (!s.name?.trim()) bad(`sections[${i}].name`, 'is required');
    if (!s.indicators?.length) bad(`sections[${i}].indicators`, 'needs at least one indicator');
    (s.indicators ?? []).forEach((ind, j) => {
      const f = `sections[${i}].indicators[${j}]`;
      if (!KEY.test(ind.key ?? '')) bad(`${f}.key`, 'must be lower-case letters, digits and _ (up to 40)');
      else if (keys.has(ind.key)) bad(`${f}.key`, 'is used twice');
      keys.add(ind.key);
      if (!ind.name?.trim()) bad(`${f}.name`, 'is required');
      if (ind.rule === 'text') out.push(...textIndicatorProblems(f, ind, kinds));
      else if (!isNum(ind.weight) || ind.weight <= 0) bad(`${f}.weight`, 'must be above 0');
      else total += ind.weight;
      if (ind.offline !== undefined && ind.rule !== 'rate') bad(`${f}.offline`, 'only a rate takes offline counts');
      if (ind.rule === 'manual') {
        if (!isNum(ind.max) || ind.max <= 0) bad(`${f}.max`, 'must be above 0');
      } else if (ind.rule === 'checklist') {
        if (!ind.items?.length || ind.items.some((t) => !t.trim())) bad(`${f}.items`, 'needs at least one item, none empty');
      } else if (ind.rule === 'rate') {
        if (!RATE_SOURCES.includes(ind.rateSource as RateSource)) bad(`${f}.rateSource`, `must be one of ${RATE_SOURCES.join(', ')}`);
      } else if (ind.rule === 'survey') {
        if (!ind.question?.trim()) bad(`${f}.question`, 'is required');
        if (!kinds.has('residents')) bad(`${f}.rule`, 'a survey question needs the residents source');
      } else if (ind.rule === 'vote') out.push(...voteIndicatorProblems(f, ind, kinds));
      else if (ind.rule !== 'text') bad(`${f}.rule`, `must be one of ${RULE_KINDS.join(', ')}`);
    });
  });
  if (d.sections?.length && !close(total, 100)) bad('sections', 'indicator weights must add up to 100');
  const deadlines = d.deadlines ?? ({} as Deadlines);
  if (!Number.isInteger(deadlines.scoringDays) || deadlines.scoringDays < 1 || deadlines.scoringDays > 180) bad('deadlines.scoringDays', 'must be 1–180 days');
  if (!Number.isInteger(deadlines.reminderDaysBefore) || deadlines.reminderDaysBefore < 0 || deadlines.reminderDaysBefore >= deadlines.scoringDays)
    bad('deadlines.reminderDaysBefore', 'must be 0 or more and less than the scoring days');
  if (!Number.isInteger(deadlines.signOffDays) || deadlines.signOffDays < 1 || deadlines.signOffDays > 60) bad('deadlines.signOffDays', 'must be 1–60 days');
  const bands = d.bands ?? [];
  if (bands.length < 2) bad('bands', 'needs at least two bands');
  const bandKeys = new Set<string>();
  bands.forEach((b, i) => {
    if (!KEY.test(b.key ?? '')) bad(`bands[${i}].key`, 'must be lower-case letters, digits and _');
    else if (bandKeys.has(b.key)) bad(`bands[${i}].key`, 'is used twice');
    bandKeys.add(b.key);
    if (!b.name?.trim()) bad(`bands[${i}].name`, 'is required');
    if (!isNum(b.minScore) || b.minScore < 0 || b.minScore > 100) bad(`bands[${i}].minScore`, 'must be 0–100');
    else if (i > 0 && isNum(bands[i - 1]!.minScore) && b.minScore >= bands[i - 1]!.minScore) bad(`bands[${i}].minScore`, 'must be below the band above');
    if (b.maxShare !== undefined && i > 0) bad(`bands[${i}].maxShare`, 'only the top band has a cap');
    if (b.maxShare !== undefined && (!isNum(b.maxShare) || b.maxShare <= 0 || b.maxShare > 1)) bad(`bands[${i}].maxShare`, 'must be above 0 and at most 1');
  });
  if (bands.length && bands[bands.length - 1]!.minScore !== 0) bad(`bands[${bands.length - 1}].minScore`, 'the last band must start at 0');
  const chain = d.signOff ?? [];
  if (!chain.length) bad('signOff', 'needs at least one step');
  chain.forEach((r, i) => {
    if (r !== 'street_committee' && r !== 'org_department') bad(`signOff[${i}]`, 'must be street_committee or org_department');
  });
  if (!Number.isInteger(d.publicityDays) || d.publicityDays < 0 || d.publicityDays > 30) bad('publicityDays', 'must be 0–30 days');
  const moves = d.outputs?.payGrade;
  if (moves) {
    for (const [k, v] of Object.entries(moves)) {
      if (!bandKeys.has(k)) bad(`outputs.payGrade.${k}`, 'names no band');
      if (!Number.isInteger(v) || Math.abs(v) > 3) bad(`outputs.payGrade.${k}`, 'must be a whole step from -3 to 3');
    }
  }
  (d.outputs?.honourBands ?? []).forEach((k, i) => {
    if (!bandKeys.has(k)) bad(`outputs.honourBands[${i}]`, 'names no band');
  });
  if (d.outputs?.reportTo !== undefined && (!d.outputs.reportTo.trim() || d.outputs.reportTo.length > 100)) bad('outputs.reportTo', 'must be 1–100 characters');
  out.push(...paperProblems(d.outputs?.papers));
  if (d.firstReview) {
    if (!['street_committee', 'community_committee'].includes(d.firstReview.role)) bad('firstReview.role', 'must be street_committee or community_committee');
    if (!kinds.has(d.firstReview.source) || d.firstReview.source === 'residents' || d.firstReview.source === 'department')
      bad('firstReview.source', 'must be a source of the scheme that people file (self, peers, supervisor)');
  }
  if (d.outputs?.honourLimit !== undefined && (!Number.isInteger(d.outputs.honourLimit) || d.outputs.honourLimit < 1))
    bad('outputs.honourLimit', 'must be 1 or more');
  out.push(...nominationProblems(d.nomination));
  out.push(...objectionProblems(d));
  return out;
}

export const indicatorsOf = (d: SchemeDefinition): Indicator[] => d.sections.flatMap((s) => s.indicators);

/**
 * Which indicators a source fills in: people score manual and checklist ones (党员代表 only vote); residents answer survey ones;
 * rates are counted; a vote's voters vote; the assessed files a text.
 */
export function scoredBy(ind: Indicator, source: SourceKind): boolean {
  if (ind.rule === 'vote') return (ind.voters ?? []).includes(source);
  if (ind.rule === 'text') return source === 'self';
  return ind.rule === 'rate' ? false : ind.rule === 'survey' ? source === 'residents' : source !== 'residents' && source !== 'party_reps';
}

/**
 * What a scorer gives one indicator: manual → points, checklist → items ticked (indexes), survey → mean answer 1–5,
 * vote → the chosen option's index, text → the report and the required answers in order.
 */
export type Entry = { points: number } | { ticked: number[] } | { mean: number } | { choice: number } | { text: string; answers: string[] };

/** Whether a source's filing holds a vote (a vote is cast once, never replaced). */
export const castsVote = (d: SchemeDefinition, source: SourceKind): boolean => indicatorsOf(d).some((i) => i.rule === 'vote' && scoredBy(i, source));

/** The problems of one filing by a source; empty when it is acceptable. */
export function entriesProblems(d: SchemeDefinition, source: SourceKind, entries: Record<string, Entry>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const byKey = new Map(indicatorsOf(d).map((i) => [i.key, i]));
  if (!d.sources.some((s) => s.kind === source)) out.push({ field: 'source', rule: 'this scheme takes no scores from this source' });
  for (const [key, e] of Object.entries(entries)) {
    const ind = byKey.get(key);
    const f = `scores.${key}`;
    if (!ind) out.push({ field: f, rule: 'names no indicator of the scheme' });
    else if (!scoredBy(ind, source)) out.push({ field: f, rule: 'is not scored by this source' });
    else if (ind.rule === 'manual') {
      const p = (e as { points?: number }).points;
      if (!isNum(p) || p < 0) out.push({ field: f, rule: 'must be a score of 0 or more' });
      else if (p > ind.max!) out.push({ field: f, rule: `must be at most ${ind.max}` });
    } else if (ind.rule === 'checklist') {
      const t = (e as { ticked?: number[] }).ticked;
      if (!Array.isArray(t) || t.some((x) => !Number.isInteger(x) || x < 0 || x >= ind.items!.length) || new Set(t).size !== t.length)
        out.push({ field: f, rule: `must tick distinct items 0–${ind.items!.length - 1}` });
    } else if (ind.rule === 'survey') {
      const m = (e as { mean?: number }).mean;
      if (!isNum(m) || m < 1 || m > 5) out.push({ field: f, rule: 'must be a mean answer from 1 to 5' });
    } else if (ind.rule === 'vote') {
      const problem = choiceProblem(ind.options ?? [], (e as { choice?: number }).choice);
      if (problem) out.push({ field: `${f}.choice`, rule: problem });
    } else if (ind.rule === 'text') out.push(...textProblems(f, ind, e as { text?: unknown; answers?: unknown }));
  }
  const missing = indicatorsOf(d).filter((i) => scoredBy(i, source) && !(i.key in entries));
  for (const i of missing) out.push({ field: `scores.${i.key}`, rule: 'is required' });
  return out;
}

/** One entry as a share 0–1 of the indicator. */
export function entryValue(ind: Indicator, e: Entry): number {
  if (ind.rule === 'manual') return (e as { points: number }).points / ind.max!;
  if (ind.rule === 'checklist') return (e as { ticked: number[] }).ticked.length / ind.items!.length;
  if (ind.rule === 'survey') return ((e as { mean: number }).mean - 1) / 4;
  if (ind.rule === 'vote') return voteValue(ind.options ?? [], (e as { choice: number }).choice);
  return 0;
}

export interface Filing { source: SourceKind; entries: Record<string, Entry> }

/**
 * The total 0–100: each indicator's share is the source-weighted mean of what its sources gave
 * (several filings of one source, e.g. peers, are averaged first; sources that filed nothing are
 * left out and the others' weights rescaled), rates come from the records; Σ weight × share.
 * A rate that is null (无数据: nothing to count) is left out and the other indicators' weights are
 * rescaled to 100; it is listed in `noData`.
 */
export function weightedScore(d: SchemeDefinition, filings: Filing[], rates: Partial<Record<RateSource, number | null>>):
{ total: number; byIndicator: Record<string, number>; noData: string[] } {
  const shares = new Map<string, number>();
  const noData: string[] = [];
  for (const ind of indicatorsOf(d)) {
    let share = 0;
    if (ind.rule === 'rate') {
      const rate = rates[ind.rateSource!];
      if (rate === null) {
        noData.push(ind.key);
        continue;
      }
      share = Math.min(1, Math.max(0, rate ?? 0));
    } else {
      let weights = 0;
      let sum = 0;
      for (const s of d.sources) {
        if (!scoredBy(ind, s.kind)) continue;
        const given = filings.filter((f) => f.source === s.kind && f.entries[ind.key]);
        if (!given.length) continue;
        const mean = given.reduce((a, f) => a + entryValue(ind, f.entries[ind.key]!), 0) / given.length;
        sum += s.weight * mean;
        weights += s.weight;
      }
      share = weights ? sum / weights : 0;
    }
    shares.set(ind.key, share);
  }
  const counted = indicatorsOf(d).filter((i) => shares.has(i.key));
  const weightOf = counted.reduce((a, i) => a + i.weight, 0);
  const scale = weightOf > 0 ? 100 / weightOf : 0;
  const byIndicator: Record<string, number> = {};
  let total = 0;
  for (const ind of indicatorsOf(d)) {
    const points = shares.has(ind.key) ? shares.get(ind.key)! * ind.weight * (noData.length ? scale : 1) : 0;
    byIndicator[ind.key] = round2(points);
    total += points;
  }
  return { total: round2(total), byIndicator, noData };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export interface Scored { id: string; name: string; total: number }
export interface Placed extends Scored { rank: number; band: string; capped: boolean }

/** Best first; equal totals share a rank (1, 2, 2, 4), ordered among themselves by name then id so every run lists them alike. */
export function rank<T extends Scored>(items: T[]): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  return sorted.map((x, i) => ({ ...x, rank: sorted.findIndex((y) => y.total === x.total) + 1 }));
}

/**
 * Grades by band; the top band holds at most floor(maxShare × n). When more reach it, the best
 * by rank keep it; a tie that straddles the cap moves the whole tie down (nobody is placed above
 * an equal), and those moved down take the next band (`capped`).
 */
export function assignGrades(d: SchemeDefinition, items: Scored[]): Placed[] {
  const ranked = rank(items);
  const bandOf = (total: number) => d.bands.find((b) => total >= b.minScore) ?? d.bands[d.bands.length - 1]!;
  const top = d.bands[0]!;
  const cap = top.maxShare === undefined ? Infinity : Math.floor(top.maxShare * items.length);
  const reaching = ranked.filter((x) => bandOf(x.total).key === top.key);
  const keep = new Set<string>();
  for (const x of reaching) {
    const tieSize = reaching.filter((y) => y.total === x.total).length;
    const ahead = reaching.filter((y) => y.total > x.total).length;
    if (ahead + tieSize <= cap) keep.add(x.id);
  }
  return ranked.map((x) => {
    const band = bandOf(x.total);
    if (band.key !== top.key || keep.has(x.id)) return { ...x, band: band.key, capped: false };
    return { ...x, band: d.bands[1]!.key, capped: true };
  });
}

/** The pay grade after a round: bounded to 1–18 (三岗十八级); a scheme without pay moves keeps it. */
export function payGradeMove(d: SchemeDefinition, band: string, before: number): { after: number; step: number } {
  const step = d.outputs.payGrade?.[band] ?? 0;
  const after = Math.min(PAY_GRADE_MAX, Math.max(PAY_GRADE_MIN, before + step));
  return { after, step: after - before };
}

/** 评先树优: members of the honour bands, best first, at most the limit. */
export function honourList(d: SchemeDefinition, placed: Placed[]): Placed[] {
  const bands = new Set(d.outputs.honourBands ?? []);
  const listed = placed.filter((p) => bands.has(p.band));
  return d.outputs.honourLimit ? listed.slice(0, d.outputs.honourLimit) : listed;
}
