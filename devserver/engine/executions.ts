// Starting and closing runs: start (ID reuse and conflict policies), signal, signal-with-start,
// cancel request, terminate; the close of a run and what it settles; workflow retries, cron and
// continue-as-new successors.
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, WorkflowAlreadyStartedError, WorkflowClosedError } from '../errors.ts';
import type { HistoryEventObject, PayloadObject } from '../store/types.ts';
import { decideRetry, type FailureObject, type RetryPolicyObject } from '../workflow/retry.ts';
import type { PriorityObject, RunState } from '../workflow/state.ts';
import { durationMs, toDuration, toTimestamp } from '../workflow/time.ts';
import {
  type Obj,
  DEFAULT_TASK_TIMEOUT_MS,
  SIGNAL_DEDUPE_WINDOW,
  ACCEPTED_UPDATE_COMPLETED_WORKFLOW_FAILURE,
  attrsOf,
  type QueryWaiter,
  type Run,
} from './model.ts';
import { EngineHistory } from './history.ts';

/** What a new run is made of (a start request, a child start, or a successor of a closed run). */
export interface RunParams {
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
  priority?: PriorityObject;
}

export abstract class EngineExecutions extends EngineHistory {
  // Provided by later layers.
  protected abstract enqueueQueryTask(q: QueryWaiter, run: Run): void;
  protected abstract notifyParent(run: Run, status: RunState['status'], attrs: Obj): void;
  protected abstract scheduleWorkflowTask(run: Run, notBefore?: number): void;

  protected createRun(p: RunParams): Run {
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
      priority: p.priority,
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
      priority: p.priority,
    });
    this.runs.set(runId, run);
    this.openByWorkflowId.set(this.wfKey(p.namespace, p.workflowId), run);
    this.scheduleWorkflowTask(run, backoffMs > 0 ? now + backoffMs : undefined);
    return run;
  }

  protected startParamsFromRequest(req: Obj) {
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
      priority: req.priority ?? undefined,
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

  protected deliverSignal(run: Run, signal: Obj): void {
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

  protected requestCancelRun(run: Run, attrs: Obj): void {
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

  protected terminateRun(run: Run, reason: string, details: Obj | undefined, identity: string | undefined): void {
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

  /**
   * Writes the close event and settles everything that depends on the run: its parent, its
   * children (parent close policy), waiting queries and updates. `successor` starts the next
   * run of a continue-as-new, retry or cron chain in the same commit.
   */
  protected closeRun(run: Run, status: RunState['status'], eventType: string, attrs: Obj): HistoryEventObject {
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

  /** Workflow-level retry of a failed or timed-out run; returns the new run id when retrying. */
  protected maybeRetryRun(run: Run, failure: FailureObject | undefined): { newRunId: string; backoffMs: number } | { retryState: string } {
    const s = run.s;
    if (!s.retryPolicy) return { retryState: 'RETRY_STATE_RETRY_POLICY_NOT_SET' };
    const decision = decideRetry(s.retryPolicy, s.attempt, failure, this.now(), s.executionExpiration || undefined);
    if (!decision.retry) return { retryState: decision.retryState };
    return { newRunId: randomUUID(), backoffMs: decision.backoffMs };
  }

  protected startSuccessor(
    run: Run,
    newRunId: string,
    overrides: Partial<RunParams> & { initiator: string },
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
      priority: s.priority,
      ...overrides,
    });
  }
}
