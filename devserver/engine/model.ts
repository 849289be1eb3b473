// What the engine's layers share: the in-memory Run (a run's mutable state plus what is derived
// from it), query waiters, task tokens, event-name conversions and limits.
import { InvalidArgumentError } from '../errors.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { toJson } from '../store/codec.ts';
import type { HistoryEventObject, RunKey, WorkflowStore } from '../store/types.ts';
import type { RunState } from '../workflow/state.ts';

// Protobuf messages as plain objects; the engine reads a handful of fields from each.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export const DEFAULT_TASK_TIMEOUT_MS = 10_000;
export const DEFAULT_STICKY_TIMEOUT_MS = 10_000;
/** Temporal matching's stickyPollerUnavailableWindow: a sticky queue nobody polled for this long is dead. */
export const STICKY_POLLER_UNAVAILABLE_WINDOW_MS = 10_000;
export const HISTORY_PAGE_SIZE = 1000;
export const MAX_POLL_WAIT_MS = 60_000;
/** Temporal's DiscardSpeculativeWorkflowTaskMaximumEventsCount default. */
export const DISCARD_SPECULATIVE_MAX_EVENTS = 10;
export const SIGNAL_DEDUPE_WINDOW = 100;

/** What Temporal gives an accepted update whose workflow closed before the update completed. */
export const ACCEPTED_UPDATE_COMPLETED_WORKFLOW_FAILURE = {
  message: 'Workflow Update failed because the Workflow completed before the Update completed.',
  source: 'Server',
  applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
};

export const CLOSING_COMMANDS = new Set([
  'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION',
]);

// Both conversions run for every event written or read: memoized (a few dozen names).
export const eventTypeNames = new Map<string, string>();
export const camelNames = new Map<string, string>();

export function eventTypeName(camel: string): string {
  let name = eventTypeNames.get(camel);
  if (name === undefined) {
    name = 'EVENT_TYPE_' + camel.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
    eventTypeNames.set(camel, name);
  }
  return name;
}

export function camelFromEventType(eventType: string): string {
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

export function attrsOf(event: HistoryEventObject): Obj {
  return (event[camelFromEventType(event.eventType) + 'EventAttributes'] ?? {}) as Obj;
}

/** The run's snapshot for a CommitUnit: serialized on first call only. */
export function snapshotOf(s: RunState): () => string {
  let text: string | undefined;
  return () => (text ??= toJson(s));
}

export interface TaskToken {
  k: 'w' | 'a' | 'q';
  ns: string;
  wid: string;
  rid: string;
  sid?: number;
  att?: number;
  n?: string;
  qid?: string;
}

export function encodeToken(token: TaskToken): Uint8Array {
  return Buffer.from(JSON.stringify(token));
}

export function decodeToken(bytes: Uint8Array | undefined): TaskToken {
  try {
    // A view, not a copy: tokens come in every completion.
    const view = !bytes ? Buffer.alloc(0) : Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return JSON.parse(view.toString()) as TaskToken;
  } catch {
    throw new InvalidArgumentError('invalid task token');
  }
}

export interface QueryWaiter {
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

export interface AdmittedUpdate {
  request: Obj;
  delivered: boolean;
}

export interface Run {
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
