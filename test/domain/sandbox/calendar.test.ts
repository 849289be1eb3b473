// The sandbox's calendar moves as people count them in Shanghai: a month from 01-31 lands on the
// month's last day, a day is a calendar day, and times print with +08:00.
import { describe, expect, it } from '@jest/globals';
import { addDuration, parseDuration, shanghaiIso } from '../../../domain/sandbox/calendar.ts';

const at = (iso: string) => Date.parse(iso);

describe('sandbox calendar', () => {
  it('reads ISO-8601 durations forward and refuses anything else', () => {
    expect(parseDuration('P3D')).toEqual({ years: 0, months: 0, days: 3, timeMs: 0 });
    expect(parseDuration('P1Y2M1W1DT2H30M')).toEqual({ years: 1, months: 2, days: 8, timeMs: 2.5 * 3_600_000 });
    for (const bad of ['3 days', 'P', 'PT', 'P-1D', 'P0D', '-P1D', 'P1.5D', '']) expect(parseDuration(bad)).toBeNull();
  });

  it('adds months on the Shanghai calendar, keeping the time of day', () => {
    expect(shanghaiIso(addDuration(at('2027-01-31T09:00:00+08:00'), parseDuration('P1M')!))).toBe('2027-02-28T09:00:00.000+08:00');
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Shanghai: a year later is 2028-01-01.
    expect(shanghaiIso(addDuration(at('2026-12-31T16:30:00Z'), parseDuration('P1Y')!))).toBe('2028-01-01T00:30:00.000+08:00');
    expect(shanghaiIso(addDuration(at('2026-11-29T23:00:00+08:00'), parseDuration('P3DT2H')!))).toBe('2026-12-03T01:00:00.000+08:00');
  });
});
