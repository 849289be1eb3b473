// Workflow tasks: scheduling (normal and speculative), long polls, dispatch with history and
// queries and update requests, completion (commands, protocol messages, eager activities),
// failure and retry; sticky queues and worker shutdown.
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, NotFoundError } from '../errors.ts';
import { packAny } from '../proto.ts';
import type { HistoryEventObject } from '../store/types.ts';
import { TaskQueues, type TaskRef } from '../taskqueues.ts';
import type { RunState } from '../workflow/state.ts';
import { durationMs, toDuration, toTimestamp } from '../workflow/time.ts';
import {
  type Obj,
  DEFAULT_STICKY_TIMEOUT_MS,
  STICKY_POLLER_UNAVAILABLE_WINDOW_MS,
  HISTORY_PAGE_SIZE,
  MAX_POLL_WAIT_MS,
  DISCARD_SPECULATIVE_MAX_EVENTS,
  CLOSING_COMMANDS,
  type TaskToken,
  encodeToken,
  decodeToken,
  type QueryWaiter,
  type Run,
} from './model.ts';
import { EngineCommands } from './commands.ts';

export abstract class EngineWorkflowTasks extends EngineCommands {
  // Provided by later layers.
  protected abstract answerWftQueries(results: Obj | undefined): void;
  protected abstract applyProtocolMessage(run: Run, message: Obj, completedId: number): void;
  protected abstract dispatchQueryTask(ref: TaskRef, queueName: string): Promise<Obj | undefined>;
  protected abstract enqueueQueryTaskOnQueue(q: QueryWaiter, state: RunState | undefined, run?: Run): void;

  protected scheduleWorkflowTask(run: Run, notBefore?: number): void {
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
  protected scheduleSpeculativeWorkflowTask(run: Run): void {
    if (!this.isOpen(run) || run.s.wft) return;
    run.s.wft = { attempt: 1, scheduledTime: this.now(), sticky: !!run.s.stickyQueue, speculative: true };
    run.wftEnqueued = false;
  }

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
  protected async longPoll(
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

  protected requeue(ref: TaskRef): void {
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

  protected dispatchWorkflowTask(ref: TaskRef, req: Obj, queueName: string): Obj | undefined {
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

  protected workflowTaskFromToken(token: TaskToken): { run: Run; wft: NonNullable<RunState['wft']> } {
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
  protected discardable(run: Run, req: Obj): boolean {
    const s = run.s;
    if ((req.commands?.length ?? 0) > 0 || req.forceCreateNewWorkflowTask || s.buffered.length > 0) return false;
    const since = s.nextEventId - (s.previousStartedEventId + 2);
    const maxSince = req.capabilities?.discardSpeculativeWorkflowTaskWithEvents ? DISCARD_SPECULATIVE_MAX_EVENTS : 0;
    if (since > maxSince) return false;
    return (req.messages ?? []).every((m: Obj) => String(m.body?.type_url ?? '').endsWith('temporal.api.update.v1.Rejection'));
  }

  /** Drops a speculative task as if it never ran: no events; the worker rolls back to resetHistoryEventId. */
  protected async discardSpeculative(run: Run, req: Obj): Promise<Obj> {
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

  protected failWorkflowTask(run: Run, wft: NonNullable<RunState['wft']>, cause: string, failure: Obj | undefined, identity: string | undefined): void {
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
  protected retryWorkflowTask(run: Run): void {
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
  protected clearStickiness(run: Run): void {
    run.s.stickyQueue = undefined;
    const wft = run.s.wft;
    if (wft && wft.startedEventId === undefined && wft.sticky) {
      wft.sticky = false;
      run.wftEnqueued = false;
    }
    this.dirty.add(run);
  }

  protected stickyAvailable(s: RunState): boolean {
    return !!s.stickyQueue && this.queues.pollerSeenWithin(TaskQueues.key(s.namespace, 'workflow', s.stickyQueue), STICKY_POLLER_UNAVAILABLE_WINDOW_MS);
  }

  async resetSticky(req: Obj): Promise<void> {
    const { run } = await this.resolveRun(req.namespace, req.execution);
    if (!run) return;
    this.clearStickiness(run);
    await this.commit();
  }
}
