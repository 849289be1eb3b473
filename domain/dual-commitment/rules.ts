// Rules of the dual commitments cycle (双向承诺, DOMAIN.md Cycle 1, seed 001): what a valid
// commitment is (承诺目标看得见、任务能落实、完成有时限), when each gate opens and closes for a
// cycle's settings, and how the 评诺 total is weighted. Plain functions, no I/O.
import { endOfShanghaiDay, isDateString, shanghaiDate, startOfShanghaiDay } from '../time.ts';
import { UNKNOWN_SETTING_RULE, unknownSettingKeys } from '../settings-keys.ts';
import type { CommitmentSet } from '../entities/commitment.ts';
import type { CommitmentReportType, SuperiorOrganization } from './contracts.ts';

export const COMMITMENT_SIDES = ['party', 'enterprise'] as const;
/** party: 党组织向企业承诺; enterprise: 企业向党组织承诺. */
export type CommitmentSide = (typeof COMMITMENT_SIDES)[number];

/**
 * enterprise: 双向承诺 of a non-public enterprise or social organization with its Party
 * organization; resident_unit: 四双 (双向协商、双向承诺、双向服务、双向评价) between a street or
 * community Party organization and a resident unit (驻区单位), ending with a 写实评价.
 */
export const COMMITMENT_VARIANTS = ['enterprise', 'resident_unit'] as const;
export type CommitmentVariant = (typeof COMMITMENT_VARIANTS)[number];

/** The organization's kind decides the variant: resident units run 四双. */
export function variantForKind(kind: string): CommitmentVariant {
  return kind === 'resident_unit' ? 'resident_unit' : 'enterprise';
}

export interface CommitmentDraft {
  /** Stable key of the item across versions, chosen by the client or generated on save. */
  key: string;
  side: CommitmentSide;
  /** A catalog item code, or null for a custom commitment (then `title` is required). */
  catalogItemCode: string | null;
  title: string;
  /** 承诺内容: the task that can be carried out. */
  content: string;
  /** 承诺目标: a concrete target that can be seen. */
  target: string;
  /** How fulfilment is measured, e.g. "组织职工培训不少于4次". */
  indicator: string;
  /** YYYY-MM-DD, inside the cycle (完成有时限). */
  deadline: string;
  responsiblePerson: { name: string; phone?: string | null };
}

export interface CatalogItemRef {
  code: string;
  side: CommitmentSide;
  area: string;
}

export interface RuleViolation {
  field: string;
  rule: string;
}

const blank = (value: unknown) => typeof value !== 'string' || value.trim().length === 0;

/**
 * Checks a whole set of commitments and names every problem with its field path, so a
 * drafter sees at once what is missing. `window` bounds the deadlines (inside the cycle).
 */
export function validateCommitmentSet(
  items: readonly CommitmentDraft[],
  window: { from: string; to: string },
  catalog: readonly CatalogItemRef[] | null = null,
): RuleViolation[] {
  const problems: RuleViolation[] = [];
  const codes = catalog ? new Map(catalog.map((entry) => [entry.code, entry])) : null;
  const seenKeys = new Set<string>();
  const seenCodes = new Set<string>();
  items.forEach((item, index) => {
    const at = (field: string) => `commitments[${index}].${field}`;
    if (blank(item.key)) problems.push({ field: at('key'), rule: 'is required' });
    else if (seenKeys.has(item.key)) problems.push({ field: at('key'), rule: 'must be unique within the set' });
    else seenKeys.add(item.key);
    if (!COMMITMENT_SIDES.includes(item.side)) problems.push({ field: at('side'), rule: 'must be party or enterprise' });
    if (item.catalogItemCode) {
      const entry = codes?.get(item.catalogItemCode);
      if (codes && !entry) problems.push({ field: at('catalogItemCode'), rule: 'is not an item of the cycle catalog' });
      else if (entry && entry.side !== item.side) problems.push({ field: at('catalogItemCode'), rule: `belongs to the ${entry.side} side` });
      const sideCode = `${item.side}:${item.catalogItemCode}`;
      if (seenCodes.has(sideCode)) problems.push({ field: at('catalogItemCode'), rule: 'is already used by another commitment of this side' });
      seenCodes.add(sideCode);
    }
    if (blank(item.title)) problems.push({ field: at('title'), rule: item.catalogItemCode ? 'is required' : 'is required for a custom commitment' });
    if (blank(item.content)) problems.push({ field: at('content'), rule: 'is required: the task that will be carried out' });
    if (blank(item.target)) problems.push({ field: at('target'), rule: 'is required: a concrete target that can be seen' });
    if (blank(item.indicator)) problems.push({ field: at('indicator'), rule: 'is required: how fulfilment is measured' });
    if (blank(item.deadline)) problems.push({ field: at('deadline'), rule: 'is required' });
    else if (!isDateString(item.deadline)) problems.push({ field: at('deadline'), rule: 'must be a date YYYY-MM-DD' });
    else if (item.deadline < window.from || item.deadline > window.to) {
      problems.push({ field: at('deadline'), rule: `must lie inside the cycle, between ${window.from} and ${window.to}` });
    }
    if (blank(item.responsiblePerson?.name)) problems.push({ field: at('responsiblePerson.name'), rule: 'is required' });
  });
  for (const side of COMMITMENT_SIDES) {
    if (!items.some((item) => item.side === side)) {
      problems.push({ field: 'commitments', rule: `needs at least one commitment of the ${side} side` });
    }
  }
  return problems;
}

