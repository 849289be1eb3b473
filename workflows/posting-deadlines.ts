// A deadline with a reminder before it and escalations after it, shared by the posting and
// quarterly review workflows. Deterministic: workflow clock and timers only.
import { condition, patched } from '@temporalio/workflow';
import { DAY_MS } from '../domain/time.ts';

export interface DeadlineRules {
  reminderDaysBefore: number;
  escalationEveryDays: number;
  maxEscalations: number;
}

/**
 * Patch: a reminder whose time passed before the wait began (a review opened, or a worker
 * back, inside the reminder window) is sent once at once while the deadline is still ahead,
 * instead of not at all. Escalations already wait a full interval after each other, so a
 * late start never sends more than one at a time.
 */
export const LATE_REMINDER_ONCE = 'late-reminder-once';

/**
 * Waits until done() or the deadline: reminds once before it, then escalates up to
 * maxEscalations times, escalationEveryDays apart, still accepting a late arrival.
 */
export async function awaitDeadline(
  done: () => boolean,
  deadline: number,
  rules: DeadlineRules,
  notices: { remind(): Promise<void>; escalate(n: number): Promise<void> },
): Promise<{ result: 'on_time' | 'late' | 'missing'; escalations: number }> {
  const until = async (at: number) => {
    const wait = at - Date.now();
    return wait > 0 ? condition(done, wait) : done();
  };
  const reminderAt = deadline - rules.reminderDaysBefore * DAY_MS;
  if (rules.reminderDaysBefore > 0 && Date.now() < deadline && (Date.now() < reminderAt || patched(LATE_REMINDER_ONCE))) {
    if (await until(reminderAt)) return { result: 'on_time', escalations: 0 };
    await notices.remind();
  }
  if (await until(deadline)) return { result: 'on_time', escalations: 0 };
  for (let n = 1; n <= rules.maxEscalations; n++) {
    await notices.escalate(n);
    if (await condition(done, rules.escalationEveryDays * DAY_MS)) return { result: 'late', escalations: n };
  }
  return { result: 'missing', escalations: rules.maxEscalations };
}
