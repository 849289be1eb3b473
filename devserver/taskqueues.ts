// Task queues with long polls. A queue holds references to tasks (the engine validates them
// when they are handed out, so stale entries are simply skipped). Pollers wait in FIFO order;
// a poller whose call is cancelled leaves the queue at once, so no task is handed to a dead call.
// Backlogged tasks are handed out by priority, as Temporal's matching does: the lowest
// `priorityKey` first (1 = highest; unset = the default, 3), first in first out within a key.

export interface TaskRef {
  kind: 'workflow' | 'activity' | 'query';
  namespace: string;
  workflowId: string;
  runId: string;
  /** Activity scheduled event id, or query id for query tasks. */
  id?: string;
  /** Wall-clock ms it was queued (set by offer). */
  at?: number;
  /** Temporal's priority key: lower is served first; undefined or 0 means the default. */
  priorityKey?: number;
}

/** Temporal's default priority key ((min + max) / 2 with the default range 1..5). */
export const DEFAULT_PRIORITY_KEY = 3;

interface Poller {
  resolve(task: TaskRef | undefined): void;
}

/** The tasks of one priority key, first in first out. */
class Level {
  tasks: TaskRef[] = [];
  head = 0;

  take(): TaskRef | undefined {
    if (this.head >= this.tasks.length) return undefined;
    const task = this.tasks[this.head++];
    // Compact now and then instead of shifting on every take.
    if (this.head > 1024 && this.head * 2 > this.tasks.length) {
      this.tasks = this.tasks.slice(this.head);
      this.head = 0;
    }
    return task;
  }

  get size(): number {
    return this.tasks.length - this.head;
  }
}

class Queue {
  /** Backlog by priority key, sorted by key (there are a handful of keys). */
  levels: { key: number; level: Level }[] = [];
  pollers: Poller[] = [];
  /** Wall-clock ms a poller was last seen here (arriving or leaving); 0 = never since boot. */
  seen = 0;

  push(task: TaskRef): void {
    const key = task.priorityKey || DEFAULT_PRIORITY_KEY;
    let i = 0;
    while (i < this.levels.length && this.levels[i]!.key < key) i++;
    if (i === this.levels.length || this.levels[i]!.key !== key) this.levels.splice(i, 0, { key, level: new Level() });
    this.levels[i]!.level.tasks.push(task);
  }

  take(): TaskRef | undefined {
    for (const { level } of this.levels) {
      const task = level.take();
      if (task) return task;
    }
    return undefined;
  }

  get size(): number {
    let n = 0;
    for (const { level } of this.levels) n += level.size;
    return n;
  }

  /** Queue time of the oldest task waiting, whatever its priority. */
  oldest(): number | undefined {
    let at: number | undefined;
    for (const { level } of this.levels) {
      const head = level.size > 0 ? level.tasks[level.head]!.at : undefined;
      if (head !== undefined && (at === undefined || head < at)) at = head;
    }
    return at;
  }
}

export class TaskQueues {
  private queues = new Map<string, Queue>();

  private queue(key: string): Queue {
    let q = this.queues.get(key);
    if (!q) {
      q = new Queue();
      this.queues.set(key, q);
    }
    return q;
  }

  static key(namespace: string, kind: 'workflow' | 'activity', name: string): string {
    return `${namespace}\u0000${kind}\u0000${name}`;
  }

  offer(key: string, task: TaskRef): void {
    const q = this.queue(key);
    task.at = Date.now();
    const poller = q.pollers.shift();
    if (poller) poller.resolve(task);
    else q.push(task);
  }

  /** Waits for a task until `until` (epoch ms, wall clock) or the signal aborts. */
  poll(key: string, signal: AbortSignal, until: number): Promise<TaskRef | undefined> {
    const q = this.queue(key);
    q.seen = Date.now();
    const ready = q.take();
    if (ready) return Promise.resolve(ready);
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const finish = (task: TaskRef | undefined) => {
        q.seen = Date.now();
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(task);
      };
      const poller: Poller = { resolve: finish };
      const leave = () => {
        const i = q.pollers.indexOf(poller);
        if (i >= 0) q.pollers.splice(i, 1);
        finish(undefined);
      };
      const onAbort = () => leave();
      const timer = setTimeout(leave, Math.max(0, until - Date.now()));
      signal.addEventListener('abort', onAbort);
      q.pollers.push(poller);
    });
  }

  /** Forgets a queue nobody will poll again (a shut-down worker's sticky queue); its pollers get no task. */
  remove(key: string): void {
    const q = this.queues.get(key);
    if (!q) return;
    this.queues.delete(key);
    for (const p of q.pollers.splice(0)) p.resolve(undefined);
  }

  /** Ends every waiting poll with no task (server shutdown). */
  releaseAll(): void {
    for (const q of this.queues.values()) {
      for (const p of q.pollers.splice(0)) p.resolve(undefined);
    }
  }

  /**
   * Whether a worker polled this queue within the last `windowMs` (or is polling now): Temporal's
   * matching answers StickyWorkerUnavailable for a sticky queue without such a poller, and the
   * task or query goes to the normal queue instead. A queue nobody polled since boot counts as
   * unavailable, so after a restart nothing waits on a sticky queue whose worker is gone.
   */
  pollerSeenWithin(key: string, windowMs: number): boolean {
    const q = this.queues.get(key);
    if (!q) return false;
    return q.pollers.length > 0 || (q.seen > 0 && Date.now() - q.seen <= windowMs);
  }

  /**
   * Backlog of a queue for DescribeTaskQueue (Temporal's TaskQueueStats): entries waiting and the
   * age of the oldest. Approximate, as Temporal's is: entries that went stale are counted until
   * a poll skips them.
   */
  stats(key: string): { backlog: number; oldestAgeMs: number; pollers: number; lastPoll: number } {
    const q = this.queues.get(key);
    if (!q) return { backlog: 0, oldestAgeMs: 0, pollers: 0, lastPoll: 0 };
    const oldest = q.oldest();
    return { backlog: q.size, oldestAgeMs: oldest ? Date.now() - oldest : 0, pollers: q.pollers.length, lastPoll: q.seen };
  }

  hasPollers(key: string): boolean {
    return (this.queues.get(key)?.pollers.length ?? 0) > 0;
  }
}
