// 月调度、季督导 rules and reducer (pure): the months a task reports in, when a month is reminded and
// overdue in Shanghai time, which month may be reported, what closing needs, and which timer fires next.
import { describe, expect, it } from '@jest/globals';
import {
  findingErrors, findingOverdueAt, quarterOf, reportMonthRefusal, reportMonths, reportOverdueAt, reportRemindAt, taskErrors,
} from '../../../domain/grid-steering/rules.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import { apply, fire, initialState, nextAlarm, refusal } from '../../../domain/grid-steering/state.ts';

const at = (iso: string) => Date.parse(iso);

describe('grid steering rules', () => {
  it('reports monthly from the creation month to the due month, across a year', () => {
    expect(reportMonths('2026-11-30', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(reportMonths('2026-11-03', '2026-11-20')).toEqual(['2026-11']);
  });

  it('makes a month overdue at 00:00 Shanghai on the 1st of the next month, reminded three days before', () => {
    expect(new Date(reportOverdueAt('2026-11')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(new Date(reportRemindAt('2026-02')).toISOString()).toBe('2026-02-25T16:00:00.000Z');
    expect(new Date(findingOverdueAt('2026-12-10')).toISOString()).toBe('2026-12-10T16:00:00.000Z');
    // 23:32 UTC on the 29th is already the 30th in Shanghai.
    expect(shanghaiDate(at('2026-11-29T23:32:00Z'))).toBe('2026-11-30');
    expect(quarterOf('2026-11-30')).toBe('2026-Q4');
    expect(quarterOf('2027-01-01')).toBe('2027-Q1');
  });

  it('takes a month of the task once, this month or a late one, never one to come', () => {
    const months = ['2026-11', '2026-12', '2027-01'];
    expect(reportMonthRefusal(months, [], '2026-11', '2026-11-30')).toBeNull();
    expect(reportMonthRefusal(months, [], '2026-12', '2026-11-30')).toBe('2026-12尚未到报送时间');
    expect(reportMonthRefusal(months, [], '2026-10', '2026-11-30')).toContain('不在任务的调度月份内');
    expect(reportMonthRefusal(months, ['2026-11'], '2026-11', '2026-12-15')).toBe('2026-11的进度已报送');
    expect(reportMonthRefusal(months, [], '2026-11', '2027-01-05')).toBeNull();
  });

  it('says in Chinese which field of a task or finding is wrong', () => {
    expect(taskErrors({ title: 'a', target: '目标', dueOn: '2026-11-01' }, '2026-11-30')).toEqual([
      { field: 'body.title', rule: '请填写任务名称（至少2个字）' }, { field: 'body.dueOn', rule: '完成期限不能早于今天' }]);
    expect(findingErrors({ finding: '进度滞后', rectifyBy: '2026-02-30' }, '2026-01-01')).toEqual([{ field: 'body.rectifyBy', rule: '请选择整改期限' }]);
  });
});

describe('grid steering state', () => {
  const now = at('2026-11-29T23:32:00Z');

  it('fires the earliest of the month reminders, month ends and finding deadlines, skipping what was filed or rectified', () => {
    const s = initialState(['2026-11', '2026-12']);
    expect(nextAlarm(s)).toEqual({ kind: 'report_reminded', at: reportRemindAt('2026-11'), month: '2026-11' });
    apply(s, { kind: 'report', month: '2026-11', progress: 30 }, now);
    apply(s, { kind: 'finding', findingId: 'f', rectifyBy: '2026-12-05' }, now);
    expect(nextAlarm(s)).toMatchObject({ kind: 'finding_reminded', findingId: 'f' });
    fire(s, nextAlarm(s)!);
    expect(nextAlarm(s)).toMatchObject({ kind: 'finding_overdue', at: findingOverdueAt('2026-12-05') });
    apply(s, { kind: 'rectify', findingId: 'f' }, now);
    expect(nextAlarm(s)).toMatchObject({ kind: 'report_reminded', month: '2026-12' });
    fire(s, nextAlarm(s)!);
    fire(s, nextAlarm(s)!);
    expect(s.overdue).toEqual(['2026-12']);
    expect(nextAlarm(s)).toBeNull();
  });

  it('refuses a second report, a closing before 100% or with a finding open, and anything once closed', () => {
    const s = initialState(['2026-11', '2026-12']);
    apply(s, { kind: 'report', month: '2026-11', progress: 100 }, now);
    expect(refusal(s, { kind: 'report', month: '2026-11', progress: 100 }, now)?.type).toBe('AlreadyReported');
    expect(refusal(s, { kind: 'report', month: '2026-12', progress: 100 }, now)?.type).toBe('NotDue');
    apply(s, { kind: 'finding', findingId: 'f', rectifyBy: '2026-12-05' }, now);
    expect(refusal(s, { kind: 'close' }, now)?.message).toContain('未整改');
    expect(refusal(s, { kind: 'rectify', findingId: 'x' }, now)?.type).toBe('Unknown');
    apply(s, { kind: 'rectify', findingId: 'f' }, now);
    expect(refusal(s, { kind: 'close' }, now)).toBeNull();
    apply(s, { kind: 'close' }, now);
    expect(refusal(s, { kind: 'report', month: '2026-11', progress: 1 }, now)?.type).toBe('WrongPhase');
  });

  it('keeps the newest month’s progress when an older month is filed late', () => {
    const s = initialState(['2026-11', '2026-12', '2027-01']);
    fire(s, { kind: 'report_overdue', at: 0, month: '2026-11' });
    apply(s, { kind: 'report', month: '2026-12', progress: 60 }, now);
    apply(s, { kind: 'report', month: '2026-11', progress: 20 }, now);
    expect(s).toMatchObject({ progress: 60, filed: ['2026-11', '2026-12'], filedLate: ['2026-11'] });
  });
});
