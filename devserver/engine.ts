// The workflow engine: every workflow run's mutable state, its history, and what each RPC,
// command and timer does to them, following Temporal's server (and its Java test server where
// the two agree).
//
// Concurrency model: a mutation runs synchronously on in-memory state (no await inside), marks
// the runs it touched dirty, then `commit()` hands one CommitUnit per dirty run to the store and
// the RPC answers once that commit is durable. The store applies commits in call order, so an
// answer implies every earlier mutation is durable too. Timers, task-queue entries and
// time-skipping locks are derived from the state after each mutation (see `afterMutation`).
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from './clock.ts';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  QueryFailedError,
  WorkflowAlreadyStartedError,
  WorkflowClosedError,
  WorkflowNotFoundError,
} from './errors.ts';
import type { Logger } from './logger.ts';
import { decodeMessage, lookupType, packAny } from './proto.ts';
import { fromJson, toJson } from './store/codec.ts';
import type {
  CommitUnit,
  HistoryEventObject,
  PayloadObject,
  RunKey,
  SearchValue,
  VisibilityRecord,
  WorkflowStore,
} from './store/types.ts';
import { TaskQueues, type TaskRef } from './taskqueues.ts';
import { decideRetry, withActivityDefaults, type FailureObject, type RetryPolicyObject } from './workflow/retry.ts';
import type { ActivityState, RunState } from './workflow/state.ts';
import { durationMs, fromTimestamp, toDuration, toTimestamp } from './workflow/time.ts';

// Protobuf messages as plain objects; the engine reads a handful of fields from each.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const DEFAULT_TASK_TIMEOUT_MS = 10_000;
const DEFAULT_STICKY_TIMEOUT_MS = 10_000;
/** Temporal matching's stickyPollerUnavailableWindow: a sticky queue nobody polled for this long is dead. */
const STICKY_POLLER_UNAVAILABLE_WINDOW_MS = 10_000;
const HISTORY_PAGE_SIZE = 1000;
const MAX_POLL_WAIT_MS = 60_000;
/** Temporal's DiscardSpeculativeWorkflowTaskMaximumEventsCount default. */
const DISCARD_SPECULATIVE_MAX_EVENTS = 10;
const SIGNAL_DEDUPE_WINDOW = 100;

/** What Temporal gives an accepted update whose workflow closed before the update completed. */
const ACCEPTED_UPDATE_COMPLETED_WORKFLOW_FAILURE = {
  message: 'Workflow Update failed because the Workflow completed before the Update completed.',
  source: 'Server',
  applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
};

const CLOSING_COMMANDS = new Set([
  'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION',
]);

// Both conversions run for every event written or read: memoized (a few dozen names).
const eventTypeNames = new Map<string, string>();
const camelNames = new Map<string, string>();

function eventTypeName(camel: string): string {
  let name = eventTypeNames.get(camel);
  if (name === undefined) {
    name = 'EVENT_TYPE_' + camel.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
    eventTypeNames.set(camel, name);
  }
  return name;
}

function camelFromEventType(eventType: string): string {
  let camel = camelNames.get(eventType);
  if (camel === undefined) {
    camel = eventType
      .slice('EVENT_TYPE_'.length)
      .toLowerCase()
      .replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    camelNames.set(eventType, camel);
  }
  return camel;
}

function attrsOf(event: HistoryEventObject): Obj {
  return (event[camelFromEventType(event.eventType) + 'EventAttributes'] ?? {}) as Obj;
}

/** The run's snapshot for a CommitUnit: serialized on first call only. */
function snapshotOf(s: RunState): () => string {
  let text: string | undefined;
  return () => (text ??= toJson(s));
}

interface TaskToken {
  k: 'w' | 'a' | 'q';
  ns: string;
  wid: string;
  rid: string;
  sid?: number;
  att?: number;
  n?: string;
  qid?: string;
}

function encodeToken(token: TaskToken): Uint8Array {
  return Buffer.from(JSON.stringify(token));
}

function decodeToken(bytes: Uint8Array | undefined): TaskToken {
  try {
    return JSON.parse(Buffer.from(bytes ?? []).toString()) as TaskToken;
  } catch {
    throw new InvalidArgumentError('invalid task token');
  }
}

interface QueryWaiter {
  id: string;
  key: RunKey;
  /** The run's normal task queue. */
  taskQueue: string;
  query: Obj;
  /** queued: waiting to be dispatched; task: sent as a query task; wft: rides a workflow task. */
  state: 'waiting' | 'queued' | 'task' | 'wft';
  /** The sticky queue it waits on when queued there (it moves to the normal queue after the sticky timeout). */
  stickyQueue?: string;
  stickyTimer?: NodeJS.Timeout;
  resolve(result: Obj): void;
  reject(error: Error): void;
}

interface AdmittedUpdate {
  request: Obj;
  delivered: boolean;
}

interface Run {
  s: RunState;
  events: HistoryEventObject[];
  uncommitted: HistoryEventObject[];
  armed: Map<string, { at: number; handle: TimerHandle }>;
  locks: number;
  /** Of `locks`, those of running activities. */
  activityLocks: number;
  wftEnqueued: boolean;
  enqueuedActivities: Set<string>;
  admitted: Map<string, AdmittedUpdate>;
  /** Set when the run closed in this process; it leaves RAM once that is committed. */
  closing: boolean;
  /** Children not started yet for which a start is under way. */
  startingChildren: Set<string>;
  /** WorkflowTaskScheduled/Started of the speculative task in flight, not in history (yet). */
  speculativeEvents?: HistoryEventObject[];
  /** Outcomes of updates rejected lately: like Temporal, kept in memory only, never in history. */
  rejected: Map<string, Obj>;
}

export interface NamespaceResolver {
  require(namespace: string): void;
}

export interface EngineOptions {
  store: WorkflowStore;
  clock: Clock;
  logger: Logger;
  namespaces: NamespaceResolver;
}

export class Engine {
  readonly queues = new TaskQueues();
  private readonly store: WorkflowStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly namespaces: NamespaceResolver;
  private readonly runs = new Map<string, Run>();
  private readonly openByWorkflowId = new Map<string, Run>();
  private readonly dirty = new Set<Run>();
  private readonly historyWaiters = new Map<string, Set<(run: Run) => void>>();
  private readonly updateWaiters = new Map<string, Set<() => void>>();
  /** Update waiters to wake once the current mutations are committed (`runId/updateId`). */
  private pendingUpdateNotifications = new Set<string>();
  private readonly queries = new Map<string, QueryWaiter>();
  private readonly deadStickyQueues = new Set<string>();
  private taskSeq = Date.now();
  private readonly counters = {
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
  private stopped = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger;
    this.namespaces = options.namespaces;
  }

  // ---------------------------------------------------------------- lifecycle

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

