// Grid matters (网格事项): what a matter may be, where it goes and how long each level has.
// Seeds 004 (济宁高新区 closed loop; 梁山 书记直通车 with the chain 小区党支部—社区党委—街道党工委—
// 县级党委) and 002 (成都 分级响应). Pure: the department's settings, their validation, the
// plan a matter is started with, what a rating does, and the figures the dashboard shows.
import type { ErrorDetail } from '../errors.ts';

/** The four-level chain a matter climbs, lowest first (grid = 小区/网格党支部). */
export const LEVELS = ['grid', 'community', 'street', 'district'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_NAMES: Record<Level, string> = { grid: '小区党支部', community: '社区党委', street: '街道党工委', district: '县级党委' };
export const TOP_LEVEL = LEVELS.length - 1;

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Who reported: a grid worker, a resident (QR code / H5 page), or 书记直通车 (0637有事找书记). */
export const SOURCES = ['grid_worker', 'resident', 'secretary_line'] as const;
export type Source = (typeof SOURCES)[number];

/** Units a matter is dispatched to: the tree's own levels, or units the department registers. */
export const RESPONDER_KINDS = ['grid', 'community', 'street', 'department', 'utility'] as const;
export type ResponderKind = (typeof RESPONDER_KINDS)[number];
export const REGISTERED_KINDS: readonly ResponderKind[] = ['department', 'utility'];

export const MATTER_STATUSES = ['open', 'accepted', 'answered', 'closed', 'merged'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];

export type Rating = 'satisfied' | 'unsatisfied';

/** One category's dispatch rule and response times (hours at each level: grid, community, street, district). */
export interface CategoryRule {
  code: string;
  name: string;
  /** The unit kind that answers first; department/utility name a registered unit. */
  responderKind: ResponderKind;
  responderId: string | null;
  /** The level whose deadline runs first (a street-level category starts at the street). */
  startLevel: Level;
  deadlineHours: Record<Urgency, [number, number, number, number]>;
}

export interface GridMatterSettings {
  categories: CategoryRule[];
  /** Reminder this many hours before a level's deadline. */
  reminderBeforeHours: number;
  /** An answer the reporter does not rate within this many days closes unrated. */
  ratingWindowDays: number;
}

const hours = (normal: [number, number, number, number], urgent: [number, number, number, number]) => ({ normal, urgent });

export const DEFAULT_GRID_SETTINGS: GridMatterSettings = {
  reminderBeforeHours: 12,
  ratingWindowDays: 7,
  categories: [
    { code: 'environment', name: '环境卫生', responderKind: 'grid', responderId: null, startLevel: 'grid', deadlineHours: hours([48, 48, 72, 72], [12, 12, 24, 24]) },
    { code: 'facilities', name: '市政设施', responderKind: 'community', responderId: null, startLevel: 'community', deadlineHours: hours([72, 72, 72, 96], [24, 24, 24, 48]) },
    { code: 'safety', name: '安全隐患', responderKind: 'community', responderId: null, startLevel: 'grid', deadlineHours: hours([24, 24, 48, 48], [4, 8, 12, 24]) },
    { code: 'dispute', name: '邻里纠纷', responderKind: 'grid', responderId: null, startLevel: 'grid', deadlineHours: hours([72, 72, 96, 96], [24, 24, 48, 48]) },
    { code: 'property', name: '物业管理', responderKind: 'community', responderId: null, startLevel: 'grid', deadlineHours: hours([72, 72, 96, 120], [24, 24, 48, 48]) },
    { code: 'utilities', name: '水电气暖', responderKind: 'street', responderId: null, startLevel: 'community', deadlineHours: hours([48, 48, 72, 72], [6, 12, 24, 24]) },
    { code: 'livelihood', name: '民生诉求', responderKind: 'street', responderId: null, startLevel: 'street', deadlineHours: hours([120, 120, 120, 168], [48, 48, 48, 72]) },
  ],
};

const isHours = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= 24 * 90;

/** What is wrong with settings a department saves (fields as `body.…`); registered: ids of its registered units. */
export function settingsProblems(settings: GridMatterSettings, registered: ReadonlyMap<string, ResponderKind>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isHours(settings.reminderBeforeHours)) problems.push({ field: 'body.reminderBeforeHours', rule: 'must be a number of hours between 0 and 2160' });
  if (!Number.isInteger(settings.ratingWindowDays) || settings.ratingWindowDays < 1 || settings.ratingWindowDays > 60) {
    problems.push({ field: 'body.ratingWindowDays', rule: 'must be a whole number of days from 1 to 60' });
  }
  if (settings.categories.length === 0) problems.push({ field: 'body.categories', rule: 'must name at least one category' });
  const codes = new Set<string>();
  settings.categories.forEach((c, i) => {
    const at = `body.categories.${i}`;
    if (!/^[a-z][a-z0-9_-]{0,39}$/.test(c.code)) problems.push({ field: `${at}.code`, rule: 'must be lowercase letters, digits, - or _ (up to 40)' });
    if (codes.has(c.code)) problems.push({ field: `${at}.code`, rule: `repeats category ${c.code}` });
    codes.add(c.code);
    if (!c.name.trim()) problems.push({ field: `${at}.name`, rule: 'must not be empty' });
    if (!LEVELS.includes(c.startLevel)) problems.push({ field: `${at}.startLevel`, rule: `must be one of ${LEVELS.join(', ')}` });
    if (REGISTERED_KINDS.includes(c.responderKind)) {
      if (!c.responderId) problems.push({ field: `${at}.responderId`, rule: `names the registered ${c.responderKind} unit that answers` });
      else if (registered.get(c.responderId) !== c.responderKind) {
        problems.push({ field: `${at}.responderId`, rule: `must be a registered ${c.responderKind} unit of this department` });
      }
    } else if (c.responderId) problems.push({ field: `${at}.responderId`, rule: 'only department and utility units are named' });
    for (const urgency of URGENCIES) {
      const row = c.deadlineHours?.[urgency];
      if (!Array.isArray(row) || row.length !== LEVELS.length || !row.every(isHours)) {
        problems.push({ field: `${at}.deadlineHours.${urgency}`, rule: 'must give 4 positive hours (grid, community, street, district)' });
      }
    }
  });
  return problems;
}

