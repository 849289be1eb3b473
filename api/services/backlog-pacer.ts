// Pacing a producer of new workflows (a cycle start) by the backlog of their workflow task
// queue, so the tasks of people's actions never queue behind thousands of first workflow tasks.
// An update's workflow task has its workflow's priority and joins the same queue as everything
// else, so the only bound on its wait is how many tasks are ahead of it: the producer keeps at
// most `maxBacklog` tasks waiting (and none older than `maxAgeMs`), read through
// DescribeTaskQueue with reportStats, which Temporal (1.26+) and the project's devserver both
// answer. A server that reports no stats leaves the producer unpaced.
import type { Client } from '@temporalio/client';

export interface Backlog {
  /** Tasks waiting for a poller (approximateBacklogCount). */
  count: number;
  /** How long the oldest of them has waited, in ms (approximateBacklogAge). */
  ageMs: number;
}

/** Reads a task queue's backlog; null when the server reports no stats. */
export type BacklogReader = () => Promise<Backlog | null>;

export interface PacerOptions {
  /** Most tasks allowed to wait on the queue, however fast the workers drain it. */
  maxBacklog: number;
  /** Fewest tasks allowed to wait (so the workers are never starved while the rate is learnt). */
  minBacklog: number;
  /** The wait a task newly queued should see: the allowed backlog is the drain rate times this. */
  targetWaitMs: number;
  /** No new work while the oldest waiting task is older than this. */
  maxAgeMs: number;
  /** At most one DescribeTaskQueue per this many ms. */
  pollMs: number;
  /** After this long without room, one start per poll goes through anyway (stale or stuck stats). */
  stallMs: number;
  /** Starts allowed between two reads when the server reports no stats. */
  unpacedBudget: number;
}

export const DEFAULT_PACING: PacerOptions = {
  maxBacklog: 32, minBacklog: 4, targetWaitMs: 250, maxAgeMs: 500, pollMs: 100, stallMs: 60_000, unpacedBudget: 1000,
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

export interface BacklogPacer {
  /** Resolves when one more workflow may be started; false once `stopped()` says so. */
  acquire(): Promise<boolean>;
  /** Tells the pacer a start it allowed reached the server (its first task is queued). */
  started(): void;
  /** Reads made, ms the producer spent without budget (reading or waiting), last drain rate in tasks/s. */
  readonly stats: { reads: number; waitedMs: number; drainPerSecond: number };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A budget of starts refilled from the backlog at each read: the allowed backlog is what the
 * workers drain in `targetWaitMs` (the rate learnt from successive reads: backlog before + tasks
 * this producer queued - backlog now, over the time between), within [minBacklog, maxBacklog];
 * none while the oldest task is older than `maxAgeMs`. Concurrent callers share one read.
 */
export function createBacklogPacer(read: BacklogReader, options: PacerOptions, stopped: () => boolean = () => false): BacklogPacer {
  let budget = 0;
  let lastRead = -Infinity;
  let lastCount: number | null = null;
  let queuedSinceRead = 0;
  let rate = 0;
  let noRoomSince: number | null = null;
  let refreshing: Promise<void> | undefined;
  const stats = { reads: 0, waitedMs: 0, drainPerSecond: 0 };

  async function refresh(): Promise<void> {
    const entered = performance.now();
    try {
      await readInto();
    } finally {
      stats.waitedMs += performance.now() - entered;
    }
  }

  async function readInto(): Promise<void> {
    const wait = lastRead + options.pollMs - performance.now();
    if (wait > 0) await sleep(wait);
    const previousRead = lastRead;
    const backlog = await read();
    const now = performance.now();
    lastRead = now;
    stats.reads += 1;
    if (!backlog) {
      budget = options.unpacedBudget;
      lastCount = null;
      return;
    }
    const queued = queuedSinceRead;
    queuedSinceRead = 0;
    if (lastCount !== null && now > previousRead) {
      const sample = (Math.max(0, lastCount + queued - backlog.count) * 1000) / (now - previousRead);
      // An empty queue means the workers may have waited for work: the sample is only a lower bound.
      rate = backlog.count === 0 ? Math.max(rate, sample) : rate === 0 ? sample : 0.7 * rate + 0.3 * sample;
      stats.drainPerSecond = Math.round(rate * 10) / 10;
    }
    lastCount = backlog.count;
    const allowed = Math.min(options.maxBacklog, Math.max(options.minBacklog, Math.round((rate * options.targetWaitMs) / 1000)));
    budget = backlog.ageMs > options.maxAgeMs ? 0 : Math.max(0, allowed - backlog.count);
    if (budget > 0) noRoomSince = null;
    else if (noRoomSince === null) noRoomSince = now;
    else if (now - noRoomSince > options.stallMs) budget = 1;
  }

  return {
    stats,
    started() {
      queuedSinceRead += 1;
    },
    async acquire() {
      for (;;) {
        if (stopped()) return false;
        if (budget > 0) {
          budget -= 1;
          return true;
        }
        await (refreshing ??= refresh().finally(() => (refreshing = undefined)));
      }
    },
  };
}
