import { describe, expect, it } from '@jest/globals';
import { defaultNumberPrefix, departmentFullName, formatDocumentNumber } from '../../../domain/documents/issuer.ts';
import { DEFAULT_HOLIDAY_CALENDAR } from '../../../domain/posting/holidays.ts';
import { deductionReason, holidayCalendarNote, opinionText, organizationLabel, partySecretaryOf, postingQuarterName } from '../../../domain/documents/wording.ts';

describe('issuer and numbers', () => {
  it('names the department after the district Party committee, in full', () => {
    expect(departmentFullName('中共济宁市任城区委员会')).toBe('中共济宁市任城区委组织部');
    expect(departmentFullName('中共大方县委员会')).toBe('中共大方县委组织部');
  });

  it('numbers as 〔year〕N号 with the department prefix and a word per kind', () => {
    expect(formatDocumentNumber(defaultNumberPrefix('任城区'), 'evaluation-record', 2026, 12)).toBe('任组备〔2026〕12号');
    expect(formatDocumentNumber('任组', 'star-plaque', 2026, 5)).toBe('任组星证〔2026〕5号');
  });
});

describe('wording', () => {
  it('says the decision once', () => {
    expect(opinionText('agree', '同意街道党工委意见。')).toBe('同意街道党工委意见。');
    expect(opinionText('agree', '同意')).toBe('同意。');
    expect(opinionText('agree', '')).toBe('同意。');
    expect(opinionText('agree', '表现突出')).toBe('同意。表现突出。');
    expect(opinionText('disagree', '同意率不足')).toBe('不同意。同意率不足。');
  });

  it('names the posting quarter by its index and dates, not by the calendar', () => {
    expect(postingQuarterName(1, '2026-12-01', '2027-02-28')).toBe('派驻第一季度（2026年12月1日至2027年2月28日）');
  });

  it('gives each deduction its reason', () => {
    const quarters = [{ quarter: 2, from: '2026-03-01', to: '2026-05-31' }];
    expect(deductionReason({ kind: 'attendance_shortfall', period: '2026-08', points: 2, detail: '2026-08: 20/22 days confirmed' }, quarters))
      .toEqual({ period: '2026年8月', reason: '在社区工作20天，少于要求的22天', points: 2 });
    expect(deductionReason({ kind: 'missing_head_visit', period: 'Q2', points: 3, detail: '0 head visit(s), 1 required' }, quarters))
      .toEqual({ period: '派驻第二季度（2026年3月1日至2026年5月31日）', reason: '派出单位负责人未按要求到社区走访', points: 3 });
  });

  it('calls a social organization 社会组织 and never takes the investor for the Party secretary', () => {
    expect(organizationLabel('social_organization')).toBe('社会组织');
    expect(organizationLabel('non_public_enterprise')).toBe('企业');
    expect(partySecretaryOf([{ role: '出资人', name: '刘德海' }])).toBeNull();
    expect(partySecretaryOf([{ role: '出资人', name: '刘德海' }, { role: '党支部书记', name: '王建国' }])?.name).toBe('王建国');
  });

  it('warns on a sheet whose year has no published holiday calendar', () => {
    expect(holidayCalendarNote(DEFAULT_HOLIDAY_CALENDAR, 2026)).toBeNull();
    expect(holidayCalendarNote(DEFAULT_HOLIDAY_CALENDAR, 2027)).toContain('2027年节假日安排尚未录入');
  });
});
