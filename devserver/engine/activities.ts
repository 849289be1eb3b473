// Activities: scheduling, dispatch (polled or eager), heartbeats, completion, failure with
// server-side retries, timeouts and cancellation.
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, NotFoundError, WorkflowNotFoundError } from '../errors.ts';
import type { TaskRef } from '../taskqueues.ts';
import { decideRetry, withActivityDefaults, type FailureObject } from '../workflow/retry.ts';
import { inheritPriority, type ActivityState } from '../workflow/state.ts';
import { durationMs, toDuration, toTimestamp } from '../workflow/time.ts';
import { type Obj, attrsOf, type TaskToken, encodeToken, decodeToken, type Run } from './model.ts';
import { EngineChildren } from './children.ts';

export abstract class EngineActivities extends EngineChildren {
  // Provided by later layers.
  protected abstract longPoll(
    req: Obj,
    kind: 'workflow' | 'activity',
    signal: AbortSignal,
    deadline: number,
    dispatch: (ref: TaskRef, queueName: string) => Promise<Obj | undefined>,
  ): Promise<Obj>;

  protected scheduleActivity(run: Run, a: Obj, completedId: number): void {
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
      priority: inheritPriority(a.priority ?? undefined, s.priority),
    };
  }

  protected requestCancelActivity(run: Run, scheduledEventId: number, completedId: number): void {
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

  async pollActivityTask(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    return this.longPoll(req, 'activity', signal, deadline, async (ref) => {
      const response = this.dispatchActivityTask(ref, req);
      if (response) await this.commit();
      return response;
    });
  }

  protected dispatchActivityTask(ref: TaskRef, req: Obj): Obj | undefined {
    const run = this.runs.get(ref.runId);
    if (!run || !this.isOpen(run)) return undefined;
    run.enqueuedActivities.delete(ref.id!);
    const [sid, attempt] = ref.id!.split(':');
    const act = run.s.activities[sid!];
    if (!act || act.attempt !== Number(attempt) || act.startedTime !== undefined) return undefined;
    return this.startActivityTask(run, act, req.identity);
  }

  /** Starts an activity attempt and builds its PollActivityTaskQueueResponse (the caller commits). */
  protected startActivityTask(run: Run, act: ActivityState, identity: string | undefined): Obj {
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
      priority: act.priority,
    };
  }

  protected activityFromToken(token: TaskToken): { run: Run; act: ActivityState } {
    const run = this.runs.get(token.rid);
    const act = run?.s.activities[String(token.sid)];
    if (!run || !this.isOpen(run) || !act || act.attempt !== token.att || act.nonce !== token.n || act.startedTime === undefined) {
      throw new NotFoundError('Activity task not found.');
    }
    return { run, act };
  }

  protected activityById(req: Obj): TaskToken {
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

  /** Writes ActivityTaskStarted (the real server writes it only when the attempt ends) and the outcome. */
  protected endActivity(run: Run, act: ActivityState, type: string, attrs: Obj, withStarted: boolean): void {
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

  protected activityTimedOut(run: Run, act: ActivityState, timeoutType: string, retryable: boolean): void {
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

  protected retryActivity(run: Run, act: ActivityState, failure: FailureObject, backoffMs: number): void {
    act.attempt++;
    act.attemptScheduledTime = this.now() + backoffMs;
    act.startedTime = undefined;
    act.lastHeartbeatTime = undefined;
    act.lastFailure = failure;
    act.lastFailureIdentity = act.startedIdentity;
    act.nonce = undefined;
    this.dirty.add(run);
  }
}
