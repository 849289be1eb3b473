// The boundary between the workflow engine and its persistence. The engine owns all semantics;
// a store only keeps what the engine hands it and gives it back. Two implementations:
// memory.ts (tests, bin/devserver) and postgres.ts (the embedded default under `npm start`).
//
// Durability contract: every RPC that changes workflows builds one CommitUnit per touched run and
// calls commit() with all of them; the RPC answers only after commit() resolves. A unit carries
// the run's new history events, its full mutable-state snapshot and its visibility row. Timers
// and task-queue entries are not stored separately: they are derived from the snapshot, so the
// engine re-arms them on boot from loadOpenRuns(). One commit() call is atomic (all units or
// none), which is what continue-as-new, child starts and external signals need.

/** A history event in the shape protobufjs `toObject({ longs: Number, enums: String })` gives
 * for temporal.api.history.v1.HistoryEvent (bytes as Uint8Array). */
export type HistoryEventObject = { eventId: number; eventType: string; [field: string]: unknown };

/** A temporal.api.common.v1.Payload as a plain object. */
export interface PayloadObject {
  metadata?: Record<string, Uint8Array>;
  data?: Uint8Array;
}

export interface RunKey {
  namespace: string;
  workflowId: string;
  runId: string;
}

/** Names of temporal.api.enums.v1.WorkflowExecutionStatus without the prefix. */
export type ExecutionStatusName =
  | 'Running'
  | 'Completed'
  | 'Failed'
  | 'Canceled'
  | 'Terminated'
  | 'ContinuedAsNew'
  | 'TimedOut';

/** One row of visibility: what List/Count filter on and what they return. */
export interface VisibilityRecord {
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  status: ExecutionStatusName;
  /** Epoch milliseconds. */
  startTime: number;
  executionTime: number;
  closeTime?: number;
  historyLength: number;
  parent?: { workflowId: string; runId: string };
  root?: { workflowId: string; runId: string };
  memo?: Record<string, PayloadObject>;
  /** Raw search attribute payloads, returned as they were set. */
  searchAttributes?: Record<string, PayloadObject>;
  /** Decoded search attribute values the query language compares against. */
  searchValues?: Record<string, SearchValue>;
}

export type SearchValue = string | number | boolean | null | string[];

/** Parsed List/Count query (see ../visibility/query.ts). Time values are epoch milliseconds;
 * ExecutionStatus values are ExecutionStatusName. */
export type VisibilityFilter =
  | { kind: 'and'; left: VisibilityFilter; right: VisibilityFilter }
  | { kind: 'or'; left: VisibilityFilter; right: VisibilityFilter }
  | { kind: 'not'; operand: VisibilityFilter }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: SearchValue }
  | { kind: 'in'; field: string; values: SearchValue[] }
  | { kind: 'between'; field: string; low: SearchValue; high: SearchValue }
  | { kind: 'startsWith'; field: string; prefix: string }
  | { kind: 'isNull'; field: string };

export interface CommitUnit {
  key: RunKey;
  /** Events to append, eventIds contiguous after the stored ones. */
  newEvents: HistoryEventObject[];
  /** The engine's serialized mutable state of the run (opaque to the store). A function so a
   * store that never reads open runs' snapshots back (memory) does not pay for serializing them;
   * call it during commit() (the run keeps changing afterwards); it is memoized. */
  snapshot(): string;
  visibility: VisibilityRecord;
  /** True once the run is closed: the store may drop it from open-run loading. */
  closed: boolean;
  /** Make this run the current run of its workflow id (starts, continue-as-new, retries). */
  makeCurrent: boolean;
}

export interface StoredRun {
  key: RunKey;
  snapshot: string;
  closed: boolean;
  /** The next event id the store expects (1 + number of stored events). */
  nextEventId: number;
}

export interface NamespaceRecord {
  name: string;
  id: string;
  description: string;
  ownerEmail: string;
  /** Workflow execution retention in milliseconds (kept for describe; not enforced). */
  retentionMs: number;
  data: Record<string, string>;
  registeredAt: number;
}

export interface ListPage {
  records: VisibilityRecord[];
  nextPageToken?: string;
}

export interface WorkflowStore {
  /** Creates tables/schema if missing. Called once before anything else. */
  open(): Promise<void>;
  close(): Promise<void>;

  /** Applies all units atomically; resolves only once durable. */
  commit(units: CommitUnit[]): Promise<void>;

  /** Every run not closed, for the engine to rebuild its state on boot. */
  loadOpenRuns(): Promise<StoredRun[]>;
  getRun(key: RunKey): Promise<StoredRun | undefined>;
  /** The run id of the current run of a workflow id, open or closed. */
  getCurrentRunId(namespace: string, workflowId: string): Promise<string | undefined>;
  /** Events with eventId >= fromEventId, in order, at most maxEvents. */
  readHistory(key: RunKey, fromEventId: number, maxEvents: number): Promise<HistoryEventObject[]>;

  /** Newest start time first; pageToken is opaque to the engine. */
  listRuns(namespace: string, filter: VisibilityFilter | undefined, pageSize: number, pageToken?: string): Promise<ListPage>;
  countRuns(namespace: string, filter: VisibilityFilter | undefined): Promise<number>;

  listNamespaces(): Promise<NamespaceRecord[]>;
  saveNamespace(ns: NamespaceRecord): Promise<void>;
}