/** Weights of the 评诺 total, in percent; they must add up to 100. */
export interface EvaluationWeights {
  /** 自评: the mean of both sides' self-evaluations. */
  self: number;
  /** 职工评议: the staff satisfaction survey. */
  staff: number;
  /** 组织评价: the evaluator's item scores. */
  organization: number;
}

/**
 * Default weights: the organization's own scoring carries half, staff opinion under a
 * third, self-evaluation a fifth, so a set cannot pass on self-praise alone.
 */
export const DEFAULT_WEIGHTS: EvaluationWeights = { self: 20, staff: 30, organization: 50 };

export interface DualCommitmentSettings {
  /** 定诺: last day to have the set approved (YYYY-MM-DD). */
  submissionDeadline: string;
  /** 亮诺: days the publication window stays open for feedback. */
  publicationDays: number;
  /** 践诺: last day of practice; item deadlines must not be later. */
  practiceEnd: string;
  /** 评诺: the evaluation window. */
  evaluationStart: string;
  evaluationEnd: string;
  /** Days before the submission deadline when drafters are reminded. */
  submissionReminderDays: number[];
  /** Days before each item deadline when its owner is reminded. */
  itemReminderDays: number[];
  weights: EvaluationWeights;
  feedback: { maxLength: number; perHourPerClient: number };
}

export function defaultSettings(year: number): DualCommitmentSettings {
  return {
    submissionDeadline: `${year}-03-31`,
    publicationDays: 7,
    practiceEnd: `${year}-11-30`,
    evaluationStart: `${year}-12-01`,
    evaluationEnd: `${year}-12-20`,
    submissionReminderDays: [7, 1],
    itemReminderDays: [14, 3],
    weights: { ...DEFAULT_WEIGHTS },
    // A factory's staff answer from one address: the hour's budget fits a few hundred of them.
    feedback: { maxLength: 500, perHourPerClient: 300 },
  };
}

/** The gates as instants (ISO, UTC), the form the workflow receives. */
export interface GatePlan {
  year: number;
  cycleStart: string;
  /** End of the submission deadline's day in Shanghai. */
  submissionDeadline: string;
  publicationDays: number;
  practiceEnd: string;
  evaluationStart: string;
  evaluationEnd: string;
  submissionReminderDays: number[];
  itemReminderDays: number[];
  weights: EvaluationWeights;
  /** Deadline bounds for items, as dates. */
  deadlineWindow: { from: string; to: string };
}

/**
 * Merges a cycle's settings over the defaults and checks them: unknown values keep the
 * default, and the gates must follow one another inside the year.
 */
