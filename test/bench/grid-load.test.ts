// The load bench/grid.ts drives is the campaign the issue names (18.6): 200,000 matters over 100
// days by default, about 2,000 a day with burst days of three times that, and matters that do
// not all close the same day (late ones climb, some are never rated), so that the bench's
// figures include the reminders, climbs and rating-window closes the clock's moves fire.
import { describe, expect, it } from '@jest/globals';
import { benchSettings, dayVolumes, fateOf, percentile, type Fate } from '../../bench/grid-load.ts';

describe('bench:grid load', () => {
  it('spreads the campaign over its days, about 2,000 a day with bursts of three times that', () => {
    const volumes = dayVolumes(200_000, 100);
    expect(volumes).toHaveLength(100);
    expect(volumes.reduce((a, b) => a + b, 0)).toBe(200_000);
    const bursts = volumes.filter((v) => v > 4_000);
    expect(bursts).toHaveLength(10);
    expect(Math.min(...bursts) / Math.max(...volumes.filter((v) => v <= 4_000))).toBeGreaterThan(2);
    const ordinary = volumes.filter((v) => v <= 4_000);
    expect(Math.min(...ordinary)).toBeGreaterThan(1_200);
    expect(Math.max(...ordinary)).toBeLessThan(2_100);
    // A scaled run keeps the shape and the total.
    expect(dayVolumes(2_000, 2).reduce((a, b) => a + b, 0)).toBe(2_000);
  });

  it('gives one matter in twenty a late answer and one in twenty no rating, one in ten a reopening', () => {
    const fates = new Map<Fate, number>();
    for (let n = 0; n < 10_000; n++) fates.set(fateOf(n), (fates.get(fateOf(n)) ?? 0) + 1);
    expect(Object.fromEntries(fates)).toEqual({ prompt: 8_000, reopened: 1_000, late: 500, unrated: 500 });
  });

  it('reads its scale from the arguments, else GRID_BENCH_*, else the campaign, and refuses nonsense', () => {
    expect(benchSettings({}, {})).toEqual({ matters: 200_000, days: 100, concurrency: 8 });
    expect(benchSettings({}, { GRID_BENCH_MATTERS: '2000', GRID_BENCH_DAYS: '2' })).toEqual({ matters: 2_000, days: 2, concurrency: 8 });
    expect(benchSettings({ matters: '500' }, { GRID_BENCH_MATTERS: '2000', GRID_BENCH_CONCURRENCY: '16' })).toMatchObject({ matters: 500, concurrency: 16 });
    expect(() => benchSettings({}, { GRID_BENCH_DAYS: 'ten' })).toThrow(/GRID_BENCH_DAYS/);
  });

  it('reads percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(51);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile([], 99)).toBeNaN();
  });
});
