// In-memory store for tests and bin/devserver. Open runs stay as long as they are open; closed
// runs are kept in a bounded map (oldest closed first out, default 10,000 runs) so memory stays
// flat however many workflows finish. Commits apply immediately (nothing to make durable).
import { matches } from '../visibility/match.ts';
import type {
  CommitUnit,
  HistoryEventObject,
  ListPage,
  NamespaceRecord,
  RunKey,
  StoredRun,
  VisibilityFilter,
  VisibilityRecord,
  WorkflowStore,
} from './types.ts';

interface MemoryRun {
  key: RunKey;
  /** Open runs keep the engine's serializer (nothing reads their snapshot while the engine runs,
   * and memory commits apply at once, so it gives what was committed); closed runs keep text. */
  snapshot: string | (() => string);
  closed: boolean;
  events: HistoryEventObject[];
  visibility: VisibilityRecord;
}

export class MemoryStore implements WorkflowStore {
  private readonly runs = new Map<string, MemoryRun>();
  private readonly closedOrder = new Set<string>();
  private readonly current = new Map<string, string>();
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly maxClosedRuns: number;

  constructor(options: { maxClosedRuns?: number } = {}) {
    this.maxClosedRuns = options.maxClosedRuns ?? 10_000;
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  async commit(units: CommitUnit[]): Promise<void> {
    for (const unit of units) {
      const id = unit.key.runId;
      let run = this.runs.get(id);
      if (!run) {
        run = { key: unit.key, snapshot: unit.snapshot, closed: unit.closed, events: [], visibility: unit.visibility };
        this.runs.set(id, run);
      }
      for (const e of unit.newEvents) run.events.push(e);
      run.snapshot = unit.closed ? unit.snapshot() : unit.snapshot;
      run.visibility = unit.visibility;
      if (unit.closed && !run.closed) this.closedOrder.add(id);
      run.closed = unit.closed;
      if (unit.makeCurrent) this.current.set(`${unit.key.namespace}\u0000${unit.key.workflowId}`, id);
    }
    while (this.closedOrder.size > this.maxClosedRuns) {
      const oldest = this.closedOrder.values().next().value as string;
      this.closedOrder.delete(oldest);
      const run = this.runs.get(oldest);
      this.runs.delete(oldest);
      const currentKey = run ? `${run.key.namespace}\u0000${run.key.workflowId}` : '';
      if (run && this.current.get(currentKey) === oldest) this.current.delete(currentKey);
    }
  }

  async loadOpenRuns(): Promise<StoredRun[]> {
    return [...this.runs.values()].filter((r) => !r.closed).map((r) => this.stored(r));
  }

  private stored(r: MemoryRun): StoredRun {
    const snapshot = typeof r.snapshot === 'string' ? r.snapshot : r.snapshot();
    return { key: r.key, snapshot, closed: r.closed, nextEventId: r.events.length + 1 };
  }

  async getRun(key: RunKey): Promise<StoredRun | undefined> {
    const r = this.runs.get(key.runId);
    if (!r || r.key.namespace !== key.namespace || (key.workflowId && r.key.workflowId !== key.workflowId)) return undefined;
    return this.stored(r);
  }

  async getCurrentRunId(namespace: string, workflowId: string): Promise<string | undefined> {
    return this.current.get(`${namespace}\u0000${workflowId}`);
  }

  async readHistory(key: RunKey, fromEventId: number, maxEvents: number): Promise<HistoryEventObject[]> {
    const r = this.runs.get(key.runId);
    if (!r) return [];
    return r.events.slice(fromEventId - 1, fromEventId - 1 + maxEvents);
  }

  async listRuns(namespace: string, filter: VisibilityFilter | undefined, pageSize: number, pageToken?: string): Promise<ListPage> {
    const all = [...this.runs.values()]
      .map((r) => r.visibility)
      .filter((v) => v.namespace === namespace && matches(v, filter))
      .sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? -1 : 1));
    const offset = pageToken ? Number(pageToken) : 0;
    const size = pageSize > 0 ? pageSize : 1000;
    const records = all.slice(offset, offset + size);
    return { records, nextPageToken: offset + size < all.length ? String(offset + size) : undefined };
  }

  async countRuns(namespace: string, filter: VisibilityFilter | undefined): Promise<number> {
    let n = 0;
    for (const r of this.runs.values()) if (r.visibility.namespace === namespace && matches(r.visibility, filter)) n++;
    return n;
  }

  async listNamespaces(): Promise<NamespaceRecord[]> {
    return [...this.namespaces.values()];
  }

  async saveNamespace(ns: NamespaceRecord): Promise<void> {
    this.namespaces.set(ns.name, ns);
  }
}
