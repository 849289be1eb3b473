// A setting the rules do not know is named, not silently ignored: a typo in a department's
// settings would otherwise leave the default in force without anyone noticing.
import { describe, expect, it } from '@jest/globals';
import { resolveSettings } from '../../domain/dual-commitment/rules.ts';
import { resolveStarSettings } from '../../domain/star-rating/calendar.ts';
import { resolveCohortSettings } from '../../domain/posting/rules.ts';

describe('unknown settings', () => {
  it('dual commitments name an unknown key, also inside weights and feedback', () => {
    const { problems } = resolveSettings(2026, { submissionDeadlin: '2026-04-30', weights: { self: 40, staff: 30, organization: 30, boss: 0 }, feedback: { maxLength: 500, perHourPerClient: 10, perDay: 5 } });
    expect(problems).toEqual(expect.arrayContaining([
      { field: 'settings.submissionDeadlin', rule: 'is not a known setting' },
      { field: 'settings.weights.boss', rule: 'is not a known setting' },
      { field: 'settings.feedback.perDay', rule: 'is not a known setting' },
    ]));
    expect(resolveSettings(2026, { submissionDeadline: '2026-04-30' }).problems).toEqual([]);
  });

  it('star rating names an unknown key', () => {
    expect(resolveStarSettings({ publicationDay: 5 }).problems).toEqual([{ field: 'settings.publicationDay', rule: 'is not a known setting' }]);
    expect(resolveStarSettings({ publicationDays: 5 }).problems).toEqual([]);
  });

  it('posting cohorts name an unknown key, also inside a group', () => {
    const { problems } = resolveCohortSettings({ lengthMonth: 12, deadlines: { workReportDay: 5 } } as never);
    expect(problems).toEqual([
      { path: 'lengthMonth', message: 'is not a known setting' },
      { path: 'deadlines.workReportDay', message: 'is not a known setting' },
    ]);
    expect(resolveCohortSettings({ lengthMonths: 12, deadlines: { workReportDays: 5 } } as never).problems).toEqual([]);
  });
});