/** What a matter's workflow runs by: the deadlines of each level (ms), reminder and rating windows. */
export interface MatterPlan {
  startLevel: number;
  deadlinesMs: number[];
  reminderBeforeMs: number;
  ratingWindowMs: number;
}

const HOUR_MS = 3_600_000;

export function categoryRule(settings: GridMatterSettings, category: string): CategoryRule | undefined {
  return settings.categories.find((c) => c.code === category);
}

export function matterPlan(settings: GridMatterSettings, rule: CategoryRule, urgency: Urgency): MatterPlan {
  return {
    startLevel: LEVELS.indexOf(rule.startLevel),
    deadlinesMs: rule.deadlineHours[urgency].map((h) => h * HOUR_MS),
    reminderBeforeMs: settings.reminderBeforeHours * HOUR_MS,
    ratingWindowMs: settings.ratingWindowDays * 24 * HOUR_MS,
  };
}

/** What a reporter's rating does: satisfied closes; not satisfied reopens once at the level, then climbs; at the top it closes unsatisfied. */
export type RatingOutcome = 'closed' | 'reopened' | 'climbed' | 'closed_unsatisfied';
export function ratingOutcome(rating: Rating, reopened: number, level: number): RatingOutcome {
  if (rating === 'satisfied') return 'closed';
  if (reopened < 1) return 'reopened';
  return level < TOP_LEVEL ? 'climbed' : 'closed_unsatisfied';
}

/** The median of some durations (null when none): the dashboard's time to close. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The share of satisfied ratings among rated matters, 0-1 (null when none rated). */
export function satisfactionRate(satisfied: number, rated: number): number | null {
  return rated > 0 ? satisfied / rated : null;
}

/** Business key of a matter: GM-<Shanghai day>-<6 digits>, unique; the workflow ID follows it. */
export function matterNumber(shanghaiDay: string, seq: number): string {
  return `GM-${shanghaiDay.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
}

/** The ancestors of a grid by level from its materialized path (…/district/street/community/grid/). */
export function chainOfPath(path: string): Record<Level, string | null> {
  const ids = path.split('/').filter(Boolean);
  const at = (fromEnd: number) => ids[ids.length - 1 - fromEnd] ?? null;
  return { grid: at(0), community: at(1), street: at(2), district: at(3) };
}

/** A phone number a resident may leave (mainland mobile). */
export const isMobile = (phone: string): boolean => /^1[3-9]\d{9}$/.test(phone);

/** The level of the tree unit a matter is assigned to: the responder's own level when it is a tree unit above the matter's level. */
export function assigneeLevel(responderKind: ResponderKind, level: number): number {
  const own = (LEVELS as readonly string[]).indexOf(responderKind);
  return own > level ? own : level;
}

/** The unit of the chain at `level`, or the nearest one below it when the tree is shallower. */
export function unitAtLevel(path: string, level: number): string {
  const chain = chainOfPath(path);
  for (let l = level; l >= 0; l--) {
    const id = chain[LEVELS[l]!];
    if (id) return id;
  }
  return chain.grid!;
}
