// The pure rules of grid matters: the department's settings are checked field by field, a
// category's plan carries its deadlines per level and urgency, a rating reopens once then
// climbs, the chain of a grid is read from its path, and the dashboard's median.
import { describe, expect, it } from '@jest/globals';
import {
  assigneeLevel, chainOfPath, DEFAULT_GRID_SETTINGS, matterNumber, matterPlan, median, ratingOutcome, settingsProblems, unitAtLevel, type GridMatterSettings,
} from '../../../domain/grid-matter/rules.ts';
import { apply, initialState, nextAlarm, overdue, refusal } from '../../../domain/grid-matter/state.ts';

const HOUR = 3_600_000;

describe('grid matter rules', () => {
  it('accepts the defaults and names each wrong field of a department\'s settings', () => {
    expect(settingsProblems(DEFAULT_GRID_SETTINGS, new Map())).toEqual([]);
    const bad: GridMatterSettings = {
      reminderBeforeHours: -1,
      ratingWindowDays: 0,
      categories: [
        { ...DEFAULT_GRID_SETTINGS.categories[0]!, code: 'Bad Code' },
        { ...DEFAULT_GRID_SETTINGS.categories[1]!, code: 'water', responderKind: 'utility', responderId: null },
        { ...DEFAULT_GRID_SETTINGS.categories[2]!, code: 'water', responderKind: 'department', responderId: 'u-1' },
        { ...DEFAULT_GRID_SETTINGS.categories[3]!, deadlineHours: { normal: [1, 2, 3] as never, urgent: [1, 1, 1, 0] } },
      ],
    };
    expect(settingsProblems(bad, new Map([['u-1', 'utility']])).map((p) => p.field)).toEqual([
      'body.reminderBeforeHours', 'body.ratingWindowDays', 'body.categories.0.code', 'body.categories.1.responderId',
      'body.categories.2.code', 'body.categories.2.responderId', 'body.categories.3.deadlineHours.normal', 'body.categories.3.deadlineHours.urgent',
    ]);
  });

  it('plans a matter by category and urgency (分级响应)', () => {
    const safety = DEFAULT_GRID_SETTINGS.categories.find((c) => c.code === 'safety')!;
    expect(matterPlan(DEFAULT_GRID_SETTINGS, safety, 'urgent')).toEqual({ startLevel: 0, deadlinesMs: [4, 8, 12, 24].map((h) => h * HOUR), reminderBeforeMs: 12 * HOUR, ratingWindowMs: 7 * 24 * HOUR });
    const livelihood = DEFAULT_GRID_SETTINGS.categories.find((c) => c.code === 'livelihood')!;
    expect(matterPlan(DEFAULT_GRID_SETTINGS, livelihood, 'normal').startLevel).toBe(2);
  });

  it('reopens once, then climbs, and closes unsatisfied only at the county', () => {
    expect(ratingOutcome('satisfied', 0, 0)).toBe('closed');
    expect(ratingOutcome('unsatisfied', 0, 0)).toBe('reopened');
    expect(ratingOutcome('unsatisfied', 1, 0)).toBe('climbed');
    expect(ratingOutcome('unsatisfied', 1, 2)).toBe('climbed');
    expect(ratingOutcome('unsatisfied', 1, 3)).toBe('closed_unsatisfied');
  });

  it('reads the four-level chain from a grid\'s path, and the assignee of a higher responder', () => {
    const path = 'city/district/street/community/grid/';
    expect(chainOfPath(path)).toEqual({ grid: 'grid', community: 'community', street: 'street', district: 'district' });
    expect(unitAtLevel(path, 2)).toBe('street');
    expect(unitAtLevel('street/community/grid/', 3)).toBe('street');
    expect(assigneeLevel('street', 0)).toBe(2);
    expect(assigneeLevel('utility', 1)).toBe(1);
    expect(assigneeLevel('grid', 3)).toBe(3);
    expect(matterNumber('2026-11-29', 42)).toBe('GM-20261129-000042');
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('refuses what the state does not allow, and climbs or stays at the top when overdue', () => {
    const plan = { startLevel: 2, deadlinesMs: [1, 2, 3, 4].map((h) => h * HOUR), reminderBeforeMs: HOUR / 2, ratingWindowMs: HOUR };
    const s = initialState(plan, 0);
    expect(s).toMatchObject({ level: 2, deadlineAt: 3 * HOUR, status: 'open' });
    expect(nextAlarm(s, plan)).toEqual({ at: 2.5 * HOUR, kind: 'remind' });
    expect(refusal(s, { kind: 'rate', rating: 'satisfied', comment: null })?.type).toBe('WrongPhase');
    expect(overdue(s, plan, 3 * HOUR)).toBe(true);
    expect(s).toMatchObject({ level: 3, climbs: 1, deadlineAt: 7 * HOUR });
    expect(overdue(s, plan, 7 * HOUR)).toBe(false);
    expect(s.overdueAtTop).toBe(true);
    expect(nextAlarm(s, plan)).toBeNull();
    apply(s, { kind: 'merge', actor: { accountId: null, login: 'x' }, into: 'GM-2', self: 'GM-1' }, plan, 8 * HOUR);
    expect(refusal(s, { kind: 'accept', actor: { accountId: null, login: 'x' } })).toEqual({ type: 'WrongPhase', message: 'the matter is merged into another' });
  });
});
