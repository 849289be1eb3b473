// The commands of a completed workflow task, each turned into events and state.
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../errors.ts';
import type { PayloadObject } from '../store/types.ts';
import { durationMs } from '../workflow/time.ts';
import { nextCronDelay } from '../workflow/cron.ts';
import { type Obj, camelFromEventType, type Run } from './model.ts';
import { EngineTimers } from './timers.ts';

export abstract class EngineCommands extends EngineTimers {
  protected applyCommand(run: Run, command: Obj, completedId: number, identity: string | undefined): void {
    const s = run.s;
    const type: string = command.commandType;
    const camel = camelFromEventType('EVENT_TYPE_' + type.slice('COMMAND_TYPE_'.length));
    const a: Obj = command[camel + 'CommandAttributes'] ?? {};
    switch (type) {
      case 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK':
        return this.scheduleActivity(run, a, completedId);
      case 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK':
        return this.requestCancelActivity(run, a.scheduledEventId, completedId);
      case 'COMMAND_TYPE_START_TIMER':
        return this.startTimer(run, a, completedId);
      case 'COMMAND_TYPE_CANCEL_TIMER':
        return this.cancelTimer(run, a, completedId, identity);
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
