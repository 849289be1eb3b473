// The engine's runs: the in-memory map of workflow runs, recovery from the store, the commit of
// each mutation (one CommitUnit per touched run, group-committed in call order) and the state
// derived after it (timers armed on the clock, task-queue entries, time-skipping locks).
//
// The engine is one class built in layers, one concern per file (devserver/engine.ts lists
// them). A layer calls what a later layer provides through the abstract methods declared here
// or in the layer that first needs them.
import type { Clock } from '../clock.ts';
import { FailedPreconditionError, InvalidArgumentError, WorkflowNotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { fromJson } from '../store/codec.ts';
import type { CommitUnit, HistoryEventObject, RunKey, VisibilityRecord, WorkflowStore } from '../store/types.ts';
import { TaskQueues } from '../taskqueues.ts';
import type { RunState } from '../workflow/state.ts';
import { visibilityOfState } from '../visibility/record.ts';
import {
  type Obj,
  DEFAULT_TASK_TIMEOUT_MS,
  DEFAULT_STICKY_TIMEOUT_MS,
  snapshotOf,
  type QueryWaiter,
  type Run,
  type NamespaceResolver,
  type EngineOptions,
} from './model.ts';

export abstract class EngineRuns {
  // Provided by later layers.
  protected abstract fireTimer(run: Run, key: string): void;
  protected abstract startPendingChildren(run: Run): void;
  protected abstract stickyAvailable(s: RunState): boolean;

  readonly queues = new TaskQueues();
  protected readonly store: WorkflowStore;
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  protected readonly namespaces: NamespaceResolver;
  protected readonly runs = new Map<string, Run>();
  protected readonly openByWorkflowId = new Map<string, Run>();
  protected readonly dirty = new Set<Run>();
  protected readonly historyWaiters = new Map<string, Set<(run: Run) => void>>();
  protected readonly updateWaiters = new Map<string, Set<() => void>>();
  /** Update waiters to wake once the current mutations are committed (`runId/updateId`). */
  protected pendingUpdateNotifications = new Set<string>();
  protected readonly queries = new Map<string, QueryWaiter>();
  protected readonly deadStickyQueues = new Set<string>();
  protected taskSeq = Date.now();
  protected readonly counters = {
    workflowTasks: 0,
    stickyWorkflowTasks: 0,
    activityTasks: 0,
    eagerActivityTasks: 0,
    commits: 0,
    /** Workflow tasks that timed out (start-to-close) and were retried. */
    workflowTaskTimeouts: 0,
    /** Sticky workflow tasks nobody took in time, moved to the normal queue. */
    stickyFallbacks: 0,
    /** Workflow tasks and queries sent to the normal queue because the sticky queue had no poller (StickyWorkerUnavailable). */
    stickyUnavailable: 0,
    /** Workflow task completions/failures answered NotFound (stale or unknown token). */
    staleWorkflowTaskResponses: 0,
    /** Speculative workflow tasks (updates) answered with rejections only: no events written. */
    discardedSpeculativeTasks: 0,
  };
  protected stopped = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger;
    this.namespaces = options.namespaces;
  }

  /** Rebuilds open runs from the store and re-arms their timers and tasks. */
  async recover(): Promise<number> {
    const stored = await this.store.loadOpenRuns();
    for (const item of stored) {
      const s = fromJson<RunState>(item.snapshot);
      // A speculative task lived only in memory, as did the updates it carried (their callers retry).
      if (s.wft?.speculative) s.wft = undefined;
      const events = await this.store.readHistory(item.key, 1, Number.MAX_SAFE_INTEGER);
      const run = this.newRun(s, events);
      // A dispatched-but-unstarted workflow task is requeued; a started one keeps its token so
      // a worker that survived the restart can still complete it.
      this.runs.set(s.runId, run);
      this.openByWorkflowId.set(this.wfKey(s.namespace, s.workflowId), run);
    }
    for (const run of this.runs.values()) {
      this.afterMutation(run);
      this.startPendingChildren(run);
    }
    return stored.length;
  }

  stop(): void {
    this.stopped = true;
    for (const run of this.runs.values()) {
      for (const t of run.armed.values()) t.handle.cancel();
      run.armed.clear();
    }
    this.queues.releaseAll();
    for (const q of this.queries.values()) q.reject(new FailedPreconditionError('server stopping'));
    this.queries.clear();
  }

  protected newRun(s: RunState, events: HistoryEventObject[]): Run {
    return {
      s,
      events,
      uncommitted: [],
      armed: new Map(),
      locks: 0,
      activityLocks: 0,
      wftEnqueued: false,
      enqueuedActivities: new Set(),
      admitted: new Map(),
      closing: false,
      startingChildren: new Set(),
      rejected: new Map(),
    };
  }

  protected wfKey(namespace: string, workflowId: string): string {
    return `${namespace}\u0000${workflowId}`;
  }

  protected now(): number {
    return this.clock.now();
  }

  protected isOpen(run: Run): boolean {
    return run.s.status === 'Running';
  }

  protected wftInFlight(run: Run): boolean {
    return run.s.wft?.startedEventId !== undefined;
  }

  protected requireNamespace(namespace: string): void {
    this.namespaces.require(namespace);
  }

  protected async lookupCurrent(namespace: string, workflowId: string): Promise<{ open?: Run; closed?: RunState }> {
    const open = this.openByWorkflowId.get(this.wfKey(namespace, workflowId));
    if (open) return { open };
    const runId = await this.store.getCurrentRunId(namespace, workflowId);
    if (!runId) return {};
    const inMemory = this.runs.get(runId);
    if (inMemory) return this.isOpen(inMemory) ? { open: inMemory } : { closed: inMemory.s };
    const stored = await this.store.getRun({ namespace, workflowId, runId });
    if (!stored) return {};
    const s = fromJson<RunState>(stored.snapshot);
    return s.status === 'Running' ? {} : { closed: s };
  }

  protected async loadRunState(key: RunKey): Promise<RunState | undefined> {
    const run = this.runs.get(key.runId);
    if (run) return run.s.workflowId === key.workflowId ? run.s : undefined;
    const stored = await this.store.getRun(key);
    return stored ? fromJson<RunState>(stored.snapshot) : undefined;
  }

  /** Resolves the run an RPC addresses (runId empty = current run). */
  protected async resolveRun(namespace: string, execution: Obj | undefined): Promise<{ run?: Run; state: RunState }> {
    this.requireNamespace(namespace);
    const workflowId: string = execution?.workflowId ?? '';
    const runId: string = execution?.runId ?? '';
    if (!workflowId) throw new InvalidArgumentError('WorkflowId is not set on request.');
    if (runId) {
      const run = this.runs.get(runId);
      if (run && run.s.workflowId === workflowId && run.s.namespace === namespace) return { run, state: run.s };
      const stored = await this.store.getRun({ namespace, workflowId, runId });
      if (!stored) throw new WorkflowNotFoundError(workflowId, runId);
      const again = this.runs.get(runId);
      if (again) return { run: again, state: again.s };
      return { state: fromJson<RunState>(stored.snapshot) };
    }
    const current = await this.lookupCurrent(namespace, workflowId);
    if (current.open) return { run: current.open, state: current.open.s };
    if (current.closed) return { state: current.closed };
    throw new WorkflowNotFoundError(workflowId);
  }

  protected async commit(): Promise<void> {
    // Update callers are answered only once what they wait for is durable.
    const notify = this.pendingUpdateNotifications;
    if (notify.size > 0) this.pendingUpdateNotifications = new Set();
    if (this.dirty.size === 0) {
      // (Never in practice: whatever queues a notification also dirties its run.)
      for (const key of notify) this.notifyUpdate(key);
      return;
    }
    const runs = [...this.dirty];
    this.dirty.clear();
    const units: CommitUnit[] = [];
    const withEvents: Run[] = [];
    for (const run of runs) {
      this.afterMutation(run);
      if (run.uncommitted.length > 0) withEvents.push(run);
      units.push({
        key: { namespace: run.s.namespace, workflowId: run.s.workflowId, runId: run.s.runId },
        newEvents: run.uncommitted,
        snapshot: snapshotOf(run.s),
        visibility: this.visibilityOf(run),
        closed: !this.isOpen(run),
        makeCurrent: true,
      });
      run.uncommitted = [];
    }
    this.counters.commits++;
    await this.store.commit(units);
    for (const run of runs) {
      if (run.closing && run.uncommitted.length === 0 && !this.dirty.has(run)) {
        this.runs.delete(run.s.runId);
        this.updateWaiters.forEach((_set, key) => {
          if (key.startsWith(run.s.runId + '/')) this.notifyUpdate(key);
        });
      }
    }
    for (const run of withEvents) this.notifyHistory(run);
    for (const key of notify) this.notifyUpdate(key);
  }

  protected commitSoon(): void {
    this.commit().catch((error: unknown) => this.logger.error({ err: error }, 'devserver commit failed'));
  }

  /** Wakes history long polls; they get the run itself, which may just have left RAM (closed). */
  protected notifyHistory(run: Run): void {
    const waiters = this.historyWaiters.get(run.s.runId);
    if (!waiters) return;
    this.historyWaiters.delete(run.s.runId);
    for (const w of waiters) w(run);
  }

  protected notifyUpdate(key: string): void {
    const waiters = this.updateWaiters.get(key);
    if (!waiters) return;
    this.updateWaiters.delete(key);
    for (const w of waiters) w();
  }

  /** Wakes the update's waiters after the next commit. */
  protected notifyUpdateSoon(runId: string, updateId: string): void {
    this.pendingUpdateNotifications.add(`${runId}/${updateId}`);
  }

  protected afterMutation(run: Run): void {
    if (this.stopped) return;
    const s = run.s;
    const open = this.isOpen(run);
    const now = this.now();
    const desired = new Map<string, number>();
    let locks = 0;
    let activityLocks = 0;
    if (open) {
      const wft = s.wft;
      if (wft) {
        if (wft.startedEventId !== undefined) {
          desired.set('wft-timeout', (wft.startedTime ?? now) + (s.taskTimeoutMs || DEFAULT_TASK_TIMEOUT_MS));
          locks++;
        } else if (wft.notBefore && wft.notBefore > now) {
          desired.set('wft-backoff', wft.notBefore);
        } else {
          locks++;
          if (wft.sticky && s.stickyQueue && !run.wftEnqueued && !this.stickyAvailable(s)) {
            // Temporal's matching refuses a task for a sticky queue without a recent poller
            // (StickyWorkerUnavailable) and history sends it to the normal queue instead: the
            // worker is gone (it vanished, or this server restarted since it last polled).
            s.stickyQueue = undefined;
            wft.sticky = false;
            this.counters.stickyUnavailable++;
          }
          if (wft.sticky && s.stickyQueue) {
            desired.set('wft-sticky', wft.scheduledTime + (s.stickyScheduleToStartMs || DEFAULT_STICKY_TIMEOUT_MS));
          }
          if (!run.wftEnqueued) {
            run.wftEnqueued = true;
            const sticky = wft.sticky && !!s.stickyQueue;
            const queue = sticky ? s.stickyQueue! : s.taskQueue;
            this.queues.offer(TaskQueues.key(s.namespace, 'workflow', queue), {
              kind: 'workflow',
              namespace: s.namespace,
              workflowId: s.workflowId,
              runId: s.runId,
              priorityKey: s.priority?.priorityKey,
              id: `${sticky ? 's' : 'n'}:${wft.attempt}`,
            });
          }
        }
      }
      for (const timerId of Object.keys(s.timers)) desired.set('timer:' + timerId, s.timers[timerId]!.fireTime);
      for (const act of Object.values(s.activities)) {
        const sid = act.scheduledEventId;
        if (act.scheduleToCloseMs > 0) desired.set(`act:${sid}:s2c`, act.scheduledTime + act.scheduleToCloseMs);
        if (act.startedTime !== undefined) {
          activityLocks++;
          if (act.startToCloseMs > 0) desired.set(`act:${sid}:start`, act.startedTime + act.startToCloseMs);
          if (act.heartbeatMs > 0) desired.set(`act:${sid}:hb`, (act.lastHeartbeatTime ?? act.startedTime) + act.heartbeatMs);
        } else if (act.attemptScheduledTime > now) {
          desired.set(`act:${sid}:retry`, act.attemptScheduledTime);
        } else {
          locks++;
          if (act.scheduleToStartMs > 0) desired.set(`act:${sid}:s2s`, act.attemptScheduledTime + act.scheduleToStartMs);
          const ref = `${sid}:${act.attempt}`;
          if (!run.enqueuedActivities.has(ref)) {
            run.enqueuedActivities.add(ref);
            this.queues.offer(TaskQueues.key(s.namespace, 'activity', act.taskQueue), {
              kind: 'activity',
              namespace: s.namespace,
              workflowId: s.workflowId,
              runId: s.runId,
              priorityKey: act.priority?.priorityKey,
              id: ref,
            });
          }
        }
      }
      if (s.runTimeoutMs > 0) desired.set('run-timeout', s.executionTime + s.runTimeoutMs);
      if (s.executionExpiration > 0) desired.set('exec-timeout', s.executionExpiration);
    }
    for (const [key, timer] of run.armed) {
      if (desired.get(key) !== timer.at) {
        timer.handle.cancel();
        run.armed.delete(key);
      }
    }
    for (const [key, at] of desired) {
      if (run.armed.has(key)) continue;
      const handle = this.clock.schedule(at, () => this.onTimer(run, key, at));
      run.armed.set(key, { at, handle });
    }
    while (run.locks < locks) {
      this.clock.lock();
      run.locks++;
    }
    while (run.activityLocks < activityLocks) {
      this.clock.lock(true);
      run.activityLocks++;
    }
    while (run.locks > locks) {
      this.clock.unlock();
      run.locks--;
    }
    while (run.activityLocks > activityLocks) {
      this.clock.unlock(true);
      run.activityLocks--;
    }
  }

  protected async onTimer(run: Run, key: string, at: number): Promise<void> {
    const armed = run.armed.get(key);
    if (!armed || armed.at !== at) return;
    run.armed.delete(key);
    if (!this.isOpen(run) || this.runs.get(run.s.runId) !== run) return;
    try {
      this.fireTimer(run, key);
      this.dirty.add(run);
      await this.commit();
    } catch (error) {
      this.logger.error({ err: error, key, runId: run.s.runId }, 'devserver timer failed');
    }
  }

  protected visibilityOf(run: Run): VisibilityRecord {
    return visibilityOfState(run.s);
  }

  /** Counts for tests and the benchmark: how much workflow state is held in RAM. */
  stats(): { runsInMemory: number; openRuns: number; queries: number } & EngineRuns['counters'] {
    return { runsInMemory: this.runs.size, openRuns: this.openByWorkflowId.size, queries: this.queries.size, ...this.counters };
  }
}
