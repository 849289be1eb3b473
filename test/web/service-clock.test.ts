// The pages' "today" follows the service's clock: in the sandbox every answer carries
// X-Simulated-Time, and default years, months and overdue marks follow it, not the browser's clock.
import { describe, expect, it } from '@jest/globals';
import { noteSimulatedTime, serviceNow, serviceYear } from '../../web/src/sandbox.ts';
import { daysUntil } from '../../web/src/views/home/tasks.ts';

const answer = (time: string | null) => ({ headers: { get: (name: string) => (name === 'x-simulated-time' ? time : null) } }) as unknown as Response;

describe('the service clock in the web app', () => {
  it('is the browser clock outside the sandbox', () => {
    expect(Math.abs(serviceNow() - Date.now())).toBeLessThan(50);
    expect(serviceYear()).toBe(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear());
  });

  it('follows the simulated time of the latest answer', () => {
    noteSimulatedTime(answer('2031-12-31T23:30:00+08:00'));
    expect(serviceYear()).toBe(2031);
    expect(Math.abs(serviceNow() - Date.parse('2031-12-31T15:30:00Z'))).toBeLessThan(1000);
    // A due date a day after the simulated today is not overdue, though the browser's clock is years earlier.
    expect(daysUntil('2032-01-01')).toBe(1);
    noteSimulatedTime(answer('2032-01-01T00:30:00+08:00'));
    expect(serviceYear()).toBe(2032);
    expect(daysUntil('2032-01-01')).toBe(0);
  });

  it('ignores answers without the header', () => {
    const before = serviceNow();
    noteSimulatedTime(answer(null));
    expect(Math.abs(serviceNow() - before)).toBeLessThan(1000);
  });
});
