// The workflow engine: every workflow run's mutable state, its history, and what each RPC,
// command and timer does to them, following Temporal's server (and its Java test server where
// the two agree).
//
// Concurrency model: a mutation runs synchronously on in-memory state (no await inside), marks
// the runs it touched dirty, then `commit()` hands one CommitUnit per dirty run to the store and
// the RPC answers once that commit is durable. The store applies commits in call order, so an
// answer implies every earlier mutation is durable too. Timers, task-queue entries and
// time-skipping locks are derived from the state after each mutation (see `afterMutation`).
//
// One class, built in layers, one concern per file of engine/ (each extends the one before):
//   model.ts           the in-memory Run, query waiters, task tokens, limits (no class)
//   runs.ts            runs in RAM, recover/stop, commit, derived state (timers, queue entries, locks)
//   history.ts         writing events (buffered during a workflow task, speculative), history paging
//   executions.ts      start, signal, cancel, terminate, close; retries, cron, continue-as-new
//   children.ts        child workflows, signals and cancels to external workflows
//   activities.ts      scheduling, dispatch, heartbeats, completion, retries, timeouts, cancellation
//   timers.ts          timer commands and every clock timer firing (user timers and timeouts)
//   commands.ts        the commands of a completed workflow task
//   workflow-tasks.ts  workflow task scheduling, polls, dispatch, completion, failure; sticky queues
//   queries.ts         queries riding workflow tasks or sent as query tasks
//   updates.ts         update stages: admitted, accepted/rejected, completed; waiting on them
//   engine.ts          (this file) describe, and the class the service uses
// A layer calls what a later one provides through abstract methods (listed at the top of the
// layer that first needs them). Visibility rows: visibility/record.ts; cron: workflow/cron.ts.
import type { Obj } from './engine/model.ts';
import { EngineUpdates } from './engine/updates.ts';
import { executionInfoFromRecord, visibilityOfState } from './visibility/record.ts';
import type { RunState } from './workflow/state.ts';
import { toDuration, toTimestamp } from './workflow/time.ts';

export type { EngineOptions, NamespaceResolver } from './engine/model.ts';
export { executionInfoFromRecord } from './visibility/record.ts';

export class Engine extends EngineUpdates {
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
      workflowExecutionInfo: s.priority ? { ...info, priority: s.priority } : info,
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

  protected executionInfo(s: RunState): Obj {
    return executionInfoFromRecord(visibilityOfState(s));
  }

}
