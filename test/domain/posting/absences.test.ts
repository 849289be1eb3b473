// Leave (请假) and official trips (公差): what a request must hold, what a decision must say,
// and how approved days show and count on the attendance sheet.
import { describe, expect, it } from '@jest/globals';
import { absenceProblems, countedDays, dayMark, dayMarks, decisionProblems, type AbsenceSpan } from '../../../domain/posting/absences.ts';
import { DEFAULT_HOLIDAY_CALENDAR } from '../../../domain/posting/holidays.ts';

const posting = { from: '2026-03-01', to: '2027-02-28' };
const cal = DEFAULT_HOLIDAY_CALENDAR;
const ok = { kind: 'trip', from: '2026-06-01', to: '2026-06-03', reason: '赴区民政局对接养老项目' };

describe('a leave or trip request', () => {
  it('is accepted inside the posting with a reason', () => {
    expect(absenceProblems(ok, posting, [])).toEqual([]);
  });

  it('names the field and the rule of each fault', () => {
    expect(absenceProblems({ ...ok, kind: 'holiday' }, posting, [])).toEqual([{ field: 'body.kind', rule: 'leave (请假) or trip (公差)' }]);
    expect(absenceProblems({ ...ok, from: '2026-02-27' }, posting, [])).toEqual([{ field: 'body.from', rule: 'not before the posting began (2026-03-01)' }]);
    expect(absenceProblems({ ...ok, to: '2027-03-01' }, posting, [])).toEqual([{ field: 'body.to', rule: "not after the posting's last day (2027-02-28)" }]);
    expect(absenceProblems({ ...ok, to: '2026-05-31' }, posting, [])).toEqual([{ field: 'body.to', rule: 'on or after body.from (2026-06-01)' }]);
    expect(absenceProblems({ ...ok, to: '2026-07-02' }, posting, [])).toEqual([{ field: 'body.to', rule: 'at most 31 days from body.from' }]);
    expect(absenceProblems({ ...ok, reason: '  ' }, posting, [])).toEqual([{ field: 'body.reason', rule: 'a reason is required' }]);
    expect(absenceProblems({ ...ok, from: '2026-02-30' }, posting, [])[0]).toEqual({ field: 'body.from', rule: 'YYYY-MM-DD calendar date' });
  });

  it('may not overlap a pending or approved request; a refused one frees its days', () => {
    const pending: AbsenceSpan = { kind: 'leave', from: '2026-06-03', to: '2026-06-05', status: 'pending' };
    expect(absenceProblems(ok, posting, [pending])).toEqual([{ field: 'body.from', rule: 'overlaps the 请假 of 2026-06-03 to 2026-06-05 (pending)' }]);
    expect(absenceProblems(ok, posting, [{ ...pending, status: 'refused' }])).toEqual([]);
    expect(absenceProblems(ok, posting, [{ ...pending, from: '2026-06-04' }])).toEqual([]);
  });
});

describe("the street committee's decision", () => {
  it('approves with or without a comment, refuses only with one', () => {
    expect(decisionProblems({ decision: 'approved' })).toEqual([]);
    expect(decisionProblems({ decision: 'refused', comment: '' })).toEqual([{ field: 'body.comment', rule: 'required when refusing (say why)' }]);
    expect(decisionProblems({ decision: 'refused', comment: '当月社区换届，需在岗' })).toEqual([]);
    expect(decisionProblems({ decision: 'maybe' })).toEqual([{ field: 'body.decision', rule: 'approved or refused' }]);
  });
});

describe('approved days on the sheet', () => {
  // June 2026: Mon 1 – Fri 5, weekend 6–7; 端午 19–21 (Fri 19 off).
  const trip: AbsenceSpan = { kind: 'trip', from: '2026-06-01', to: '2026-06-07', status: 'approved' };
  const leave: AbsenceSpan = { kind: 'leave', from: '2026-06-08', to: '2026-06-09', status: 'approved' };
  const confirmed = new Set(['2026-06-02', '2026-06-10', '2026-06-13']);

  it('marks √ a confirmed day before anything, △ a trip and ○ leave on working days only', () => {
    expect(dayMark('2026-06-02', confirmed, [trip], cal)).toBe('present');
    expect(dayMark('2026-06-01', confirmed, [trip], cal)).toBe('business');
    expect(dayMark('2026-06-06', confirmed, [trip], cal)).toBe('off');
    expect(dayMark('2026-06-08', confirmed, [leave], cal)).toBe('leave');
    expect(dayMark('2026-06-19', confirmed, [{ ...leave, from: '2026-06-19', to: '2026-06-19' }], cal)).toBe('off');
    expect(dayMark('2026-06-11', confirmed, [trip, leave], cal)).toBe('absent');
    expect(dayMark('2026-06-13', confirmed, [], cal)).toBe('present');
  });

  it('ignores pending and refused requests', () => {
    expect(dayMark('2026-06-01', confirmed, [{ ...trip, status: 'pending' }], cal)).toBe('absent');
    expect(dayMark('2026-06-08', confirmed, [{ ...leave, status: 'refused' }], cal)).toBe('absent');
  });

  it('counts confirmed days and approved trip days once each, not leave', () => {
    // 3 confirmed (one a Saturday) + trip on Mon 1, Wed 3 – Fri 5 (Tue 2 confirmed already) = 3 + 4.
    expect(countedDays('2026-06-01', '2026-06-30', confirmed, [trip, leave], cal)).toBe(7);
    expect(countedDays('2026-06-01', '2026-06-30', confirmed, [leave], cal)).toBe(3);
    const marks = dayMarks('2026-06-01', '2026-06-30', confirmed, [trip, leave], cal);
    expect(marks).toHaveLength(30);
    expect(marks.filter((m) => m === 'leave')).toHaveLength(2);
  });
});