export function resolveSettings(year: number, overrides: Record<string, unknown> | null | undefined): { settings: DualCommitmentSettings; problems: RuleViolation[] } {
  const settings = defaultSettings(year);
  const problems: RuleViolation[] = [];
  const given = overrides ?? {};
  const defaults = defaultSettings(year);
  for (const path of [
    ...unknownSettingKeys(given, defaults, 'settings'),
    ...unknownSettingKeys(given.weights, defaults.weights, 'settings.weights'),
    ...unknownSettingKeys(given.feedback, defaults.feedback, 'settings.feedback'),
  ]) problems.push({ field: path, rule: UNKNOWN_SETTING_RULE });
  for (const key of ['submissionDeadline', 'practiceEnd', 'evaluationStart', 'evaluationEnd'] as const) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isDateString(value)) problems.push({ field: `settings.${key}`, rule: 'must be a date YYYY-MM-DD' });
    else settings[key] = value;
  }
  if (given.publicationDays !== undefined) {
    const days = given.publicationDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 60) problems.push({ field: 'settings.publicationDays', rule: 'must be a whole number of days from 1 to 60' });
    else settings.publicationDays = days;
  }
  for (const key of ['submissionReminderDays', 'itemReminderDays'] as const) {
    const value = given[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 90)) {
      problems.push({ field: `settings.${key}`, rule: 'must be a list of whole days from 1 to 90' });
    } else settings[key] = [...new Set(value as number[])].sort((a, b) => b - a);
  }
  if (given.weights !== undefined) {
    const w = given.weights as Partial<EvaluationWeights> | null;
    const parts = [w?.self, w?.staff, w?.organization];
    if (parts.some((n) => typeof n !== 'number' || n < 0 || n > 100)) problems.push({ field: 'settings.weights', rule: 'needs self, staff and organization, each 0-100' });
    else if (Math.abs(parts.reduce((a, b) => a! + b!, 0)! - 100) > 1e-9) problems.push({ field: 'settings.weights', rule: 'must add up to 100' });
    else settings.weights = { self: w!.self!, staff: w!.staff!, organization: w!.organization! };
  }
  if (given.feedback !== undefined) {
    const f = given.feedback as Partial<DualCommitmentSettings['feedback']> | null;
    if (!f || typeof f.maxLength !== 'number' || typeof f.perHourPerClient !== 'number' || f.maxLength < 10 || f.perHourPerClient < 1) {
      problems.push({ field: 'settings.feedback', rule: 'needs maxLength >= 10 and perHourPerClient >= 1' });
    } else settings.feedback = { maxLength: f.maxLength, perHourPerClient: f.perHourPerClient };
  }
  const order: [keyof DualCommitmentSettings, keyof DualCommitmentSettings][] = [
    ['submissionDeadline', 'practiceEnd'],
    ['practiceEnd', 'evaluationStart'],
    ['evaluationStart', 'evaluationEnd'],
  ];
  for (const [earlier, later] of order) {
    if (!(settings[earlier]! < settings[later]!)) problems.push({ field: `settings.${later}`, rule: `must come after ${earlier} (${settings[earlier]})` });
  }
  for (const key of ['submissionDeadline', 'practiceEnd', 'evaluationStart', 'evaluationEnd'] as const) {
    if (!settings[key].startsWith(`${year}-`) && !(key === 'evaluationEnd' && settings[key].startsWith(`${year + 1}-`))) {
      problems.push({ field: `settings.${key}`, rule: `must lie in the cycle year ${year}` });
    }
  }
  return { settings, problems };
}

/**
 * The gate dates of a cycle's settings that have already passed at `now` (each a whole
 * Shanghai day): a cycle started late must be given new dates, or its people would meet an
 * overdue notice on the first day. Empty when every gate still lies ahead.
 */
export function passedGateDates(settings: DualCommitmentSettings, now: number): RuleViolation[] {
  const today = shanghaiDate(now);
  return (['submissionDeadline', 'practiceEnd', 'evaluationStart', 'evaluationEnd'] as const)
    .filter((key) => endOfShanghaiDay(settings[key]) <= now)
    .map((key) => ({ field: `settings.${key}`, rule: `has already passed (${settings[key]}; today is ${today} in Asia/Shanghai): give a later date in settings.${key}` }));
}

export function gatePlan(year: number, settings: DualCommitmentSettings): GatePlan {
  return {
    year,
    cycleStart: new Date(startOfShanghaiDay(`${year}-01-01`)).toISOString(),
    submissionDeadline: new Date(endOfShanghaiDay(settings.submissionDeadline)).toISOString(),
    publicationDays: settings.publicationDays,
    practiceEnd: new Date(endOfShanghaiDay(settings.practiceEnd)).toISOString(),
    evaluationStart: new Date(startOfShanghaiDay(settings.evaluationStart)).toISOString(),
    evaluationEnd: new Date(endOfShanghaiDay(settings.evaluationEnd)).toISOString(),
    submissionReminderDays: settings.submissionReminderDays,
    itemReminderDays: settings.itemReminderDays,
    weights: settings.weights,
    deadlineWindow: { from: `${year}-01-01`, to: settings.practiceEnd },
  };
}

export const FULFILMENT_STATUSES = ['fulfilled', 'partly', 'not_fulfilled'] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export interface EvaluationInput {
  /** Self-evaluations of both sides, 0-100 each; a missing side counts as absent. */
  selfScores: Partial<Record<CommitmentSide, number>>;
  /** Staff satisfaction ratings, 1 (very unsatisfied) to 5 (very satisfied). */
  staffRatings: number[];
  /** The evaluator's score of each commitment item, 0-100. */
  itemScores: number[];
  weights: EvaluationWeights;
}

