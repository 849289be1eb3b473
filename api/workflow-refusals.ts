// How a cycle workflow's answer reaches the caller. Update validators throw an
// ApplicationFailure whose type names the rule (WrongRole / wrong_role, Invalid, Unknown,
// WrongPhase, AlreadyDecided, ...); the caller gets 403 for a role, 400 for bad input, 404 for
// an unknown target and 409 for everything about the state the cycle is in.
// A workflow answers only through a worker: when none answers within the configured bound
// (UPDATE_TIMEOUT_MS for updates, QUERY_TIMEOUT_MS for the rare query), the caller gets 503
// workflow_unavailable with Retry-After at once, never a minute's hang or a 500.
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, unavailable, type ErrorKind } from '../domain/errors.ts';
import { systemClock } from '../domain/clock.ts';

/** `WrongPhase` and `wrong_phase` are the same rule: error codes are snake_case. */
export function refusalCode(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const KIND_OF: Record<string, ErrorKind> = { wrong_role: 'forbidden', invalid: 'invalid', unknown: 'not_found' };

/** The API error for a refused update, or undefined when `error` is not a refusal. */
export function refusalToApiError(error: unknown): DomainError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause as { type?: string; message?: string } | undefined;
  const code = refusalCode(cause?.type ?? 'refused');
  return new DomainError(KIND_OF[code] ?? 'conflict', code, cause?.message ?? 'the cycle refused this action');
}

/** Seconds a caller should wait before trying again after a 503 workflow_unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** 503 with Retry-After: no worker answered (none running, all busy, or Temporal unreachable). */
export function workflowUnavailable(message: string): DomainError {
  return unavailable('workflow_unavailable', message, RETRY_AFTER_SECONDS);
}

// gRPC status codes that mean "nobody answered", not "the workflow said no".
const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

/** Whether `error` says the call ran out of time or could not reach Temporal. */
export function isUnanswered(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && [CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE].includes(e.code)) return true;
    if (e instanceof Error && e.name === 'AbortError') return true;
  }
  return false;
}

class Unanswered extends Error {}

/**
 * Runs `run` (Temporal client calls) with the client's calls cancelled after `ms`; a call that
 * did not answer by then, or could not reach Temporal, becomes 503 workflow_unavailable.
 */
export async function withinBound<T>(temporal: Client, ms: number, message: string, run: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // The race also ends the wait if a call does not honour the abort signal.
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Unanswered());
    }, ms);
  });
  try {
    return await Promise.race([temporal.withAbortSignal(abort.signal, run), expired]);
  } catch (error) {
    if (error instanceof Unanswered || isUnanswered(error)) throw workflowUnavailable(message);
    throw error;
  } finally {
    clearTimeout(timer);
    expired.catch(() => undefined);
  }
}

/** The bounds a route's workflow calls run under (from the configuration). */
export interface WorkflowBounds {
  temporal: Client;
  updateTimeoutMs: number;
  queryTimeoutMs: number;
}

/**
 * Runs an update against a cycle's workflow (see `takeUpdate`); a refusal becomes its API error,
 * and any other failure goes to `otherwise` (e.g. to explain that the workflow has closed)
 * before rethrowing. API errors (503 workflow_unavailable) pass through.
 */
export async function tellWorkflow<T>(run: () => Promise<T>, otherwise?: (error: unknown) => Promise<DomainError | undefined>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const refusal = refusalToApiError(error) ?? (await otherwise?.(error));
    throw refusal ?? error;
  }
}

/** How much longer than its acceptance an accepted action may take to be recorded (the handler's activities). */
const RECORDING_FACTOR = 6;

/**
 * Sends an update and waits for its result in two bounded steps: a worker must accept (or
 * refuse) it within UPDATE_TIMEOUT_MS, else 503 and the API writes nothing; an accepted action's
 * handler then has RECORDING_FACTOR times that to record it. Temporal keeps an update nobody
 * accepted until a worker polls, so a worker that comes back may still take it: then the
 * workflow's activities record it in full, as for any accepted action.
 */
export async function takeUpdate<Ret, Args extends [unknown, ...unknown[]]>(
  bounds: WorkflowBounds,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args> | string,
  args: Args,
): Promise<Ret> {
  const ms = bounds.updateTimeoutMs;
  const accepted = await withinBound(
    bounds.temporal,
    ms,
    `the cycle's workers did not answer within ${ms} ms (they may be restarting), so the action was not taken and nothing was written; reload in a ` +
      `few seconds (a worker that comes back may still take it) and try again if it is not shown`,
    () => handle.startUpdate<Ret, Args>(update, { args, waitForStage: 'ACCEPTED' }),
  );
  return withinBound(
    bounds.temporal,
    ms * RECORDING_FACTOR,
    `the cycle accepted the action but did not finish recording it within ${ms * RECORDING_FACTOR} ms; it completes when a worker is back: reload in ` +
      `a few seconds, do not repeat it`,
    () => accepted.result(),
  );
}

/**
 * Waits for a just-started workflow's result: a worker must pick up its first task within
 * UPDATE_TIMEOUT_MS (its history shows the task started), else the workflow is terminated, so
 * it cannot act later, and the caller gets 503; then the result has up to `resultMs`.
 */
export async function resultWhenTaken<T>(bounds: WorkflowBounds, handle: WorkflowHandle, resultMs: number): Promise<T> {
  // A timeout for the caller: the host's clock, whatever the calendar of the cycles says.
  const until = systemClock.now().getTime() + bounds.updateTimeoutMs;
  for (;;) {
    const described = await askWorkflow(bounds, () => handle.describe());
    // WorkflowExecutionStarted, WorkflowTaskScheduled, WorkflowTaskStarted: a worker has it.
    if (described.historyLength >= 3 || described.status.name !== 'RUNNING') break;
    if (systemClock.now().getTime() >= until) {
      await askWorkflow(bounds, () => handle.terminate('no worker picked it up in time; the caller was answered 503')).catch(() => undefined);
      throw workflowUnavailable(
        `the cycle's workers did not answer within ${bounds.updateTimeoutMs} ms (they may be restarting), so nothing was made; try again in a few seconds`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return withinBound(bounds.temporal, resultMs, `the document was not ready within ${resultMs} ms; try again in a minute`, () => handle.result() as Promise<T>);
}

/** A query or describe for what the database cannot say, within `bounds.queryTimeoutMs` (else 503). */
export function askWorkflow<T>(bounds: WorkflowBounds, run: () => Promise<T>): Promise<T> {
  return withinBound(
    bounds.temporal,
    bounds.queryTimeoutMs,
    `the cycle's workflow could not be asked within ${bounds.queryTimeoutMs} ms (Temporal or its workers may be restarting); try again in a few seconds`,
    run,
  );
}
