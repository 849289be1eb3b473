// Pacing a producer of new workflows (a cycle start) by the backlog of their workflow task
// queue and by the producing process's own event loop, so people's actions never queue behind
// thousands of first workflow tasks nor behind a saturated API process. The producer keeps a
// window of tasks allowed to wait, read through DescribeTaskQueue with reportStats (Temporal
// 1.26+ and the project's devserver both answer it): the window grows while the workers empty
// the queue faster than it is fed (they would otherwise idle) and halves as soon as the oldest
// waiting task is older than `targetWaitMs` or the event loop lags more than `maxLoopDelayMs`
// (multiplicative decrease, as TCP does), down to `minBacklog`, so a small start (a test's, a
// district's handful) never waits on a busy loop. The window needs no drain rate,
// so it cannot talk itself down to a trickle when the producer is what limits the rate. A
// server that reports no stats leaves the producer unpaced.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';

export interface Backlog {
  /** Tasks waiting for a poller (approximateBacklogCount). */
  count: number;
  /** How long the oldest of them has waited, in ms (approximateBacklogAge). */
  ageMs: number;
}

/** Reads a task queue's backlog; null when the server reports no stats. */
export type BacklogReader = () => Promise<Backlog | null>;

/** The producing process's event-loop delay since the previous call, in ms (p99), or null when not measured. */
export type LoopDelayReader = () => number | null;

export interface PacerOptions {
  /** Most tasks allowed to wait on the queue (the window's ceiling). */
  maxBacklog: number;
  /** Fewest tasks the window allows (its floor, so the workers are never starved for long). */
  minBacklog: number;
  /** The window halves when the oldest waiting task is older than this. */
  targetWaitMs: number;
  /** The window halves while the event loop lags more than this (p99 since the last read). */
  maxLoopDelayMs: number;
  /** At most one DescribeTaskQueue per this many ms. */
  pollMs: number;
  /** After this long without room, one start per poll goes through anyway (stale or stuck stats). */
  stallMs: number;
  /** Starts allowed between two reads when the server reports no stats. */
  unpacedBudget: number;
}

export const DEFAULT_PACING: PacerOptions = {
  maxBacklog: 32, minBacklog: 4, targetWaitMs: 300, maxLoopDelayMs: 150, pollMs: 100, stallMs: 30_000, unpacedBudget: 1000,
};

/** The workflow task queue's backlog through DescribeTaskQueue (reportStats); any failure reads as "no stats". */
export function workflowQueueBacklog(temporal: Client, taskQueue: string): BacklogReader {
  return async () => {
    try {
      const answer = await temporal.workflowService.describeTaskQueue({
        namespace: temporal.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        reportStats: true,
      });
      const stats = answer.stats;
      if (!stats) return null;
      const age = stats.approximateBacklogAge;
      return { count: Number(stats.approximateBacklogCount ?? 0), ageMs: age ? Number(age.seconds ?? 0) * 1000 + (age.nanos ?? 0) / 1e6 : 0 };
    } catch {
      return null;
    }
  };
}

/** This process's event-loop delay (p99 since the previous call); `close` stops measuring. */
export function processLoopDelay(): { read: LoopDelayReader; close(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    read: () => {
      if (histogram.count === 0) return null;
      const p99 = histogram.percentile(99) / 1e6;
      histogram.reset();
      return p99;
    },
    close: () => histogram.disable(),
  };
}

export interface BacklogPacer {
  /** Resolves when one more workflow may be started; false once `stopped()` says so. */
  acquire(): Promise<boolean>;
  /** Tells the pacer a start it allowed reached the server (its first task is queued) or failed. */
  started(): void;
  /** Reads made, ms the producer spent without budget (reading or waiting), the window now and at its smallest/largest. */
  readonly stats: { reads: number; waitedMs: number; window: number; maxWindow: number; loopBackoffs: number; ageBackoffs: number };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts are allowed while backlog + starts in flight < window. At each read (one per `pollMs`,
 * concurrent callers share it): an old backlog or a lagging loop halves the window (never below
 * `minBacklog`); a backlog at most half the window (the workers keep up) grows it by half. A
 * window that stays full of fresh tasks is left as it is.
 */
export function createBacklogPacer(
  read: BacklogReader, options: PacerOptions, stopped: () => boolean = () => false, loopDelay: LoopDelayReader = () => null,
): BacklogPacer {
  let window = options.minBacklog;
  let budget = 0;
  let inFlight = 0;
  let lastRead = -Infinity;
  let noRoomSince: number | null = null;
  let refreshing: Promise<void> | undefined;
  const stats = { reads: 0, waitedMs: 0, window, maxWindow: window, loopBackoffs: 0, ageBackoffs: 0 };

  async function refresh(): Promise<void> {
    const entered = performance.now();
    try {
      const wait = lastRead + options.pollMs - performance.now();
      if (wait > 0) await sleep(wait);
      const backlog = await read();
      lastRead = performance.now();
      stats.reads += 1;
      decide(backlog, loopDelay(), lastRead);
    } finally {
      stats.waitedMs += performance.now() - entered;
    }
  }

  function decide(backlog: Backlog | null, lagMs: number | null, now: number): void {
    if (!backlog) {
      budget = options.unpacedBudget;
      return;
    }
    const lagging = lagMs !== null && lagMs > options.maxLoopDelayMs;
    if (lagging || backlog.ageMs > options.targetWaitMs) {
      window = Math.max(options.minBacklog, Math.floor(window / 2));
      if (lagging) stats.loopBackoffs += 1;
      else stats.ageBackoffs += 1;
    } else if (backlog.count + inFlight <= window / 2) {
      window = Math.min(options.maxBacklog, Math.max(window + 1, Math.ceil(window * 1.5)));
    }
    stats.window = window;
    stats.maxWindow = Math.max(stats.maxWindow, window);
    budget = Math.max(0, window - backlog.count - inFlight);
    if (budget > 0) noRoomSince = null;
    else if (noRoomSince === null) noRoomSince = now;
    else if (now - noRoomSince > options.stallMs) budget = 1;
  }

  return {
    stats,
    started() {
      inFlight = Math.max(0, inFlight - 1);
    },
    async acquire() {
      for (;;) {
        if (stopped()) return false;
        if (budget > 0) {
          budget -= 1;
          inFlight += 1;
          return true;
        }
        await (refreshing ??= refresh().finally(() => (refreshing = undefined)));
      }
    },
  };
}
