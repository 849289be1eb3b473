// Time for the devserver. RealClock follows the wall clock. SkippingClock follows the semantics
// of Temporal's Java test server (SelfAdvancingTimerImpl): while its lock count is zero it jumps
// straight to the next due timer; the engine holds a lock for every workflow or activity task
// that is queued or running, and test code holds one (TestService LockTimeSkipping) while it is
// not waiting on a workflow result. Each timer callback runs under a lock, so the clock cannot
// jump again before the work the timer triggered has taken its own locks. The engine's locks and
// the test code's locks are counted apart: time moves only when the engine holds none and the
// test code's count is not positive (see unlockClient).

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs callback once the clock reaches `at` (epoch ms). A returned promise holds the clock. */
  schedule(at: number, callback: () => unknown): TimerHandle;
  /** `activity`: the lock of a running activity (see SkippingClock.unlockClientWhileSleeping). */
  lock(activity?: boolean): void;
  unlock(activity?: boolean): void;
  readonly skipping: boolean;
}

// setTimeout cannot wait longer than this; longer waits are re-armed in steps.
const MAX_TIMEOUT = 2 ** 31 - 1;

export class RealClock implements Clock {
  readonly skipping = false;
  now(): number {
    return Date.now();
  }
  schedule(at: number, callback: () => unknown): TimerHandle {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const wait = at - Date.now();
      if (wait > MAX_TIMEOUT) handle = setTimeout(arm, MAX_TIMEOUT);
      else handle = setTimeout(() => void callback(), Math.max(0, wait));
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  }
  lock(): void {}
  unlock(): void {}
}

interface SkippingTimer {
  at: number;
  seq: number;
  callback: () => unknown;
  cancelled: boolean;
}

export class SkippingClock implements Clock {
  readonly skipping = true;
  private offset = 0;
  /** Locks of the engine (queued and running tasks) and of running timer callbacks; never < 0. */
  private locks = 0;
  /** Of `locks`, those of running activities. */
  private activityLocks = 0;
  /** UnlockTimeSkippingWithSleep calls waiting for their time. */
  private sleepers = 0;
  /** Locks of test code (TestService Lock/Unlock); may dip below zero. */
  private clientLocks: number;
  private seq = 0;
  private heap: SkippingTimer[] = [];
  private wallTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  private stopped = false;

  /** initiallyLocked mirrors the Java test server started without --enable-time-skipping. */
  constructor(initiallyLocked: boolean) {
    this.clientLocks = initiallyLocked ? 1 : 0;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  get lockCount(): number {
    return this.locks + this.clientLocks;
  }

  /**
   * The Java test server keeps one counter, so an UnlockTimeSkippingWithSleep that takes it below
   * the test code's own locks cancels the lock of the activity that called it
   * (`TestWorkflowEnvironment.sleep()` inside an activity: time moves by the requested duration
   * while that activity is in flight). Here the counts are kept apart, so that one case is
   * counted explicitly: each sleep that took the test count below zero cancels one running
   * activity's lock, never a workflow task's.
   */
  private get skippable(): boolean {
    const cancelled = Math.min(this.activityLocks, this.sleepers, Math.max(0, -this.clientLocks));
    return this.locks - cancelled <= 0 && this.clientLocks <= 0;
  }

  schedule(at: number, callback: () => unknown): TimerHandle {
    const timer: SkippingTimer = { at, seq: this.seq++, callback, cancelled: false };
    this.push(timer);
    this.requestPump();
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** The engine's lock: a workflow or activity task queued or running. */
  lock(activity = false): void {
    this.locks++;
    if (activity) this.activityLocks++;
  }

  unlock(activity = false): void {
    this.locks--;
    if (activity) this.activityLocks--;
    if (this.skippable) this.requestPump();
  }

  /** TestService UnlockTimeSkippingWithSleep: unlocks until `at`, then locks again. */
  async unlockClientWhileSleeping(at: number): Promise<void> {
    const done = new Promise<void>((resolve) => this.schedule(at, () => resolve()));
    this.sleepers++;
    this.unlockClient();
    try {
      await done;
    } finally {
      this.sleepers--;
      this.lockClient();
    }
  }

  /** TestService LockTimeSkipping. */
  lockClient(): void {
    this.clientLocks++;
  }

  /**
   * TestService UnlockTimeSkipping. The count may dip below zero: the SDK's time-skipping client
   * unlocks before and relocks after each result(), so awaiting several results at once
   * (Promise.all) unlocks twice before any relock. The Java test server refuses that ("Unbalanced
   * lock and unlock calls"), which fails such tests for no reason; here time is skipped while the
   * count is not positive, and the relocks bring it back. It is kept apart from the engine's
   * locks: summed, a negative client count cancelled the locks of tasks in flight, so the clock
   * jumped over their 10 s start-to-close timeouts (WorkflowTaskTimedOut in skipped time, and
   * "Task not found when completing" when the worker answered).
   */
  unlockClient(): void {
    this.clientLocks--;
    if (this.skippable) this.requestPump();
  }

  /** Moves time forward by ms at once (TestService Sleep while locked still moves time). */
  advanceTo(at: number): void {
    const now = this.now();
    if (at > now) this.offset += at - now;
    this.requestPump();
  }

  stop(): void {
    this.stopped = true;
    if (this.wallTimer) clearTimeout(this.wallTimer);
  }

  // Deferred so that work started in the current tick can take its locks before we skip.
  private requestPump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.wallTimer) {
      clearTimeout(this.wallTimer);
      this.wallTimer = undefined;
    }
    for (;;) {
      const next = this.peek();
      if (!next) return;
      const now = this.now();
      if (next.at > now) {
        if (this.skippable) {
          this.offset += next.at - now;
        } else {
          this.wallTimer = setTimeout(() => this.pump(), Math.min(MAX_TIMEOUT, next.at - now));
          return;
        }
      }
      this.pop();
      this.locks++;
      let result: unknown;
      try {
        result = next.callback();
      } catch {
        result = undefined;
      }
      Promise.resolve(result)
        .catch(() => undefined)
        .finally(() => this.unlock());
      // Let the callback's synchronous follow-ups take locks before looking again.
      this.requestPump();
      return;
    }
  }

  private peek(): SkippingTimer | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private less(a: SkippingTimer, b: SkippingTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: SkippingTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): SkippingTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}