  private newRun(s: RunState, events: HistoryEventObject[]): Run {
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

  private wfKey(namespace: string, workflowId: string): string {
    return `${namespace}\u0000${workflowId}`;
  }

  private now(): number {
    return this.clock.now();
  }

  private isOpen(run: Run): boolean {
    return run.s.status === 'Running';
  }

  private wftInFlight(run: Run): boolean {
    return run.s.wft?.startedEventId !== undefined;
  }

  // ---------------------------------------------------------------- history writing

  /** Appends an event to history now (not buffered). */
  private write(run: Run, type: string, attrs: Obj): HistoryEventObject {
    const event = this.makeEvent(run.s.nextEventId++, type, attrs);
    run.events.push(event);
    run.uncommitted.push(event);
    this.dirty.add(run);
    return event;
  }

  private makeEvent(eventId: number, type: string, attrs: Obj): HistoryEventObject {
    return {
      eventId,
      eventTime: toTimestamp(this.now()),
      eventType: eventTypeName(type),
      taskId: ++this.taskSeq,
      [type + 'EventAttributes']: attrs,
    };
  }

  /**
   * A speculative workflow task becomes a normal one (an event came in, it failed or timed out,
   * or its completion changed the workflow): its Scheduled/Started events, if it was started,
   * are written to history now, as Temporal's convertSpeculativeWorkflowTaskToNormal does.
   */
  private materializeSpeculative(run: Run): void {
    const wft = run.s.wft;
    if (!wft?.speculative) return;
    wft.speculative = false;
    const events = run.speculativeEvents;
    run.speculativeEvents = undefined;
    for (const event of events ?? []) {
      event.eventId = run.s.nextEventId++;
      run.events.push(event);
      run.uncommitted.push(event);
    }
    this.dirty.add(run);
  }

  /** Appends an event, or buffers it while a workflow task is running (written after it). */
  private record(run: Run, type: string, attrs: Obj): void {
    this.materializeSpeculative(run);
    if (this.wftInFlight(run)) {
      run.s.buffered.push({
        eventId: 0,
        eventTime: toTimestamp(this.now()),
        eventType: eventTypeName(type),
        taskId: ++this.taskSeq,
        [type + 'EventAttributes']: attrs,
      });
      this.dirty.add(run);
    } else {
      this.write(run, type, attrs);
    }
  }

  private flushBuffered(run: Run): boolean {
    const buffered = run.s.buffered;
    if (buffered.length === 0) return false;
    run.s.buffered = [];
    const childStarted = new Map<number, number>();
    for (const event of buffered) {
      event.eventId = run.s.nextEventId++;
      const attrs = attrsOf(event);
      // -1 marks "the event written just before" (ActivityTaskStarted before its outcome).
      if (attrs.startedEventId === -1) attrs.startedEventId = event.eventId - 1;
      if (event.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED') {
        childStarted.set(attrs.initiatedEventId, event.eventId);
        const child = run.s.children[String(attrs.initiatedEventId)];
        if (child) child.startedEventId = event.eventId;
      } else if (attrs.startedEventId === -2) {
        attrs.startedEventId = childStarted.get(attrs.initiatedEventId) ?? 0;
      }
      run.events.push(event);
      run.uncommitted.push(event);
    }
    this.dirty.add(run);
    return true;
  }

  private scheduleWorkflowTask(run: Run, notBefore?: number): void {
    if (!this.isOpen(run) || run.s.wft) return;
    run.s.wft = {
      attempt: 1,
      scheduledTime: Math.max(this.now(), notBefore ?? 0),
      sticky: !!run.s.stickyQueue,
      notBefore,
    };
    run.wftEnqueued = false;
    this.dirty.add(run);
  }

  /**
   * A speculative workflow task for updates (Temporal's UpdateWorkflowExecution with no task
   * pending): nothing is written; the caller runs afterMutation to queue it.
   */
  private scheduleSpeculativeWorkflowTask(run: Run): void {
    if (!this.isOpen(run) || run.s.wft) return;
    run.s.wft = { attempt: 1, scheduledTime: this.now(), sticky: !!run.s.stickyQueue, speculative: true };
    run.wftEnqueued = false;
  }

  // ---------------------------------------------------------------- commit and derived state

  private async commit(): Promise<void> {
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

  /** Wakes history long polls; they get the run itself, which may just have left RAM (closed). */
  private notifyHistory(run: Run): void {
    const waiters = this.historyWaiters.get(run.s.runId);
    if (!waiters) return;
    this.historyWaiters.delete(run.s.runId);
    for (const w of waiters) w(run);
  }

  private notifyUpdate(key: string): void {
    const waiters = this.updateWaiters.get(key);
    if (!waiters) return;
    this.updateWaiters.delete(key);
    for (const w of waiters) w();
  }

  private afterMutation(run: Run): void {
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

  private async onTimer(run: Run, key: string, at: number): Promise<void> {
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

  private fireTimer(run: Run, key: string): void {
    const s = run.s;
    const now = this.now();
    if (key === 'wft-backoff') {
      if (s.wft) s.wft.notBefore = undefined;
      return;
    }
    if (key === 'wft-sticky') {
      // Nobody took the task from the sticky queue in time: offer it on the normal queue.
      if (s.wft && s.wft.startedEventId === undefined) {
        s.wft.sticky = false;
        run.wftEnqueued = false;
        this.counters.stickyFallbacks++;
      }
      return;
    }
    if (key === 'wft-timeout') {
      const wft = s.wft;
      if (!wft || wft.startedEventId === undefined) return;
      this.counters.workflowTaskTimeouts++;
      this.materializeSpeculative(run);
      this.write(run, 'workflowTaskTimedOut', {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE',
      });
      this.retryWorkflowTask(run);
      return;
    }
    if (key.startsWith('timer:')) {
      const timerId = key.slice('timer:'.length);
      const timer = s.timers[timerId];
      if (!timer) return;
      delete s.timers[timerId];
      this.record(run, 'timerFired', { timerId, startedEventId: timer.startedEventId });
      this.scheduleWorkflowTask(run);
      return;
    }
    if (key.startsWith('act:')) {
      const [, sid, kind] = key.split(':');
      const act = s.activities[sid!];
      if (!act) return;
      if (kind === 'retry') return; // afterMutation now enqueues the new attempt
      if (kind === 's2s') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_SCHEDULE_TO_START', false);
      if (kind === 's2c') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE', false);
      if (kind === 'start') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_START_TO_CLOSE', true);
      if (kind === 'hb') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_HEARTBEAT', true);
      return;
    }
    if (key === 'run-timeout' || key === 'exec-timeout') {
      if (now < (key === 'run-timeout' ? s.executionTime + s.runTimeoutMs : s.executionExpiration)) return;
      this.closeRun(run, 'TimedOut', 'workflowExecutionTimedOut', { retryState: 'RETRY_STATE_TIMEOUT' });
    }
  }

  // ---------------------------------------------------------------- starting runs

  private requireNamespace(namespace: string): void {
    this.namespaces.require(namespace);
  }

  private async lookupCurrent(namespace: string, workflowId: string): Promise<{ open?: Run; closed?: RunState }> {
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

  private async loadRunState(key: RunKey): Promise<RunState | undefined> {
    const run = this.runs.get(key.runId);
    if (run) return run.s.workflowId === key.workflowId ? run.s : undefined;
    const stored = await this.store.getRun(key);
    return stored ? fromJson<RunState>(stored.snapshot) : undefined;
  }

  /** Resolves the run an RPC addresses (runId empty = current run). */
  private async resolveRun(namespace: string, execution: Obj | undefined): Promise<{ run?: Run; state: RunState }> {
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

  private createRun(p: {
    namespace: string;
    workflowId: string;
    runId?: string;
    workflowType: string;
    taskQueue: string;
    input?: Obj;
    header?: Obj;
    executionTimeoutMs: number;
    runTimeoutMs: number;
    taskTimeoutMs: number;
    identity?: string;
    requestId: string;
    retryPolicy?: RetryPolicyObject;
    attempt: number;
    cronSchedule?: string;
    memo?: Record<string, PayloadObject>;
    searchAttributes?: Record<string, PayloadObject>;
    parent?: RunState['parent'];
    root?: RunState['root'];
    firstRunId?: string;
    continuedExecutionRunId?: string;
    initiator?: string;
    continuedFailure?: Obj;
    lastCompletionResult?: Obj;
    backoffMs?: number;
    executionExpiration?: number;
    links?: Obj[];
  }): Run {
    const now = this.now();
    const runId = p.runId ?? randomUUID();
    const firstRunId = p.firstRunId ?? runId;
    const executionExpiration =
      p.executionExpiration ?? (p.executionTimeoutMs > 0 ? now + p.executionTimeoutMs : 0);
    // Without an explicit run timeout a run may last as long as the whole execution.
    const runTimeoutMs = p.runTimeoutMs || p.executionTimeoutMs;
    const backoffMs = p.backoffMs ?? 0;
    const s: RunState = {
      namespace: p.namespace,
      workflowId: p.workflowId,
      runId,
      firstRunId,
      workflowType: p.workflowType,
      taskQueue: p.taskQueue,
      status: 'Running',
      startTime: now,
      executionTime: now + backoffMs,
      startRequestId: p.requestId,
      nextEventId: 1,
      previousStartedEventId: 0,
      executionTimeoutMs: p.executionTimeoutMs,
      runTimeoutMs,
      taskTimeoutMs: p.taskTimeoutMs || DEFAULT_TASK_TIMEOUT_MS,
      executionExpiration,
      attempt: p.attempt,
      retryPolicy: p.retryPolicy,
      cronSchedule: p.cronSchedule || undefined,
      parent: p.parent,
      root: p.root ?? (p.parent ? undefined : { workflowId: p.workflowId, runId }),
      memo: p.memo,
      searchAttributes: p.searchAttributes,
      buffered: [],
      activities: {},
      timers: {},
      children: {},
      external: {},
      cancelRequested: false,
      updates: {},
      signalRequestIds: [],
      historySizeBytes: 0,
    };
    const run = this.newRun(s, []);
    this.write(run, 'workflowExecutionStarted', {
      workflowType: { name: p.workflowType },
      parentWorkflowNamespace: p.parent?.namespace,
      parentWorkflowExecution: p.parent ? { workflowId: p.parent.workflowId, runId: p.parent.runId } : undefined,
      parentInitiatedEventId: p.parent?.initiatedEventId,
      taskQueue: { name: p.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: p.input,
      workflowExecutionTimeout: p.executionTimeoutMs ? toDuration(p.executionTimeoutMs) : undefined,
      workflowRunTimeout: runTimeoutMs ? toDuration(runTimeoutMs) : undefined,
      workflowTaskTimeout: toDuration(s.taskTimeoutMs),
      continuedExecutionRunId: p.continuedExecutionRunId,
      initiator: p.initiator,
      continuedFailure: p.continuedFailure,
      lastCompletionResult: p.lastCompletionResult,
      originalExecutionRunId: runId,
      identity: p.identity,
      firstExecutionRunId: firstRunId,
      retryPolicy: p.retryPolicy,
      attempt: p.attempt,
      workflowExecutionExpirationTime: executionExpiration ? toTimestamp(executionExpiration) : undefined,
      cronSchedule: p.cronSchedule,
      firstWorkflowTaskBackoff: backoffMs ? toDuration(backoffMs) : undefined,
      memo: p.memo ? { fields: p.memo } : undefined,
      searchAttributes: p.searchAttributes ? { indexedFields: p.searchAttributes } : undefined,
      header: p.header,
      workflowId: p.workflowId,
      rootWorkflowExecution: s.root,
    });
    this.runs.set(runId, run);
    this.openByWorkflowId.set(this.wfKey(p.namespace, p.workflowId), run);
    this.scheduleWorkflowTask(run, backoffMs > 0 ? now + backoffMs : undefined);
    return run;
  }

  private startParamsFromRequest(req: Obj) {
    return {
      namespace: req.namespace as string,
      workflowId: req.workflowId as string,
      workflowType: req.workflowType?.name as string,
      taskQueue: req.taskQueue?.name as string,
      input: req.input,
      header: req.header,
      executionTimeoutMs: durationMs(req.workflowExecutionTimeout),
      runTimeoutMs: durationMs(req.workflowRunTimeout),
      taskTimeoutMs: durationMs(req.workflowTaskTimeout),
      identity: req.identity,
      requestId: req.requestId || randomUUID(),
      retryPolicy: req.retryPolicy,
      attempt: 1,
      cronSchedule: req.cronSchedule,
      memo: req.memo?.fields,
      searchAttributes: req.searchAttributes?.indexedFields,
      backoffMs: durationMs(req.workflowStartDelay),
    };
  }

  /** StartWorkflowExecution and the start half of signal-with-start and update-with-start. */
  async startWorkflow(req: Obj, signal?: Obj): Promise<{ runId: string; started: boolean }> {
    this.requireNamespace(req.namespace);
    if (!req.workflowId) throw new InvalidArgumentError('WorkflowId is not set on request.');
    if (!req.workflowType?.name) throw new InvalidArgumentError('WorkflowType is not set on request.');
    if (!req.taskQueue?.name) throw new InvalidArgumentError('TaskQueue is not set on request.');
    const current = await this.lookupCurrent(req.namespace, req.workflowId);
    const open = this.openByWorkflowId.get(this.wfKey(req.namespace, req.workflowId));
    const reuse: string = req.workflowIdReusePolicy ?? 'WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED';
    let conflict: string = req.workflowIdConflictPolicy ?? 'WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED';
    if (open) {
      if (signal) {
        this.deliverSignal(open, signal);
        await this.commit();
        return { runId: open.s.runId, started: false };
      }
      if (req.requestId && open.s.startRequestId === req.requestId) return { runId: open.s.runId, started: true };
      if (conflict === 'WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED') {
        conflict =
          reuse === 'WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING'
            ? 'WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING'
            : 'WORKFLOW_ID_CONFLICT_POLICY_FAIL';
      }
      if (conflict === 'WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING') return { runId: open.s.runId, started: false };
      if (conflict === 'WORKFLOW_ID_CONFLICT_POLICY_FAIL') {
        throw new WorkflowAlreadyStartedError(req.workflowId, open.s.runId, open.s.startRequestId);
      }
      this.terminateRun(open, 'terminated by a new start of the same workflow id', undefined, req.identity);
    } else if (current.closed) {
      const prev = current.closed;
      if (req.requestId && prev.startRequestId === req.requestId) return { runId: prev.runId, started: true };
      const failedLike = prev.status !== 'Completed';
      if (
        reuse === 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE' ||
        (reuse === 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && !failedLike)
      ) {
        throw new WorkflowAlreadyStartedError(req.workflowId, prev.runId, prev.startRequestId);
      }
    }
    const run = this.createRun(this.startParamsFromRequest(req));
    if (signal) this.deliverSignal(run, signal);
    await this.commit();
    return { runId: run.s.runId, started: true };
  }

  // ---------------------------------------------------------------- signals, cancel, terminate

  private deliverSignal(run: Run, signal: Obj): void {
    if (signal.requestId) {
      if (run.s.signalRequestIds.includes(signal.requestId)) return;
      run.s.signalRequestIds.push(signal.requestId);
      if (run.s.signalRequestIds.length > SIGNAL_DEDUPE_WINDOW) run.s.signalRequestIds.shift();
    }
    this.record(run, 'workflowExecutionSignaled', {
      signalName: signal.signalName,
      input: signal.input,
      identity: signal.identity,
      header: signal.header,
      externalWorkflowExecution: signal.externalWorkflowExecution,
    });
    this.scheduleWorkflowTask(run);
  }

  async signalWorkflow(req: Obj): Promise<void> {
    const { run } = await this.resolveRun(req.namespace, req.workflowExecution);
    if (!run || !this.isOpen(run)) throw new WorkflowClosedError();
    this.deliverSignal(run, req);
    await this.commit();
  }

  async signalWithStart(req: Obj): Promise<{ runId: string; started: boolean }> {
    return this.startWorkflow(req, {
      signalName: req.signalName,
      input: req.signalInput,
      identity: req.identity,
      header: req.header,
    });
  }

  private requestCancelRun(run: Run, attrs: Obj): void {
    if (run.s.cancelRequested) return;
    run.s.cancelRequested = true;
    this.record(run, 'workflowExecutionCancelRequested', attrs);
    this.scheduleWorkflowTask(run);
  }

  async requestCancel(req: Obj): Promise<void> {
    const { run } = await this.resolveRun(req.namespace, req.workflowExecution);
    if (!run || !this.isOpen(run)) throw new WorkflowClosedError();
    this.requestCancelRun(run, { cause: req.reason, identity: req.identity });
    await this.commit();
  }

  private terminateRun(run: Run, reason: string, details: Obj | undefined, identity: string | undefined): void {
    this.materializeSpeculative(run);
    const wft = run.s.wft;
    if (wft?.startedEventId !== undefined) {
      this.write(run, 'workflowTaskFailed', {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        cause: 'WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND',
        identity,
      });
      run.s.wft = undefined;
    }
    this.flushBuffered(run);
    this.closeRun(run, 'Terminated', 'workflowExecutionTerminated', { reason, details, identity });
  }

  async terminate(req: Obj): Promise<void> {
    const { run } = await this.resolveRun(req.namespace, req.workflowExecution);
    if (!run || !this.isOpen(run)) throw new WorkflowClosedError();
    this.terminateRun(run, req.reason ?? '', req.details, req.identity);
    await this.commit();
  }

  // ---------------------------------------------------------------- closing runs

  /**
   * Writes the close event and settles everything that depends on the run: its parent, its
   * children (parent close policy), waiting queries and updates. `successor` starts the next
   * run of a continue-as-new, retry or cron chain in the same commit.
   */
  private closeRun(run: Run, status: RunState['status'], eventType: string, attrs: Obj): HistoryEventObject {
    const s = run.s;
    const event = this.write(run, eventType, attrs);
    s.status = status;
    s.closeTime = this.now();
    s.closeEventId = event.eventId;
    s.wft = undefined;
    run.speculativeEvents = undefined;
    s.activities = {};
    s.timers = {};
    s.buffered = [];
    run.closing = true;
    const key = this.wfKey(s.namespace, s.workflowId);
    if (this.openByWorkflowId.get(key) === run) this.openByWorkflowId.delete(key);
    // Updates not accepted yet are aborted (their callers get an error); accepted ones not
    // completed get Temporal's AcceptedUpdateCompletedWorkflow failure as their outcome.
    for (const adm of run.admitted.keys()) this.notifyUpdateSoon(s.runId, adm);
    run.admitted.clear();
    for (const [id, rec] of Object.entries(s.updates)) {
      if (rec.outcome) continue;
      if (rec.acceptedEventId) rec.outcome = { failure: ACCEPTED_UPDATE_COMPLETED_WORKFLOW_FAILURE };
      this.notifyUpdateSoon(s.runId, id);
    }
    // Queries that waited for a workflow task are answered by a query task on the closed run.
    for (const q of this.queries.values()) {
      if (q.key.runId === s.runId && (q.state === 'waiting' || q.state === 'wft')) this.enqueueQueryTask(q, run);
    }
    if (status !== 'ContinuedAsNew' && !attrs.newExecutionRunId) this.notifyParent(run, status, attrs);
    for (const child of Object.values(s.children)) {
      if (!child.runId) continue;
      const childRun = this.openByWorkflowId.get(this.wfKey(child.namespace, child.workflowId));
      if (!childRun || childRun.s.parent?.runId !== s.runId) continue;
      if (child.parentClosePolicy === 'PARENT_CLOSE_POLICY_TERMINATE' || child.parentClosePolicy === 'PARENT_CLOSE_POLICY_UNSPECIFIED' || !child.parentClosePolicy) {
        this.terminateRun(childRun, 'by parent close policy', undefined, undefined);
      } else if (child.parentClosePolicy === 'PARENT_CLOSE_POLICY_REQUEST_CANCEL') {
        this.requestCancelRun(childRun, {
          cause: 'by parent close policy',
          externalWorkflowExecution: { workflowId: s.workflowId, runId: s.runId },
        });
      }
    }
    return event;
  }

  /** Wakes the update's waiters after the next commit. */
  private notifyUpdateSoon(runId: string, updateId: string): void {
    this.pendingUpdateNotifications.add(`${runId}/${updateId}`);
  }

  private notifyParent(run: Run, status: RunState['status'], attrs: Obj): void {
    const p = run.s.parent;
    if (!p) return;
    const parent = this.runs.get(p.runId);
    if (!parent || !this.isOpen(parent)) return;
    const child = parent.s.children[String(p.initiatedEventId)];
    if (!child) return;
    delete parent.s.children[String(p.initiatedEventId)];
    const common = {
      namespace: run.s.namespace,
      workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      workflowType: { name: run.s.workflowType },
      initiatedEventId: p.initiatedEventId,
      startedEventId: child.startedEventId ?? -2,
    };
    switch (status) {
      case 'Completed':
        this.record(parent, 'childWorkflowExecutionCompleted', { ...common, result: attrs.result });
        break;
      case 'Failed':
        this.record(parent, 'childWorkflowExecutionFailed', { ...common, failure: attrs.failure, retryState: attrs.retryState });
        break;
      case 'Canceled':
        this.record(parent, 'childWorkflowExecutionCanceled', { ...common, details: attrs.details });
        break;
      case 'TimedOut':
        this.record(parent, 'childWorkflowExecutionTimedOut', { ...common, retryState: attrs.retryState });
        break;
      case 'Terminated':
        this.record(parent, 'childWorkflowExecutionTerminated', common);
        break;
      default:
        return;
    }
    this.scheduleWorkflowTask(parent);
  }

  /** Workflow-level retry of a failed or timed-out run; returns the new run id when retrying. */
  private maybeRetryRun(run: Run, failure: FailureObject | undefined): { newRunId: string; backoffMs: number } | { retryState: string } {
    const s = run.s;
    if (!s.retryPolicy) return { retryState: 'RETRY_STATE_RETRY_POLICY_NOT_SET' };
    const decision = decideRetry(s.retryPolicy, s.attempt, failure, this.now(), s.executionExpiration || undefined);
    if (!decision.retry) return { retryState: decision.retryState };
    return { newRunId: randomUUID(), backoffMs: decision.backoffMs };
  }

  private startSuccessor(
    run: Run,
    newRunId: string,
    overrides: Partial<Parameters<Engine['createRun']>[0]> & { initiator: string },
  ): void {
    const s = run.s;
    const started = attrsOf(run.events[0]!);
    this.createRun({
      namespace: s.namespace,
      workflowId: s.workflowId,
      runId: newRunId,
      workflowType: s.workflowType,
      taskQueue: s.taskQueue,
      input: started.input,
      header: started.header,
      executionTimeoutMs: s.executionTimeoutMs,
      runTimeoutMs: s.runTimeoutMs === s.executionTimeoutMs ? 0 : s.runTimeoutMs,
      taskTimeoutMs: s.taskTimeoutMs,
      requestId: randomUUID(),
      retryPolicy: s.retryPolicy,
      attempt: 1,
      cronSchedule: s.cronSchedule,
      memo: s.memo,
      searchAttributes: s.searchAttributes,
      parent: s.parent,
      root: s.root,
      firstRunId: s.firstRunId,
      continuedExecutionRunId: s.runId,
      executionExpiration: s.executionExpiration,
      ...overrides,
    });
  }

  // ---------------------------------------------------------------- workflow tasks

  async pollWorkflowTask(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    return this.longPoll(req, 'workflow', signal, deadline, async (ref, queueName) => {
      const response = ref.kind === 'query' ? await this.dispatchQueryTask(ref, queueName) : this.dispatchWorkflowTask(ref, req, queueName);
      if (response && ref.kind === 'workflow') await this.commit();
      return response;
    });
  }

  /**
   * One long poll of a task queue: waits for a task until the caller's deadline, hands it to
   * `dispatch`, and skips tasks that went stale meanwhile (dispatch answers undefined). A task
   * taken for a caller that has gone is put back for someone else.
   */
  private async longPoll(
    req: Obj,
    kind: 'workflow' | 'activity',
    signal: AbortSignal,
    deadline: number,
    dispatch: (ref: TaskRef, queueName: string) => Promise<Obj | undefined>,
  ): Promise<Obj> {
    this.requireNamespace(req.namespace);
    const queueName: string = req.taskQueue?.name;
    if (!queueName) throw new InvalidArgumentError('TaskQueue is not set on request.');
    const key = TaskQueues.key(req.namespace, kind, queueName);
    const until = Math.min(deadline - 1000, Date.now() + MAX_POLL_WAIT_MS);
    for (;;) {
      const ref = await this.queues.poll(key, signal, until);
      if (!ref) return {};
      if (signal.aborted) {
        this.requeue(ref);
        return {};
      }
      const response = await dispatch(ref, queueName);
      if (response) return response;
    }
  }

  private requeue(ref: TaskRef): void {
    const run = this.runs.get(ref.runId);
    if (ref.kind === 'query') {
      const q = this.queries.get(ref.id!);
      if (q && run) this.enqueueQueryTask(q, run);
      else if (q) this.enqueueQueryTaskOnQueue(q, undefined);
      return;
    }
    if (!run) return;
    if (ref.kind === 'workflow') run.wftEnqueued = false;
    else run.enqueuedActivities.delete(ref.id!);
    this.afterMutation(run);
  }

  private dispatchWorkflowTask(ref: TaskRef, req: Obj, queueName: string): Obj | undefined {
    const run = this.runs.get(ref.runId);
    if (!run || !this.isOpen(run)) return undefined;
    const s = run.s;
    const wft = s.wft;
    if (!wft || wft.startedEventId !== undefined || !run.wftEnqueued) return undefined;
    const sticky = queueName !== s.taskQueue;
    if (ref.id !== `${sticky ? 's' : 'n'}:${wft.attempt}`) return undefined;
    run.wftEnqueued = false;
    this.counters.workflowTasks++;
    if (sticky) this.counters.stickyWorkflowTasks++;
    const now = this.now();
    const scheduledAttrs = {
      taskQueue: sticky
        ? { name: queueName, kind: 'TASK_QUEUE_KIND_STICKY', normalName: s.taskQueue }
        : { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      startToCloseTimeout: toDuration(s.taskTimeoutMs),
      attempt: wft.attempt,
    };
    const startedAttrs = (scheduledEventId: number) => ({
      scheduledEventId,
      identity: req.identity,
      requestId: randomUUID(),
      historySizeBytes: s.historySizeBytes,
    });
    let scheduled: HistoryEventObject;
    let started: HistoryEventObject;
    if (wft.speculative) {
      // Shipped to the worker, not written: see materializeSpeculative.
      scheduled = this.makeEvent(s.nextEventId, 'workflowTaskScheduled', scheduledAttrs);
      started = this.makeEvent(s.nextEventId + 1, 'workflowTaskStarted', startedAttrs(scheduled.eventId));
      run.speculativeEvents = [scheduled, started];
    } else {
      scheduled = this.write(run, 'workflowTaskScheduled', scheduledAttrs);
      started = this.write(run, 'workflowTaskStarted', startedAttrs(scheduled.eventId));
    }
    wft.scheduledEventId = scheduled.eventId;
    wft.startedEventId = started.eventId;
    wft.startedTime = now;
    wft.nonce = randomUUID().slice(0, 8);
    const queries: Obj = {};
    for (const q of this.queries.values()) {
      if (q.key.runId === s.runId && (q.state === 'waiting' || q.state === 'queued')) {
        q.state = 'wft';
        queries[q.id] = q.query;
      }
    }
    const messages: Obj[] = [];
    for (const [updateId, adm] of run.admitted) {
      adm.delivered = true;
      messages.push({
        id: `${updateId}/request`,
        protocolInstanceId: updateId,
        eventId: scheduled.eventId,
        body: packAny('temporal.api.update.v1.Request', adm.request),
      });
    }
    const fromEventId = sticky ? s.previousStartedEventId + 1 : 1;
    const events = run.events.slice(fromEventId - 1, fromEventId - 1 + HISTORY_PAGE_SIZE);
    let lastSent = events.length ? events[events.length - 1]!.eventId : fromEventId - 1;
    if (run.speculativeEvents && lastSent === started.eventId - 2) {
      events.push(...run.speculativeEvents);
      lastSent = started.eventId;
    }
    if (wft.speculative) this.afterMutation(run); // nothing to commit: arm its timeout and locks
    return {
      taskToken: encodeToken({ k: 'w', ns: s.namespace, wid: s.workflowId, rid: s.runId, sid: scheduled.eventId, att: wft.attempt, n: wft.nonce }),
      workflowExecution: { workflowId: s.workflowId, runId: s.runId },
      workflowType: { name: s.workflowType },
      previousStartedEventId: s.previousStartedEventId || undefined,
      startedEventId: started.eventId,
      attempt: wft.attempt,
      history: { events },
      nextPageToken: lastSent < started.eventId ? this.pageToken(s.runId, lastSent + 1, wft.speculative ? started.eventId : undefined) : undefined,
      workflowExecutionTaskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      scheduledTime: toTimestamp(wft.scheduledTime),
      startedTime: toTimestamp(now),
      queries: Object.keys(queries).length ? queries : undefined,
      messages,
    };
  }

  private workflowTaskFromToken(token: TaskToken): { run: Run; wft: NonNullable<RunState['wft']> } {
    const run = this.runs.get(token.rid);
    const wft = run?.s.wft;
    if (
      !run ||
      !this.isOpen(run) ||
      !wft ||
      wft.startedEventId === undefined ||
      wft.scheduledEventId !== token.sid ||
      wft.attempt !== token.att ||
      wft.nonce !== token.n
    ) {
      this.counters.staleWorkflowTaskResponses++;
      throw new NotFoundError('Workflow task not found.');
    }
    return { run, wft };
  }

  async respondWorkflowTaskCompleted(req: Obj): Promise<Obj> {
    const token = decodeToken(req.taskToken);
    const { run, wft } = this.workflowTaskFromToken(token);
    const s = run.s;
    this.answerWftQueries(req.queryResults);
    // Queries this task carried that the worker left unanswered ride the next task, or go out as
    // query tasks when there is none (Temporal's handleBufferedQueries); they stayed stuck before.
    for (const q of this.queries.values()) if (q.key.runId === s.runId && q.state === 'wft') q.state = 'waiting';
    const commands: Obj[] = req.commands ?? [];
    const closing = commands.some((c) => CLOSING_COMMANDS.has(c.commandType));
    if (closing && s.buffered.length > 0) {
      // New events arrived while the task ran: the workflow must see them before closing.
      // Real Temporal answers InvalidArgument "UnhandledCommand" here; the SDK then evicts the run
      // and replays it on the next task. Answering success instead left the SDK believing the
      // workflow had completed: it answered the retried task from its cache with the same result,
      // and the workflow never saw the new events (a signal was lost).
      this.failWorkflowTask(run, wft, 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND', undefined, req.identity);
      await this.commit();
      throw new InvalidArgumentError('UnhandledCommand');
    }
    if (wft.speculative && this.discardable(run, req)) return this.discardSpeculative(run, req);
    this.materializeSpeculative(run);
    const completed = this.write(run, 'workflowTaskCompleted', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      identity: req.identity,
      binaryChecksum: req.binaryChecksum,
      workerVersion: req.workerVersionStamp,
      sdkMetadata: req.sdkMetadata,
      meteringMetadata: req.meteringMetadata,
      deployment: req.deployment,
      versioningBehavior: req.versioningBehavior,
    });
    s.previousStartedEventId = wft.startedEventId!;
    s.wft = undefined;
    if (req.stickyAttributes?.workerTaskQueue?.name && !this.deadStickyQueues.has(req.stickyAttributes.workerTaskQueue.name)) {
      s.stickyQueue = req.stickyAttributes.workerTaskQueue.name;
      s.stickyScheduleToStartMs = durationMs(req.stickyAttributes.scheduleToStartTimeout) || DEFAULT_STICKY_TIMEOUT_MS;
    } else {
      s.stickyQueue = undefined;
    }
    const messages = new Map<string, Obj>();
    for (const m of req.messages ?? []) messages.set(m.id, m);
    for (const command of commands) {
      if (!this.isOpen(run)) break;
      if (command.commandType === 'COMMAND_TYPE_PROTOCOL_MESSAGE') {
        const id = command.protocolMessageCommandAttributes?.messageId;
        const message = messages.get(id);
        if (message) {
          messages.delete(id);
          this.applyProtocolMessage(run, message, completed.eventId);
        }
        continue;
      }
      this.applyCommand(run, command, completed.eventId, req.identity);
    }
    for (const message of messages.values()) if (this.isOpen(run)) this.applyProtocolMessage(run, message, completed.eventId);
    // Eager activity dispatch, as Temporal does: an activity the worker asked to run itself
    // (it reserved a slot) on the workflow's own task queue starts now and goes back in this
    // answer instead of through a poll of the activity queue.
    const activityTasks: Obj[] = [];
    for (const command of commands) {
      if (!this.isOpen(run)) break;
      const a = command.scheduleActivityTaskCommandAttributes;
      if (command.commandType !== 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK' || !a?.requestEagerExecution) continue;
      if ((a.taskQueue?.name || s.taskQueue) !== s.taskQueue) continue;
      const act = Object.values(s.activities).find((x) => x.activityId === a.activityId && x.scheduledEventId > completed.eventId);
      if (!act || act.startedTime !== undefined || act.attempt !== 1) continue;
      this.counters.eagerActivityTasks++;
      activityTasks.push(this.startActivityTask(run, act, req.identity));
    }
    if (this.isOpen(run)) {
      const hadBuffered = this.flushBuffered(run);
      for (const u of run.admitted.values()) u.delivered = false;
      if (hadBuffered || req.forceCreateNewWorkflowTask) this.scheduleWorkflowTask(run);
      // Updates that came while the task ran get a speculative task, as in Temporal.
      else if (run.admitted.size > 0) this.scheduleSpeculativeWorkflowTask(run);
      // Queries that came while the task ran go out as query tasks unless a new task will carry them.
      if (!s.wft) {
        for (const q of this.queries.values()) {
          if (q.key.runId === s.runId && q.state === 'waiting') this.enqueueQueryTask(q, run);
        }
      }
    }
    this.dirty.add(run);
    await this.commit();
    this.startPendingChildren(run);
    return { activityTasks };
  }

  /**
   * Temporal's skipWorkflowTaskCompletedEvent: a speculative task answered with no commands and
   * only update rejections changed nothing, so it is discarded. Events written since the last
   * completed task (say, a TimerStarted) were shipped again with it; that is allowed only when
   * the worker says it copes (every SDK of today) and they are few.
   */
  private discardable(run: Run, req: Obj): boolean {
    const s = run.s;
    if ((req.commands?.length ?? 0) > 0 || req.forceCreateNewWorkflowTask || s.buffered.length > 0) return false;
    const since = s.nextEventId - (s.previousStartedEventId + 2);
    const maxSince = req.capabilities?.discardSpeculativeWorkflowTaskWithEvents ? DISCARD_SPECULATIVE_MAX_EVENTS : 0;
    if (since > maxSince) return false;
    return (req.messages ?? []).every((m: Obj) => String(m.body?.type_url ?? '').endsWith('temporal.api.update.v1.Rejection'));
  }

  /** Drops a speculative task as if it never ran: no events; the worker rolls back to resetHistoryEventId. */
  private async discardSpeculative(run: Run, req: Obj): Promise<Obj> {
    const s = run.s;
    s.wft = undefined;
    run.speculativeEvents = undefined;
    for (const message of req.messages ?? []) this.applyProtocolMessage(run, message, 0);
    if (req.stickyAttributes?.workerTaskQueue?.name && !this.deadStickyQueues.has(req.stickyAttributes.workerTaskQueue.name)) {
      s.stickyQueue = req.stickyAttributes.workerTaskQueue.name;
      s.stickyScheduleToStartMs = durationMs(req.stickyAttributes.scheduleToStartTimeout) || DEFAULT_STICKY_TIMEOUT_MS;
    }
    for (const u of run.admitted.values()) u.delivered = false;
    if (run.admitted.size > 0) this.scheduleSpeculativeWorkflowTask(run);
    if (!s.wft) {
      for (const q of this.queries.values()) {
        if (q.key.runId === s.runId && q.state === 'waiting') this.enqueueQueryTask(q, run);
      }
    }
    this.counters.discardedSpeculativeTasks++;
    this.afterMutation(run);
    await this.commit();
    return { resetHistoryEventId: s.previousStartedEventId };
  }

  async respondWorkflowTaskFailed(req: Obj): Promise<void> {
    const token = decodeToken(req.taskToken);
    const { run, wft } = this.workflowTaskFromToken(token);
    this.failWorkflowTask(run, wft, req.cause ?? 'WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED', req.failure, req.identity);
    await this.commit();
  }

  private failWorkflowTask(run: Run, wft: NonNullable<RunState['wft']>, cause: string, failure: Obj | undefined, identity: string | undefined): void {
    this.materializeSpeculative(run);
    this.write(run, 'workflowTaskFailed', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      cause,
      failure,
      identity,
    });
    this.retryWorkflowTask(run);
  }

  /** After a failed or timed-out workflow task: flush what arrived meanwhile and try again. */
  private retryWorkflowTask(run: Run): void {
    const attempt = (run.s.wft?.attempt ?? 0) + 1;
    run.s.wft = undefined;
    run.s.stickyQueue = undefined;
    this.flushBuffered(run);
    for (const u of run.admitted.values()) u.delivered = false;
    for (const q of this.queries.values()) if (q.key.runId === run.s.runId && q.state === 'wft') q.state = 'waiting';
    this.scheduleWorkflowTask(run);
    const next = run.s.wft as RunState['wft'];
    if (next) next.attempt = attempt;
  }

  // ---------------------------------------------------------------- commands

  private applyCommand(run: Run, command: Obj, completedId: number, identity: string | undefined): void {
    const s = run.s;
    const type: string = command.commandType;
    const camel = camelFromEventType('EVENT_TYPE_' + type.slice('COMMAND_TYPE_'.length));
    const a: Obj = command[camel + 'CommandAttributes'] ?? {};
    switch (type) {
      case 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK':
        return this.scheduleActivity(run, a, completedId);
      case 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK':
        return this.requestCancelActivity(run, a.scheduledEventId, completedId);
      case 'COMMAND_TYPE_START_TIMER': {
        const ev = this.write(run, 'timerStarted', {
          timerId: a.timerId,
          startToFireTimeout: a.startToFireTimeout,
          workflowTaskCompletedEventId: completedId,
        });
        s.timers[a.timerId] = { startedEventId: ev.eventId, fireTime: this.now() + durationMs(a.startToFireTimeout) };
        return;
      }
      case 'COMMAND_TYPE_CANCEL_TIMER': {
        const timer = s.timers[a.timerId];
        if (!timer) return;
        delete s.timers[a.timerId];
        this.write(run, 'timerCanceled', {
          timerId: a.timerId,
          startedEventId: timer.startedEventId,
          workflowTaskCompletedEventId: completedId,
          identity,
        });
        return;
      }
      case 'COMMAND_TYPE_RECORD_MARKER':
        this.write(run, 'markerRecorded', { ...a, workflowTaskCompletedEventId: completedId });
        return;
      case 'COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES':
        s.searchAttributes = withoutNulls({ ...(s.searchAttributes ?? {}), ...(a.searchAttributes?.indexedFields ?? {}) });
        this.write(run, 'upsertWorkflowSearchAttributes', { workflowTaskCompletedEventId: completedId, searchAttributes: a.searchAttributes });
        return;
      case 'COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES':
        s.memo = withoutNulls({ ...(s.memo ?? {}), ...(a.upsertedMemo?.fields ?? {}) });
        this.write(run, 'workflowPropertiesModified', { workflowTaskCompletedEventId: completedId, upsertedMemo: a.upsertedMemo });
        return;
      case 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION': {
        if (s.cronSchedule) {
          const backoffMs = nextCronDelay(s.cronSchedule, this.now());
          if (backoffMs !== undefined) {
            const newRunId = randomUUID();
            this.closeRun(run, 'Completed', 'workflowExecutionCompleted', { result: a.result, workflowTaskCompletedEventId: completedId, newExecutionRunId: newRunId });
            this.startSuccessor(run, newRunId, { initiator: 'CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE', backoffMs, lastCompletionResult: a.result });
            return;
          }
        }
        this.closeRun(run, 'Completed', 'workflowExecutionCompleted', { result: a.result, workflowTaskCompletedEventId: completedId });
        return;
      }
      case 'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION': {
        const retry = this.maybeRetryRun(run, a.failure);
        if ('newRunId' in retry) {
          this.closeRun(run, 'Failed', 'workflowExecutionFailed', {
            failure: a.failure,
            retryState: 'RETRY_STATE_IN_PROGRESS',
            workflowTaskCompletedEventId: completedId,
            newExecutionRunId: retry.newRunId,
          });
          this.startSuccessor(run, retry.newRunId, {
            initiator: 'CONTINUE_AS_NEW_INITIATOR_RETRY',
            attempt: s.attempt + 1,
            backoffMs: retry.backoffMs,
            continuedFailure: a.failure,
          });
          return;
        }
        this.closeRun(run, 'Failed', 'workflowExecutionFailed', {
          failure: a.failure,
          retryState: retry.retryState,
          workflowTaskCompletedEventId: completedId,
        });
        return;
      }
      case 'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION':
        this.closeRun(run, 'Canceled', 'workflowExecutionCanceled', { details: a.details, workflowTaskCompletedEventId: completedId });
        return;
      case 'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION': {
        const newRunId = randomUUID();
        const runTimeoutMs = durationMs(a.workflowRunTimeout);
        const taskTimeoutMs = durationMs(a.workflowTaskTimeout);
        this.closeRun(run, 'ContinuedAsNew', 'workflowExecutionContinuedAsNew', {
          newExecutionRunId: newRunId,
          workflowType: a.workflowType,
          taskQueue: a.taskQueue,
          input: a.input,
          workflowRunTimeout: a.workflowRunTimeout,
          workflowTaskTimeout: a.workflowTaskTimeout,
          workflowTaskCompletedEventId: completedId,
          backoffStartInterval: a.backoffStartInterval,
          initiator: a.initiator,
          failure: a.failure,
          lastCompletionResult: a.lastCompletionResult,
          header: a.header,
          memo: a.memo,
          searchAttributes: a.searchAttributes,
        });
        this.startSuccessor(run, newRunId, {
          initiator: 'CONTINUE_AS_NEW_INITIATOR_WORKFLOW',
          workflowType: a.workflowType?.name || s.workflowType,
          taskQueue: a.taskQueue?.name || s.taskQueue,
          input: a.input,
          header: a.header,
          runTimeoutMs: runTimeoutMs || (s.runTimeoutMs === s.executionTimeoutMs ? 0 : s.runTimeoutMs),
          taskTimeoutMs: taskTimeoutMs || s.taskTimeoutMs,
          retryPolicy: a.retryPolicy ?? s.retryPolicy,
          memo: a.memo?.fields ?? s.memo,
          searchAttributes: a.searchAttributes?.indexedFields ?? s.searchAttributes,
          backoffMs: durationMs(a.backoffStartInterval),
          lastCompletionResult: a.lastCompletionResult,
          continuedFailure: a.failure,
        });
        return;
      }
      case 'COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION': {
        const namespace = a.namespace || s.namespace;
        const ev = this.write(run, 'startChildWorkflowExecutionInitiated', {
          ...a,
          namespace,
          workflowTaskCompletedEventId: completedId,
        });
        s.children[String(ev.eventId)] = {
          initiatedEventId: ev.eventId,
          namespace,
          workflowId: a.workflowId,
          workflowType: a.workflowType?.name,
          parentClosePolicy: a.parentClosePolicy ?? 'PARENT_CLOSE_POLICY_TERMINATE',
        };
        return;
      }
      case 'COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION':
        return this.signalExternal(run, a, completedId);
      case 'COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION':
        return this.cancelExternal(run, a, completedId);
      default:
        throw new InvalidArgumentError(`devserver does not support command ${type}`);
    }
  }

  private signalExternal(run: Run, a: Obj, completedId: number): void {
    const namespace = a.namespace || run.s.namespace;
    const initiated = this.write(run, 'signalExternalWorkflowExecutionInitiated', {
      workflowTaskCompletedEventId: completedId,
      namespace,
      workflowExecution: a.execution,
      signalName: a.signalName,
      input: a.input,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      header: a.header,
    });
    const target = this.findOpenTarget(namespace, a.execution, a.childWorkflowOnly, run);
    if (!target) {
      this.record(run, 'signalExternalWorkflowExecutionFailed', {
        cause: 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
        workflowTaskCompletedEventId: completedId,
        namespace,
        workflowExecution: a.execution,
        initiatedEventId: initiated.eventId,
        control: a.control,
      });
    } else {
      this.deliverSignal(target, {
        signalName: a.signalName,
        input: a.input,
        header: a.header,
        externalWorkflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      });
      this.record(run, 'externalWorkflowExecutionSignaled', {
        initiatedEventId: initiated.eventId,
        namespace,
        workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
        control: a.control,
      });
    }
    this.scheduleWorkflowTask(run);
  }

  private cancelExternal(run: Run, a: Obj, completedId: number): void {
    const namespace = a.namespace || run.s.namespace;
    const execution = { workflowId: a.workflowId, runId: a.runId };
    const initiated = this.write(run, 'requestCancelExternalWorkflowExecutionInitiated', {
      workflowTaskCompletedEventId: completedId,
      namespace,
      workflowExecution: execution,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      reason: a.reason,
    });
    const target = this.findOpenTarget(namespace, execution, a.childWorkflowOnly, run);
    if (!target) {
      this.record(run, 'requestCancelExternalWorkflowExecutionFailed', {
        cause: 'CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
        workflowTaskCompletedEventId: completedId,
        namespace,
        workflowExecution: execution,
        initiatedEventId: initiated.eventId,
        control: a.control,
      });
    } else {
      this.requestCancelRun(target, {
        cause: a.reason,
        externalInitiatedEventId: initiated.eventId,
        externalWorkflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      });
      this.record(run, 'externalWorkflowExecutionCancelRequested', {
        initiatedEventId: initiated.eventId,
        namespace,
        workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
      });
    }
    this.scheduleWorkflowTask(run);
  }

  private findOpenTarget(namespace: string, execution: Obj | undefined, childOnly: boolean, source: Run): Run | undefined {
    const workflowId: string | undefined = execution?.workflowId;
    if (!workflowId) return undefined;
    const target = this.openByWorkflowId.get(this.wfKey(namespace, workflowId));
    if (!target || (execution?.runId && target.s.runId !== execution.runId && target.s.firstRunId !== execution.runId)) return undefined;
    if (childOnly && target.s.parent?.runId !== source.s.runId) return undefined;
    return target;
  }

  /** Starts children whose StartChildWorkflowExecutionInitiated is committed but not acted on. */
  private startPendingChildren(run: Run): void {
    for (const child of Object.values(run.s.children)) {
      if (child.runId || run.startingChildren.has(String(child.initiatedEventId))) continue;
      run.startingChildren.add(String(child.initiatedEventId));
      this.startChild(run, child.initiatedEventId)
        .catch((error: unknown) => this.logger.error({ err: error }, 'devserver child start failed'))
        .finally(() => run.startingChildren.delete(String(child.initiatedEventId)));
    }
  }

  private async startChild(parent: Run, initiatedEventId: number): Promise<void> {
    const initiated = parent.events[initiatedEventId - 1];
    if (!initiated) return;
    const a = attrsOf(initiated);
    const child = parent.s.children[String(initiatedEventId)];
    if (!child) return;
    const requestId = `${parent.s.runId}:${initiatedEventId}`;
    const current = await this.lookupCurrent(child.namespace, child.workflowId);
    if (!this.isOpen(parent) || parent.s.children[String(initiatedEventId)] !== child || child.runId) return;
    const open = this.openByWorkflowId.get(this.wfKey(child.namespace, child.workflowId));
    let childRun: Run | undefined;
    if (open && open.s.startRequestId === requestId) childRun = open;
    else if (current.closed?.startRequestId === requestId) {
      // Started and already finished before a restart: the parent heard of it through notifyParent.
      return;
    } else {
      const reuse: string = a.workflowIdReusePolicy ?? 'WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED';
      const rejected =
        !!open ||
        (current.closed &&
          (reuse === 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE' ||
            (reuse === 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && current.closed.status === 'Completed')));
      if (rejected) {
        delete parent.s.children[String(initiatedEventId)];
        this.record(parent, 'startChildWorkflowExecutionFailed', {
          namespace: child.namespace,
          workflowId: child.workflowId,
          workflowType: a.workflowType,
          cause: 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS',
          control: a.control,
          initiatedEventId,
          workflowTaskCompletedEventId: a.workflowTaskCompletedEventId,
        });
        this.scheduleWorkflowTask(parent);
        await this.commit();
        return;
      }
      childRun = this.createRun({
        namespace: child.namespace,
        workflowId: child.workflowId,
        workflowType: child.workflowType,
        taskQueue: a.taskQueue?.name || parent.s.taskQueue,
        input: a.input,
        header: a.header,
        executionTimeoutMs: durationMs(a.workflowExecutionTimeout),
        runTimeoutMs: durationMs(a.workflowRunTimeout),
        taskTimeoutMs: durationMs(a.workflowTaskTimeout),
        requestId,
        retryPolicy: a.retryPolicy,
        attempt: 1,
        cronSchedule: a.cronSchedule,
        memo: a.memo?.fields,
        searchAttributes: a.searchAttributes?.indexedFields,
        parent: { namespace: parent.s.namespace, workflowId: parent.s.workflowId, runId: parent.s.runId, initiatedEventId },
        root: parent.s.root,
      });
    }
    child.runId = childRun.s.runId;
    this.record(parent, 'childWorkflowExecutionStarted', {
      namespace: child.namespace,
      initiatedEventId,
      workflowExecution: { workflowId: child.workflowId, runId: childRun.s.runId },
      workflowType: { name: child.workflowType },
      header: a.header,
    });
    const last = parent.s.buffered.length === 0 ? parent.events[parent.events.length - 1] : undefined;
    if (last?.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED') child.startedEventId = last.eventId;
    this.scheduleWorkflowTask(parent);
    await this.commit();
  }

  // ---------------------------------------------------------------- activities

  private scheduleActivity(run: Run, a: Obj, completedId: number): void {
    const s = run.s;
    const now = this.now();
    let scheduleToCloseMs = durationMs(a.scheduleToCloseTimeout);
    if (!scheduleToCloseMs && s.runTimeoutMs) scheduleToCloseMs = s.runTimeoutMs;
    const startToCloseMs = durationMs(a.startToCloseTimeout) || scheduleToCloseMs;
    const scheduleToStartMs = durationMs(a.scheduleToStartTimeout) || scheduleToCloseMs;
    if (!startToCloseMs) throw new InvalidArgumentError('A valid StartToClose or ScheduleToCloseTimeout is not set on command.');
    const retryPolicy = withActivityDefaults(a.retryPolicy);
    const ev = this.write(run, 'activityTaskScheduled', {
      activityId: a.activityId,
      activityType: a.activityType,
      taskQueue: { name: a.taskQueue?.name || s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      header: a.header,
      input: a.input,
      scheduleToCloseTimeout: toDuration(scheduleToCloseMs),
      scheduleToStartTimeout: toDuration(scheduleToStartMs),
      startToCloseTimeout: toDuration(startToCloseMs),
      heartbeatTimeout: a.heartbeatTimeout,
      workflowTaskCompletedEventId: completedId,
      retryPolicy,
      useWorkflowBuildId: a.useWorkflowBuildId,
      priority: a.priority,
    });
    s.activities[String(ev.eventId)] = {
      scheduledEventId: ev.eventId,
      activityId: a.activityId,
      activityType: a.activityType?.name,
      taskQueue: a.taskQueue?.name || s.taskQueue,
      attempt: 1,
      scheduledTime: now,
      attemptScheduledTime: now,
      cancelRequested: false,
      retryPolicy,
      scheduleToCloseMs,
      scheduleToStartMs,
      startToCloseMs,
      heartbeatMs: durationMs(a.heartbeatTimeout),
    };
  }

  private requestCancelActivity(run: Run, scheduledEventId: number, completedId: number): void {
    const act = run.s.activities[String(scheduledEventId)];
    if (!act) return;
    const ev = this.write(run, 'activityTaskCancelRequested', { scheduledEventId, workflowTaskCompletedEventId: completedId });
    if (act.startedTime === undefined) {
      // Not running anywhere: cancelled at once.
      delete run.s.activities[String(scheduledEventId)];
      this.write(run, 'activityTaskCanceled', {
        scheduledEventId,
        latestCancelRequestedEventId: ev.eventId,
        identity: act.lastFailureIdentity,
      });
      this.scheduleWorkflowTask(run);
      return;
    }
    act.cancelRequested = true;
    act.cancelRequestedEventId = ev.eventId;
  }

  /** Writes ActivityTaskStarted (the real server writes it only when the attempt ends) and the outcome. */
  private endActivity(run: Run, act: ActivityState, type: string, attrs: Obj, withStarted: boolean): void {
    delete run.s.activities[String(act.scheduledEventId)];
    if (withStarted) {
      this.record(run, 'activityTaskStarted', {
        scheduledEventId: act.scheduledEventId,
        identity: act.startedIdentity,
        requestId: act.nonce,
        attempt: act.attempt,
        lastFailure: act.lastFailure,
      });
    }
    const startedEventId = withStarted ? (this.wftInFlight(run) ? -1 : run.s.nextEventId - 1) : 0;
    this.record(run, type, { ...attrs, scheduledEventId: act.scheduledEventId, startedEventId });
    this.scheduleWorkflowTask(run);
  }

  private activityTimedOut(run: Run, act: ActivityState, timeoutType: string, retryable: boolean): void {
    const failure: FailureObject = {
      message: `activity ${timeoutType.replace('TIMEOUT_TYPE_', '').toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())} timeout`,
      source: 'Server',
      timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: act.heartbeatDetails },
    };
    if (retryable) {
      const deadline = act.scheduleToCloseMs > 0 ? act.scheduledTime + act.scheduleToCloseMs : undefined;
      const decision = decideRetry(act.retryPolicy, act.attempt, failure, this.now(), deadline);
      if (decision.retry) return this.retryActivity(run, act, failure, decision.backoffMs);
      return this.endActivity(run, act, 'activityTaskTimedOut', { failure, retryState: decision.retryState }, true);
    }
    const started = act.startedTime !== undefined;
    this.endActivity(run, act, 'activityTaskTimedOut', { failure, retryState: 'RETRY_STATE_TIMEOUT' }, started);
  }

  private retryActivity(run: Run, act: ActivityState, failure: FailureObject, backoffMs: number): void {
    act.attempt++;
    act.attemptScheduledTime = this.now() + backoffMs;
    act.startedTime = undefined;
    act.lastHeartbeatTime = undefined;
    act.lastFailure = failure;
    act.lastFailureIdentity = act.startedIdentity;
    act.nonce = undefined;
    this.dirty.add(run);
  }

  async pollActivityTask(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    return this.longPoll(req, 'activity', signal, deadline, async (ref) => {
      const response = this.dispatchActivityTask(ref, req);
      if (response) await this.commit();
      return response;
    });
  }

  private dispatchActivityTask(ref: TaskRef, req: Obj): Obj | undefined {
    const run = this.runs.get(ref.runId);
    if (!run || !this.isOpen(run)) return undefined;
    run.enqueuedActivities.delete(ref.id!);
    const [sid, attempt] = ref.id!.split(':');
    const act = run.s.activities[sid!];
    if (!act || act.attempt !== Number(attempt) || act.startedTime !== undefined) return undefined;
    return this.startActivityTask(run, act, req.identity);
  }

  /** Starts an activity attempt and builds its PollActivityTaskQueueResponse (the caller commits). */
  private startActivityTask(run: Run, act: ActivityState, identity: string | undefined): Obj {
    const now = this.now();
    this.counters.activityTasks++;
    act.startedTime = now;
    act.startedIdentity = identity;
    act.nonce = randomUUID().slice(0, 8);
    this.dirty.add(run);
    const scheduled = attrsOf(run.events[act.scheduledEventId - 1]!);
    const s = run.s;
    return {
      taskToken: encodeToken({ k: 'a', ns: s.namespace, wid: s.workflowId, rid: s.runId, sid: act.scheduledEventId, att: act.attempt, n: act.nonce }),
      workflowNamespace: s.namespace,
      workflowType: { name: s.workflowType },
      workflowExecution: { workflowId: s.workflowId, runId: s.runId },
      activityType: { name: act.activityType },
      activityId: act.activityId,
      header: scheduled.header,
      input: scheduled.input,
      heartbeatDetails: act.heartbeatDetails,
      scheduledTime: toTimestamp(act.scheduledTime),
      currentAttemptScheduledTime: toTimestamp(act.attemptScheduledTime),
      startedTime: toTimestamp(now),
      attempt: act.attempt,
      // Zero means "no limit"; the worker requires the field to be present.
      scheduleToCloseTimeout: toDuration(act.scheduleToCloseMs),
      startToCloseTimeout: toDuration(act.startToCloseMs),
      heartbeatTimeout: act.heartbeatMs ? toDuration(act.heartbeatMs) : undefined,
      retryPolicy: act.retryPolicy,
      priority: scheduled.priority,
    };
  }

  private activityFromToken(token: TaskToken): { run: Run; act: ActivityState } {
    const run = this.runs.get(token.rid);
    const act = run?.s.activities[String(token.sid)];
    if (!run || !this.isOpen(run) || !act || act.attempt !== token.att || act.nonce !== token.n || act.startedTime === undefined) {
      throw new NotFoundError('Activity task not found.');
    }
    return { run, act };
  }

  private activityById(req: Obj): TaskToken {
    const run = this.openByWorkflowId.get(this.wfKey(req.namespace, req.workflowId));
    if (!run || (req.runId && run.s.runId !== req.runId)) throw new WorkflowNotFoundError(req.workflowId, req.runId);
    const act = Object.values(run.s.activities).find((x) => x.activityId === req.activityId);
    if (!act || act.startedTime === undefined) throw new NotFoundError('Activity task not found.');
    return { k: 'a', ns: run.s.namespace, wid: run.s.workflowId, rid: run.s.runId, sid: act.scheduledEventId, att: act.attempt, n: act.nonce };
  }

  tokenForActivityById(req: Obj): Uint8Array {
    return encodeToken(this.activityById(req));
  }

  async recordHeartbeat(req: Obj): Promise<Obj> {
    const { run, act } = this.activityFromToken(decodeToken(req.taskToken));
    act.heartbeatDetails = req.details;
    act.lastHeartbeatTime = this.now();
    this.dirty.add(run);
    await this.commit();
    return { cancelRequested: act.cancelRequested, activityPaused: false, activityReset: false };
  }

  async respondActivityCompleted(req: Obj): Promise<void> {
    const { run, act } = this.activityFromToken(decodeToken(req.taskToken));
    act.startedIdentity = req.identity ?? act.startedIdentity;
    this.endActivity(run, act, 'activityTaskCompleted', { result: req.result, identity: req.identity }, true);
    await this.commit();
  }

  async respondActivityFailed(req: Obj): Promise<void> {
    const { run, act } = this.activityFromToken(decodeToken(req.taskToken));
    const failure: FailureObject = req.failure ?? { message: 'activity failed' };
    if (req.lastHeartbeatDetails) act.heartbeatDetails = req.lastHeartbeatDetails;
    const deadline = act.scheduleToCloseMs > 0 ? act.scheduledTime + act.scheduleToCloseMs : undefined;
    const decision = decideRetry(act.retryPolicy, act.attempt, failure, this.now(), deadline);
    if (decision.retry && !act.cancelRequested) {
      this.retryActivity(run, act, failure, decision.backoffMs);
    } else {
      this.endActivity(
        run,
        act,
        'activityTaskFailed',
        { failure, identity: req.identity, retryState: decision.retry ? 'RETRY_STATE_NON_RETRYABLE_FAILURE' : decision.retryState },
        true,
      );
    }
    await this.commit();
  }

  async respondActivityCanceled(req: Obj): Promise<void> {
    const { run, act } = this.activityFromToken(decodeToken(req.taskToken));
    this.endActivity(
      run,
      act,
      'activityTaskCanceled',
      { details: req.details, latestCancelRequestedEventId: act.cancelRequestedEventId, identity: req.identity },
      true,
    );
    await this.commit();
  }

  // ---------------------------------------------------------------- queries

  async query(req: Obj, deadline: number): Promise<Obj> {
    const { run, state } = await this.resolveRun(req.namespace, req.execution);
    const reject = req.queryRejectCondition as string | undefined;
    if (state.status !== 'Running') {
      if (
        reject === 'QUERY_REJECT_CONDITION_NOT_OPEN' ||
        (reject === 'QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY' && state.status !== 'Completed')
      ) {
        return { queryRejected: { status: 'WORKFLOW_EXECUTION_STATUS_' + statusEnum(state.status) } };
      }
    }
    const id = randomUUID();
    const key = { namespace: state.namespace, workflowId: state.workflowId, runId: state.runId };
    return new Promise<Obj>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.clearQueryStickyTimer(waiter);
          this.queries.delete(id);
          reject(new QueryFailedError('query timed out: no worker answered'));
        },
        Math.max(1000, Math.min(deadline - Date.now() - 500, MAX_POLL_WAIT_MS)),
      );
      const waiter: QueryWaiter = {
        id,
        key,
        taskQueue: state.taskQueue,
        query: req.query,
        state: 'waiting',
        resolve: (r) => {
          clearTimeout(timer);
          this.clearQueryStickyTimer(waiter);
          this.queries.delete(id);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.clearQueryStickyTimer(waiter);
          this.queries.delete(id);
          reject(e);
        },
      };
      this.queries.set(id, waiter);
      if (run && this.isOpen(run) && run.s.wft) return; // rides the pending or next workflow task
      if (run && this.isOpen(run)) this.enqueueQueryTask(waiter, run);
      else this.enqueueQueryTaskOnQueue(waiter, state);
    });
  }

  private enqueueQueryTask(q: QueryWaiter, run: Run): void {
    this.enqueueQueryTaskOnQueue(q, run.s, run);
  }

  /**
   * Queues a query task, as Temporal's history does: on the run's sticky queue when its worker
   * polled it lately, for at most the sticky schedule-to-start timeout; otherwise (or after that)
   * stickiness is cleared and the query goes to the normal queue, where any worker can answer it.
   */
  private enqueueQueryTaskOnQueue(q: QueryWaiter, state: RunState | undefined, run?: Run): void {
    q.state = 'queued';
    this.clearQueryStickyTimer(q);
    let queue = q.taskQueue;
    if (run && state && this.isOpen(run) && state.stickyQueue) {
      if (this.stickyAvailable(state)) {
        queue = state.stickyQueue;
        q.stickyQueue = queue;
        q.stickyTimer = setTimeout(() => this.stickyQueryTimedOut(q, run, queue), state.stickyScheduleToStartMs || DEFAULT_STICKY_TIMEOUT_MS);
      } else {
        this.counters.stickyUnavailable++;
        this.clearStickiness(run);
        this.commitSoon();
      }
    }
    this.queues.offer(TaskQueues.key(q.key.namespace, 'workflow', queue), {
      kind: 'query',
      namespace: q.key.namespace,
      workflowId: q.key.workflowId,
      runId: q.key.runId,
      id: q.id,
    });
  }

  private clearQueryStickyTimer(q: QueryWaiter): void {
    if (q.stickyTimer) clearTimeout(q.stickyTimer);
    q.stickyTimer = undefined;
    q.stickyQueue = undefined;
  }

  /** Nobody took the query from the sticky queue in time: the worker is gone or stuck. */
  private stickyQueryTimedOut(q: QueryWaiter, run: Run, queue: string): void {
    if (this.queries.get(q.id) !== q || q.state !== 'queued' || q.stickyQueue !== queue) return;
    this.counters.stickyFallbacks++;
    if (this.isOpen(run) && run.s.stickyQueue === queue) {
      this.clearStickiness(run);
      this.commitSoon();
    }
    this.enqueueQueryTaskOnQueue(q, run.s, run);
  }

  private async dispatchQueryTask(ref: TaskRef, queueName: string): Promise<Obj | undefined> {
    const q = this.queries.get(ref.id!);
    if (!q || q.state !== 'queued') return undefined;
    const run = this.runs.get(ref.runId);
    const state = run?.s ?? (await this.loadRunState(q.key));
    if (!state || !this.queries.has(q.id) || q.state !== 'queued') return undefined;
    q.state = 'task';
    this.clearQueryStickyTimer(q);
    // A sticky worker has the run cached: its query task carries no history.
    const sticky = queueName !== state.taskQueue;
    const events = sticky ? [] : run ? run.events.slice(0, HISTORY_PAGE_SIZE) : await this.store.readHistory(q.key, 1, HISTORY_PAGE_SIZE);
    const total = state.nextEventId - 1 - (run ? 0 : 0);
    const lastSent = events.length ? events[events.length - 1]!.eventId : 0;
    return {
      taskToken: encodeToken({ k: 'q', ns: q.key.namespace, wid: q.key.workflowId, rid: q.key.runId, qid: q.id }),
      workflowExecution: { workflowId: state.workflowId, runId: state.runId },
      workflowType: { name: state.workflowType },
      previousStartedEventId: state.previousStartedEventId || undefined,
      startedEventId: state.previousStartedEventId || undefined,
      attempt: 1,
      history: { events },
      nextPageToken: !sticky && lastSent < total ? this.pageToken(state.runId, lastSent + 1) : undefined,
      query: q.query,
      workflowExecutionTaskQueue: { name: state.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      scheduledTime: toTimestamp(this.now()),
      startedTime: toTimestamp(this.now()),
    };
  }

  respondQueryTaskCompleted(req: Obj): void {
    const token = decodeToken(req.taskToken);
    const q = this.queries.get(token.qid ?? '');
    if (!q) throw new NotFoundError('query not found (it may have timed out)');
    if (req.completedType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: req.queryResult });
    else q.reject(new QueryFailedError(req.errorMessage ?? 'query failed', req.failure));
  }

  private answerWftQueries(results: Obj | undefined): void {
    if (!results) return;
    for (const [id, result] of Object.entries(results as Record<string, Obj>)) {
      const q = this.queries.get(id);
      if (!q) continue;
      if (result.resultType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: result.answer });
      else q.reject(new QueryFailedError(result.errorMessage ?? 'query failed', result.failure));
    }
  }

  // ---------------------------------------------------------------- updates

  private applyProtocolMessage(run: Run, message: Obj, completedId: number): void {
    const typeName = String(message.body?.type_url ?? '').replace(/^.*\//, '');
    if (!typeName.startsWith('temporal.api.update.v1.')) return;
    const body = decodeMessage<Obj>(lookupType(typeName), message.body.value);
    const updateId: string = message.protocolInstanceId;
    const s = run.s;
    const adm = run.admitted.get(updateId);
    if (typeName === 'temporal.api.update.v1.Acceptance') {
      if (s.updates[updateId]) return;
      const ev = this.write(run, 'workflowExecutionUpdateAccepted', {
        protocolInstanceId: updateId,
        acceptedRequestMessageId: body.acceptedRequestMessageId,
        acceptedRequestSequencingEventId: body.acceptedRequestSequencingEventId,
        acceptedRequest: adm?.request ?? body.acceptedRequest,
      });
      s.updates[updateId] = { updateId, acceptedEventId: ev.eventId };
      run.admitted.delete(updateId);
      this.notifyUpdateSoon(s.runId, updateId);
    } else if (typeName === 'temporal.api.update.v1.Rejection') {
      // Like Temporal, a rejection is not stored with the run: its callers get it, then it is forgotten.
      if (run.rejected.size >= 100) run.rejected.clear();
      run.rejected.set(updateId, { failure: body.failure });
      run.admitted.delete(updateId);
      this.notifyUpdateSoon(s.runId, updateId);
    } else if (typeName === 'temporal.api.update.v1.Response') {
      const rec = s.updates[updateId];
      if (!rec?.acceptedEventId || rec.outcome) return;
      this.write(run, 'workflowExecutionUpdateCompleted', {
        meta: body.meta ?? { updateId },
        acceptedEventId: rec.acceptedEventId,
        outcome: body.outcome,
      });
      rec.outcome = body.outcome;
      this.notifyUpdateSoon(s.runId, updateId);
    }
    void completedId;
  }

  private updateStage(state: RunState, run: Run | undefined, updateId: string): 'none' | 'admitted' | 'accepted' | 'completed' {
    const rec = state.updates[updateId];
    if (rec?.outcome || run?.rejected.has(updateId)) return 'completed';
    if (rec?.acceptedEventId) return 'accepted';
    if (run?.admitted.has(updateId)) return 'admitted';
    return 'none';
  }

  private updateResponse(state: RunState, updateId: string, stage: string, run?: Run): Obj {
    return {
      updateRef: { workflowExecution: { workflowId: state.workflowId, runId: state.runId }, updateId },
      outcome: state.updates[updateId]?.outcome ?? run?.rejected.get(updateId),
      stage: {
        none: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED',
        admitted: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED',
        accepted: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED',
        completed: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED',
      }[stage],
    };
  }

  private waitForUpdate(runId: string, updateId: string, until: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const key = `${runId}/${updateId}`;
      let set = this.updateWaiters.get(key);
      if (!set) {
        set = new Set();
        this.updateWaiters.set(key, set);
      }
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /**
   * Waits until the update reaches `wanted` (or the wait times out: the caller gets the stage it
   * reached). A closed run answers from its committed state: an update completed in the task
   * that also closed the workflow returns its result; one never accepted was aborted.
   */
  private async awaitUpdateStage(
    key: RunKey,
    updateId: string,
    wanted: 'accepted' | 'completed',
    until: number,
    signal: AbortSignal | undefined,
  ): Promise<Obj> {
    for (;;) {
      const run = this.runs.get(key.runId);
      // A closing run leaves RAM once its close is committed; until then, wait for that commit.
      if (!run?.closing) {
        const state = run?.s ?? (await this.loadRunState(key));
        if (!state) throw new WorkflowNotFoundError(key.workflowId, key.runId);
        const stage = this.updateStage(state, run, updateId);
        if (stage === 'completed' || (wanted === 'accepted' && stage === 'accepted')) return this.updateResponse(state, updateId, stage, run);
        if (state.status !== 'Running') throw new NotFoundError('workflow update was aborted by closing workflow');
        if (stage === 'none') throw new NotFoundError(`update ${updateId} not found`);
        if (Date.now() >= until || signal?.aborted) return this.updateResponse(state, updateId, stage, run);
      } else if (Date.now() >= until || signal?.aborted) {
        return this.updateResponse(run.s, updateId, this.updateStage(run.s, run, updateId), run);
      }
      await this.waitForUpdate(key.runId, updateId, until, signal);
    }
  }

  async updateWorkflow(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    const { run, state } = await this.resolveRun(req.namespace, req.workflowExecution);
    const updateId: string = req.request?.meta?.updateId;
    if (!updateId) throw new InvalidArgumentError('Update ID is not set on request.');
    const stage = this.updateStage(state, run, updateId);
    if (stage === 'completed') return this.updateResponse(state, updateId, stage, run);
    if (!run || !this.isOpen(run)) throw new WorkflowClosedError();
    if (stage === 'none') {
      run.admitted.set(updateId, { request: req.request, delivered: false });
      if (!run.s.wft) {
        // Nothing is written for it (a rejected update leaves no trace): queue it directly.
        this.scheduleSpeculativeWorkflowTask(run);
        this.afterMutation(run);
      }
    }
    const wanted =
      req.waitPolicy?.lifecycleStage === 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' ? 'completed' : 'accepted';
    const until = Math.min(deadline - 1000, Date.now() + 20_000);
    return this.awaitUpdateStage({ namespace: run.s.namespace, workflowId: run.s.workflowId, runId: run.s.runId }, updateId, wanted, until, signal);
  }

  async pollUpdate(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    const { run, state } = await this.resolveRun(req.namespace, req.updateRef?.workflowExecution);
    const updateId: string = req.updateRef?.updateId;
    const stage = this.updateStage(state, run, updateId);
    if (stage === 'none') throw new NotFoundError(`update ${updateId} not found`);
    const wanted =
      req.waitPolicy?.lifecycleStage === 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED' ? 'accepted' : 'completed';
    const until = Math.min(deadline - 1000, Date.now() + MAX_POLL_WAIT_MS);
    return this.awaitUpdateStage({ namespace: state.namespace, workflowId: state.workflowId, runId: state.runId }, updateId, wanted, until, signal);
  }

  // ---------------------------------------------------------------- history and describe

  /** `spec`: the started event id of a speculative task whose unwritten events end the last page. */
  private pageToken(runId: string, next: number, spec?: number): Uint8Array {
    return Buffer.from(JSON.stringify(spec ? { r: runId, n: next, s: spec } : { r: runId, n: next }));
  }

  async getHistory(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    let token: { r: string; n: number; s?: number } | undefined;
    if (req.nextPageToken && req.nextPageToken.length) {
      try {
        token = JSON.parse(Buffer.from(req.nextPageToken).toString());
      } catch {
        throw new InvalidArgumentError('invalid next page token');
      }
    }
    const execution = token ? { workflowId: req.execution?.workflowId, runId: token.r } : req.execution;
    const { state } = await this.resolveRun(req.namespace, execution);
    const runId = state.runId;
    const closeOnly = req.historyEventFilterType === 'HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT';
    const pageSize = Math.min(req.maximumPageSize || HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE);
    let next = token?.n ?? 1;
    const until = Math.min(deadline - 1000, Date.now() + MAX_POLL_WAIT_MS);
    const key = { namespace: state.namespace, workflowId: state.workflowId, runId };
    // A run that closed while we waited has left RAM once its close committed; the wake-up hands
    // it over, so the answer needs no store read (the result long poll of every workflow).
    let woken: Run | undefined;
    for (;;) {
      const run = this.runs.get(runId) ?? woken;
      const s = run?.s ?? (await this.loadRunState(key));
      if (!s) throw new WorkflowNotFoundError(key.workflowId, runId);
      const closed = s.status !== 'Running';
      // Only committed events are visible to readers.
      const committedNext = run ? run.events.length - run.uncommitted.length + 1 : s.nextEventId;
      if (closeOnly) {
        if (closed && s.closeEventId && s.closeEventId < committedNext) {
          const [closeEvent] = run
            ? [run.events[s.closeEventId - 1]!]
            : await this.store.readHistory(key, s.closeEventId, 1);
          return { history: { events: closeEvent ? [closeEvent] : [] } };
        }
      } else if (next < committedNext) {
        const events = run
          ? run.events.slice(next - 1, Math.min(next - 1 + pageSize, committedNext - 1))
          : await this.store.readHistory(key, next, pageSize);
        let last = events.length ? events[events.length - 1]!.eventId : next - 1;
        let more = last + 1 < committedNext || (!closed && req.waitNewEvent);
        if (token?.s) {
          // The worker pages the history of a speculative task: its unwritten events end the last page.
          const spec = run?.speculativeEvents && run.s.wft?.startedEventId === token.s ? run.speculativeEvents : undefined;
          more = last + 1 < committedNext;
          if (spec && !more) {
            events.push(...spec);
            last = token.s;
          }
        }
        return { history: { events }, nextPageToken: more ? this.pageToken(runId, last + 1, token?.s) : undefined };
      } else if (closed || !req.waitNewEvent) {
        return { history: { events: [] } };
      }
      if (!req.waitNewEvent || Date.now() >= until || signal.aborted) {
        // An empty long-poll answer must carry a token, or the client spins.
        return { history: { events: [] }, nextPageToken: this.pageToken(runId, next) };
      }
      woken = await new Promise<Run | undefined>((resolve) => {
        let set = this.historyWaiters.get(runId);
        if (!set) {
          set = new Set();
          this.historyWaiters.set(runId, set);
        }
        const done = (wokenBy?: Run) => {
          clearTimeout(timer);
          set!.delete(done);
          signal.removeEventListener('abort', onAbort);
          resolve(wokenBy);
        };
        const onAbort = () => done();
        const timer = setTimeout(() => done(), Math.max(0, until - Date.now()));
        signal.addEventListener('abort', onAbort);
        set.add(done);
      });
      next = token?.n ?? next;
    }
  }

  async describe(req: Obj): Promise<Obj> {
    const { run, state: s } = await this.resolveRun(req.namespace, req.execution);
    const info = this.executionInfo(s);
    const pendingActivities = Object.values(s.activities).map((act) => ({
      activityId: act.activityId,
      activityType: { name: act.activityType },
      state: act.cancelRequested
        ? 'PENDING_ACTIVITY_STATE_CANCEL_REQUESTED'
        : act.startedTime !== undefined
          ? 'PENDING_ACTIVITY_STATE_STARTED'
          : 'PENDING_ACTIVITY_STATE_SCHEDULED',
      heartbeatDetails: act.heartbeatDetails,
      lastHeartbeatTime: act.lastHeartbeatTime ? toTimestamp(act.lastHeartbeatTime) : undefined,
      lastStartedTime: act.startedTime ? toTimestamp(act.startedTime) : undefined,
      attempt: act.attempt,
      maximumAttempts: act.retryPolicy.maximumAttempts,
      scheduledTime: toTimestamp(act.attemptScheduledTime),
      expirationTime: act.scheduleToCloseMs ? toTimestamp(act.scheduledTime + act.scheduleToCloseMs) : undefined,
      lastFailure: act.lastFailure,
      lastWorkerIdentity: act.startedIdentity,
    }));
    const pendingChildren = Object.values(s.children).map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId,
      workflowTypeName: c.workflowType,
      initiatedId: c.initiatedEventId,
      parentClosePolicy: c.parentClosePolicy,
    }));
    void run;
    return {
      executionConfig: {
        taskQueue: { name: s.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        workflowExecutionTimeout: s.executionTimeoutMs ? toDuration(s.executionTimeoutMs) : undefined,
        workflowRunTimeout: s.runTimeoutMs ? toDuration(s.runTimeoutMs) : undefined,
        defaultWorkflowTaskTimeout: toDuration(s.taskTimeoutMs),
      },
      workflowExecutionInfo: info,
      pendingActivities,
      pendingChildren,
      pendingWorkflowTask: s.wft
        ? {
            state: s.wft.startedEventId !== undefined ? 'PENDING_WORKFLOW_TASK_STATE_STARTED' : 'PENDING_WORKFLOW_TASK_STATE_SCHEDULED',
            scheduledTime: toTimestamp(s.wft.scheduledTime),
            originalScheduledTime: toTimestamp(s.wft.scheduledTime),
            startedTime: s.wft.startedTime ? toTimestamp(s.wft.startedTime) : undefined,
            attempt: s.wft.attempt,
          }
        : undefined,
    };
  }

  private executionInfo(s: RunState): Obj {
    return executionInfoFromRecord(visibilityOfState(s));
  }

  private visibilityOf(run: Run): VisibilityRecord {
    return visibilityOfState(run.s);
  }

  // ---------------------------------------------------------------- workers

  /**
   * A worker stopped: its sticky queue is dead. Workflow tasks and queries waiting there move to
   * the normal queue now, and the runs lose their stickiness durably (committed, so a restart
   * right after does not bring the dead queue back).
   */
  async shutdownWorker(stickyQueue: string | undefined, namespace: string): Promise<void> {
    if (!stickyQueue) return;
    this.deadStickyQueues.add(stickyQueue);
    // Drop the queue first (its entries are stale), so nothing below is offered to it again.
    this.queues.remove(TaskQueues.key(namespace, 'workflow', stickyQueue));
    for (const run of this.runs.values()) {
      if (run.s.stickyQueue === stickyQueue) this.clearStickiness(run);
    }
    for (const q of this.queries.values()) {
      if (q.state !== 'queued' || q.stickyQueue !== stickyQueue) continue;
      const run = this.runs.get(q.key.runId);
      this.enqueueQueryTaskOnQueue(q, run?.s, run);
    }
    await this.commit();
  }

  /** Forgets the run's sticky queue; a workflow task waiting there goes to the normal queue (the caller commits). */
  private clearStickiness(run: Run): void {
    run.s.stickyQueue = undefined;
    const wft = run.s.wft;
    if (wft && wft.startedEventId === undefined && wft.sticky) {
      wft.sticky = false;
      run.wftEnqueued = false;
    }
    this.dirty.add(run);
  }

  private stickyAvailable(s: RunState): boolean {
    return !!s.stickyQueue && this.queues.pollerSeenWithin(TaskQueues.key(s.namespace, 'workflow', s.stickyQueue), STICKY_POLLER_UNAVAILABLE_WINDOW_MS);
  }

  private commitSoon(): void {
    this.commit().catch((error: unknown) => this.logger.error({ err: error }, 'devserver commit failed'));
  }

  async resetSticky(req: Obj): Promise<void> {
    const { run } = await this.resolveRun(req.namespace, req.execution);
    if (!run) return;
    this.clearStickiness(run);
    await this.commit();
  }

  /** Counts for tests and the benchmark: how much workflow state is held in RAM. */
  stats(): { runsInMemory: number; openRuns: number; queries: number } & Engine['counters'] {
    return { runsInMemory: this.runs.size, openRuns: this.openByWorkflowId.size, queries: this.queries.size, ...this.counters };
  }
}

/** Upserting a null (or empty) value removes a search attribute or memo field. */
function withoutNulls(fields: Record<string, PayloadObject>): Record<string, PayloadObject> {
  const out: Record<string, PayloadObject> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!v?.data || v.data.length === 0 || Buffer.from(v.data).toString() === 'null') continue;
    out[k] = v;
  }
  return out;
}

function statusEnum(status: RunState['status']): string {
  return status.replace(/[A-Z]/g, (c, i: number) => (i > 0 ? '_' : '') + c).toUpperCase();
}

export function statusEnumName(status: RunState['status']): string {
  return 'WORKFLOW_EXECUTION_STATUS_' + statusEnum(status);
}

/** Decodes JSON search attribute payloads into comparable values. */
function searchValuesOf(fields: Record<string, PayloadObject> | undefined): Record<string, SearchValue> | undefined {
  if (!fields) return undefined;
  const out: Record<string, SearchValue> = {};
  for (const [name, payload] of Object.entries(fields)) {
    try {
      const value = JSON.parse(Buffer.from(payload.data ?? []).toString()) as unknown;
      if (Array.isArray(value)) out[name] = value.length === 1 && typeof value[0] !== 'string' ? (value[0] as SearchValue) : (value.map(String) as string[]);
      else out[name] = value as SearchValue;
    } catch {
      // Not JSON: not searchable.
    }
  }
  return out;
}

function visibilityOfState(s: RunState): VisibilityRecord {
  return {
    namespace: s.namespace,
    workflowId: s.workflowId,
    runId: s.runId,
    workflowType: s.workflowType,
    taskQueue: s.taskQueue,
    status: s.status,
    startTime: s.startTime,
    executionTime: s.executionTime,
    closeTime: s.closeTime,
    historyLength: s.nextEventId - 1,
    parent: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : undefined,
    root: s.root,
    memo: s.memo,
    searchAttributes: s.searchAttributes,
    searchValues: searchValuesOf(s.searchAttributes),
  };
}

export function executionInfoFromRecord(r: VisibilityRecord): Obj {
  return {
    execution: { workflowId: r.workflowId, runId: r.runId },
    type: { name: r.workflowType },
    startTime: toTimestamp(r.startTime),
    closeTime: r.closeTime ? toTimestamp(r.closeTime) : undefined,
    status: statusEnumName(r.status),
    historyLength: r.historyLength,
    parentExecution: r.parent,
    executionTime: toTimestamp(r.executionTime),
    memo: r.memo ? { fields: r.memo } : undefined,
    searchAttributes: r.searchAttributes ? { indexedFields: r.searchAttributes } : undefined,
    taskQueue: r.taskQueue,
    rootExecution: r.root,
    executionDuration: r.closeTime ? toDuration(r.closeTime - r.executionTime) : undefined,
  };
}

/**
 * Delay until the next firing of a standard 5-field cron expression (minute hour day month
 * weekday, UTC, with *, lists, ranges and steps), or undefined when it cannot be parsed.
 */
export function nextCronDelay(expression: string, now: number): number | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = ranges[i]!;
    const set = new Set<number>();
    for (const part of fields[i]!.split(',')) {
      const [rangePart, stepPart] = part.split('/');
      const step = stepPart ? Number(stepPart) : 1;
      let from = lo;
      let to = hi;
      if (rangePart !== '*') {
        const [a, b] = rangePart!.split('-');
        from = Number(a);
        to = b !== undefined ? Number(b) : stepPart ? hi : from;
      }
      if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step) || step <= 0) return undefined;
      for (let v = from; v <= to; v += step) set.add(i === 4 && v === 7 ? 0 : v);
    }
    sets.push(set);
  }
  const t = new Date(Math.floor(now / 60_000) * 60_000 + 60_000);
  for (let i = 0; i < 366 * 24 * 60; i++) {
    if (
      sets[0]!.has(t.getUTCMinutes()) &&
      sets[1]!.has(t.getUTCHours()) &&
      sets[2]!.has(t.getUTCDate()) &&
      sets[3]!.has(t.getUTCMonth() + 1) &&
      sets[4]!.has(t.getUTCDay())
    ) {
      return t.getTime() - now;
    }
    t.setTime(t.getTime() + 60_000);
  }
  return undefined;
}

export { fromTimestamp };