export interface EvaluationComponent {
  method: 'self' | 'staff' | 'organization';
  /** The weight applied, after redistribution of absent components. */
  weightPercent: number;
  score: number | null;
}

export interface EvaluationResult {
  components: EvaluationComponent[];
  total: number;
  grade: Grade;
}

export type Grade = '优秀' | '良好' | '合格' | '不合格';

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** 优秀 >= 90, 良好 >= 75, 合格 >= 60, otherwise 不合格. */
export function gradeFor(total: number): Grade {
  if (total >= 90) return '优秀';
  if (total >= 75) return '良好';
  if (total >= 60) return '合格';
  return '不合格';
}

/**
 * The weighted 评诺 total (0-100). Staff ratings 1-5 map linearly onto 0-100. A component
 * with no input (no survey answers, no self-evaluation) drops out and its weight is shared
 * among the others in proportion, so silence neither rewards nor punishes. The evaluator's
 * item scores are required.
 */
export function scoreEvaluation(input: EvaluationInput): EvaluationResult {
  if (input.itemScores.length === 0) throw new RangeError('the evaluator must score at least one item');
  for (const s of [...input.itemScores, ...Object.values(input.selfScores)]) {
    if (typeof s !== 'number' || s < 0 || s > 100) throw new RangeError(`score ${s} is outside 0-100`);
  }
  for (const r of input.staffRatings) if (!Number.isInteger(r) || r < 1 || r > 5) throw new RangeError(`rating ${r} is outside 1-5`);
  const selfValues = Object.values(input.selfScores).filter((s): s is number => typeof s === 'number');
  const raw: { method: EvaluationComponent['method']; weight: number; score: number | null }[] = [
    { method: 'self', weight: input.weights.self, score: selfValues.length ? mean(selfValues) : null },
    { method: 'staff', weight: input.weights.staff, score: input.staffRatings.length ? mean(input.staffRatings.map((r) => ((r - 1) / 4) * 100)) : null },
    { method: 'organization', weight: input.weights.organization, score: mean(input.itemScores) },
  ];
  const present = raw.filter((c) => c.score !== null).reduce((a, c) => a + c.weight, 0);
  if (present <= 0) throw new RangeError('every component with input has weight 0');
  const components = raw.map((c) => ({
    method: c.method,
    weightPercent: c.score === null ? 0 : round1((c.weight / present) * 100),
    score: c.score === null ? null : round1(c.score),
  }));
  const total = round1(raw.reduce((sum, c) => (c.score === null ? sum : sum + (c.score * c.weight) / present), 0));
  return { components, total, grade: gradeFor(total) };
}

/**
 * The superior Party organization of a resident unit: the one named with the 写实评价, else a
 * responsible person of the unit whose role names it (role 上级党组织, name, phone).
 */
export function superiorOf(responsiblePeople: { role: string; name: string; phone?: string }[], given: SuperiorOrganization | null | undefined): SuperiorOrganization | null {
  if (given?.name?.trim()) return { name: given.name.trim(), contact: given.contact?.trim() || null };
  const entry = responsiblePeople.find((p) => p.role.includes('上级党组织') || p.role.includes('上级主管'));
  return entry ? { name: entry.name, contact: entry.phone ?? null } : null;
}

/**
 * Whether the cycle has reached the point where a report of the set exists: null when it has,
 * else why not ('not_applicable' for a report of the other variant).
 */
export function commitmentReportDue(
  set: Pick<CommitmentSet, 'publishedFrom' | 'publishedTo' | 'approvedVersion' | 'filedAt' | 'evaluation'> & { organization: { getEntity(): { kind: string } } },
  type: CommitmentReportType,
): { code: 'not_applicable' | 'not_ready'; message: string } | null {
  const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
  if (type === 'commitment-notice') {
    if (set.publishedFrom && set.publishedTo && set.approvedVersion) return null;
    return { code: 'not_ready', message: 'the commitments have not been published yet (亮诺): there is no notice to render' };
  }
  if ((type === 'factual-evaluation') !== residentUnit) {
    return {
      code: 'not_applicable',
      message: residentUnit ? 'a resident unit (四双) has a factual evaluation (写实评价), not an evaluation record' : 'only a resident unit (四双) has a factual evaluation (写实评价)',
    };
  }
  return set.filedAt && set.evaluation ? null : { code: 'not_ready', message: 'the evaluation has not been countersigned and filed (备案) yet: there is no record to render' };
}
