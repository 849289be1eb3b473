// The sandbox's calendar moved from the banner (POST /sandbox/clock, organization department and
// administrators): without it a person in the sandbox could only move time with curl. The route
// exists in the sandbox only, so it is not in the generated client (schema.d.ts) and is called here.
import { ApiFailure, refreshSession } from './api/client';
import { session } from './session';

export type ClockMove = { advance: string } | { toNext: 'deadline' };
export interface ClockMoved {
  to: string;
  timersFired: number;
  settled: boolean;
  nextDeadline: { at: string; workflowType: string } | null;
}

export async function moveClock(move: ClockMove): Promise<ClockMoved> {
  const go = () =>
    fetch('/sandbox/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${session.accessToken ?? ''}` },
      body: JSON.stringify(move),
    });
  let response: Response;
  try {
    response = await go();
    if (response.status === 401 && (await refreshSession())) response = await go();
  } catch {
    throw new ApiFailure(0, { error: 'network_error', message: 'network error' }, null);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiFailure(response.status, body, null);
  return body as ClockMoved;
}

/** 2027-01-03T09:00:00.000+08:00 → 2027-01-03 09:00 */
export const shortTime = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
