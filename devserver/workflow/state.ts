// The mutable state of one workflow run: everything the engine needs besides the history to
// decide what happens next. It is serialized whole into each commit (see ../store/types.ts) and
// timers, task-queue entries and time-skipping locks are derived from it, never stored apart.
import type { ExecutionStatusName, HistoryEventObject, PayloadObject } from '../store/types.ts';
import type { FailureObject, RetryPolicyObject } from './retry.ts';

export interface WorkflowTaskState {
  attempt: number;
  /** Epoch ms the task became available (for describe and WFT scheduled time). */
  scheduledTime: number;
  /** Set once a worker picked it up; Scheduled/Started events are written then. */
  scheduledEventId?: number;
  startedEventId?: number;
  startedTime?: number;
  /** Distinguishes dispatches of the same ids (after a restart, a re-dispatch gets a new nonce). */
  nonce?: string;
  /** Whether the task currently waits on the run's sticky queue. */
  sticky: boolean;
  /** Not before this time (first task after a retry/cron backoff or start delay). */
  notBefore?: number;
  /**
   * A speculative task (Temporal's, for updates): its Scheduled/Started events are not written
   * unless it turns out to matter; completed with only update rejections it leaves no trace.
   */
  speculative?: boolean;
}

/** Temporal's Priority (temporal.api.common.v1.Priority): lower priorityKey is served first. */
export interface PriorityObject {
  priorityKey?: number;
  fairnessKey?: string;
  fairnessWeight?: number;
}

/** A child's or activity's priority: each field it leaves unset (zero, empty) comes from the workflow's. */
export function inheritPriority(own: PriorityObject | undefined, from: PriorityObject | undefined): PriorityObject | undefined {
  if (!from) return own;
  if (!own) return from;
  return {
    priorityKey: own.priorityKey || from.priorityKey,
    fairnessKey: own.fairnessKey || from.fairnessKey,
    fairnessWeight: own.fairnessWeight || from.fairnessWeight,
  };
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  attempt: number;
  /** First schedule time: schedule-to-close counts from here. */
  scheduledTime: number;
  /** This attempt's schedule time (after backoff): schedule-to-start counts from here. */
  attemptScheduledTime: number;
  startedTime?: number;
  startedIdentity?: string;
  nonce?: string;
  lastHeartbeatTime?: number;
  heartbeatDetails?: { payloads?: PayloadObject[] };
  cancelRequested: boolean;
  cancelRequestedEventId?: number;
  retryPolicy: RetryPolicyObject;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  lastFailure?: FailureObject;
  lastFailureIdentity?: string;
  /** Its own priority merged with the workflow's (what matching orders it by). */
  priority?: PriorityObject;
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  runId?: string;
  startedEventId?: number;
  parentClosePolicy: string;
}

/** A signal or cancel the run asked for on another workflow, not delivered yet. */
export interface ExternalRequest {
  kind: 'signal' | 'cancel';
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  runId?: string;
  childWorkflowOnly: boolean;
  control?: string;
  signalName?: string;
  input?: unknown;
  header?: unknown;
  reason?: string;
}

export interface UpdateRecord {
  updateId: string;
  acceptedEventId?: number;
  /** temporal.api.update.v1.Outcome, once completed or rejected. */
  outcome?: unknown;
}

export interface RunState {
  namespace: string;
  workflowId: string;
  runId: string;
  firstRunId: string;
  workflowType: string;
  taskQueue: string;
  status: ExecutionStatusName;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  startRequestId: string;
  nextEventId: number;
  /** Started event id of the last completed workflow task (0 when none). */
  previousStartedEventId: number;
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
  /** Epoch ms when the whole execution (across runs) times out, 0 for never. */
  executionExpiration: number;
  attempt: number;
  retryPolicy?: RetryPolicyObject;
  cronSchedule?: string;
  parent?: { namespace: string; workflowId: string; runId: string; initiatedEventId: number };
  root?: { workflowId: string; runId: string };
  memo?: Record<string, PayloadObject>;
  searchAttributes?: Record<string, PayloadObject>;
  /** The workflow's priority: its workflow tasks and queries are matched by it, its activities and children inherit it. */
  priority?: PriorityObject;
  wft?: WorkflowTaskState;
  stickyQueue?: string;
  stickyScheduleToStartMs?: number;
  /** Events that arrived while a workflow task was running; written after its completion. */
  buffered: HistoryEventObject[];
  activities: Record<string, ActivityState>;
  timers: Record<string, { startedEventId: number; fireTime: number }>;
  children: Record<string, ChildState>;
  external: Record<string, ExternalRequest>;
  cancelRequested: boolean;
  updates: Record<string, UpdateRecord>;
  /** Request ids of recent signals, to drop duplicates (bounded). */
  signalRequestIds: string[];
  newExecutionRunId?: string;
  closeEventId?: number;
  /** Pending close of a continue-as-new / retry / cron successor to start with this run. */
  historySizeBytes: number;
}
