// The sandbox's calendar: what GET /sandbox/clock tells and what POST /sandbox/clock does.
// Moves only go forward (workflows never see time run back), one at a time, at most
// MAX_MOVE_YEARS at once; each is written to the audit log under the person who made it.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SandboxControl } from '../../app-services.ts';
import { addDuration, parseDuration, shanghaiIso } from '../../../domain/sandbox/calendar.ts';
import { recordAudit, type AuditActor } from '../../../domain/audit/record.ts';
import { badRequest, conflict } from '../../../domain/errors.ts';

const MAX_MOVE_YEARS = 3;
const OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

export interface MoveRequest {
  advance?: string;
  to?: string;
  toNext?: 'deadline';
}

export async function clockView(sandbox: SandboxControl) {
  const now = sandbox.clock.now().getTime();
  const next = (await sandbox.upcomingTimers()).find((t) => t.fireTime > now) ?? null;
  const iso = shanghaiIso(now);
  return {
    now: iso,
    date: iso.slice(0, 10),
    simulated: true,
    nextDeadline: next ? { at: shanghaiIso(next.fireTime), workflowId: next.workflowId, workflowType: next.workflowType } : null,
  };
}

/** Where a move request goes, checked: one form, forward, within MAX_MOVE_YEARS. */
export async function moveTarget(sandbox: SandboxControl, body: MoveRequest, now: number): Promise<number> {
  const given = (['advance', 'to', 'toNext'] as const).filter((key) => body[key] !== undefined);
  if (given.length !== 1) {
    throw badRequest('give exactly one of advance, to, toNext', [{ field: 'body', rule: 'must have exactly one of advance, to, toNext' }]);
  }
  let target: number;
  if (body.advance !== undefined) {
    const duration = parseDuration(body.advance);
    if (!duration)
      throw badRequest(`advance ${JSON.stringify(body.advance)} is not a duration`, [
        { field: 'body.advance', rule: 'must be an ISO-8601 duration forward such as P3D, P1M or PT12H' },
      ]);
    target = addDuration(now, duration);
  } else if (body.to !== undefined) {
    target = Date.parse(body.to);
    if (!OFFSET.test(body.to.trim()) || Number.isNaN(target)) {
      throw badRequest(`to ${JSON.stringify(body.to)} is not an instant`, [
        { field: 'body.to', rule: 'must be a date-time with its offset, e.g. 2026-12-01T00:00:00+08:00' },
      ]);
    }
    if (target <= now) {
      throw badRequest(`the calendar is at ${shanghaiIso(now)} and only moves forward`, [
        { field: 'body.to', rule: `must be after the current simulated time ${shanghaiIso(now)}` },
      ]);
    }
  } else {
    const next = (await sandbox.upcomingTimers()).find((t) => t.fireTime > now);
    if (!next)
      throw badRequest('no workflow is waiting for a date: nothing is due', [{ field: 'body.toNext', rule: 'needs a pending deadline (start a cycle first)' }]);
    target = next.fireTime;
  }
  if (target > addDuration(now, { years: MAX_MOVE_YEARS, months: 0, days: 0, timeMs: 0 })) {
    const field = body.advance !== undefined ? 'body.advance' : 'body.to';
    throw badRequest(`a move goes at most ${MAX_MOVE_YEARS} years ahead at once`, [
      { field, rule: `must be at most ${MAX_MOVE_YEARS} years ahead of ${shanghaiIso(now)}` },
    ]);
  }
  return target;
}

const moving = new WeakSet<SandboxControl>();

export async function moveClock(sandbox: SandboxControl, em: EntityManager, actor: AuditActor, body: MoveRequest) {
  if (moving.has(sandbox)) throw conflict('the calendar is already moving: wait for that move to finish', [{ field: 'body', rule: 'one move at a time' }]);
  const from = sandbox.clock.now().getTime();
  const target = await moveTarget(sandbox, body, from);
  moving.add(sandbox);
  try {
    const due = (await sandbox.upcomingTimers()).filter((t) => t.fireTime > from && t.fireTime <= target).length;
    const { settled } = await sandbox.moveTo(target);
    await em.transactional((tx) => recordAudit(tx, {
      actor, action: 'sandbox.clock_move', entityType: 'sandbox_clock', entityId: null,
      before: { at: shanghaiIso(from) }, after: { at: shanghaiIso(target), request: body, timersFired: due },
    }));
    return { from: shanghaiIso(from), to: shanghaiIso(target), timersFired: due, settled, ...(await clockView(sandbox)) };
  } finally {
    moving.delete(sandbox);
  }
}
