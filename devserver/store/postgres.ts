// PostgreSQL store: the embedded default under `npm start`. Tables live in their own schema
// (default `temporal`) of the given database and are created when missing.
//
// Group commit: commit() calls queue up while a transaction is in flight and the next
// transaction writes all of them at once, in call order. A caller's promise resolves only after
// the transaction holding its units has committed, which is the devserver's acknowledgement rule.
import pg from 'pg';
import { decodeMessage, encodeHistoryEvent, lookupType, rememberEncodedEvent } from '../proto.ts';
import { fromJson, toJson } from './codec.ts';
import type {
  CommitUnit,
  HistoryEventObject,
  ListPage,
  NamespaceRecord,
  RunKey,
  SearchValue,
  StoredRun,
  VisibilityFilter,
  VisibilityRecord,
  WorkflowStore,
} from './types.ts';

const MAX_BATCH_UNITS = 400;

interface Pending {
  units: CommitUnit[];
  resolve(): void;
  reject(error: unknown): void;
}

/** Attempts of one group commit before its callers are failed (about 6 s of backoff in all). */
const WRITE_ATTEMPTS = 8;

export class PostgresStore implements WorkflowStore {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private queue: Pending[] = [];
  private writing = false;
  private readonly eventType = lookupType('temporal.api.history.v1.HistoryEvent');

  constructor(options: { connectionString: string; schema?: string; poolSize?: number }) {
    this.schema = options.schema ?? 'temporal';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema)) throw new Error(`invalid schema name ${this.schema}`);
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 6 });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  private t(name: string): string {
    return `"${this.schema}".${name}`;
  }

  async open(): Promise<void> {
    const client = await this.pool.connect();
    try {
      // Serialize concurrent first starts on the same database.
      await client.query('select pg_advisory_lock(hashtext($1))', [`devserver-schema-${this.schema}`]);
      await client.query(`
        create schema if not exists "${this.schema}";
        create table if not exists ${this.t('namespaces')} (name text primary key, record text not null);
        create table if not exists ${this.t('runs')} (
          run_id text primary key,
          namespace text not null,
          workflow_id text not null,
          snapshot text not null,
          closed boolean not null,
          next_event_id integer not null,
          workflow_type text not null,
          task_queue text not null,
          status text not null,
          start_time bigint not null,
          execution_time bigint not null,
          close_time bigint,
          history_length integer not null,
          search jsonb,
          visibility text not null
        );
        create index if not exists runs_open_idx on ${this.t('runs')} (run_id) where not closed;
        create index if not exists runs_list_idx on ${this.t('runs')} (namespace, start_time desc, run_id);
        create table if not exists ${this.t('current_runs')} (
          namespace text not null, workflow_id text not null, run_id text not null,
          primary key (namespace, workflow_id)
        );
        create table if not exists ${this.t('events')} (
          run_id text not null, event_id integer not null, data bytea not null,
          primary key (run_id, event_id)
        );
      `);
      await client.query('select pg_advisory_unlock(hashtext($1))', [`devserver-schema-${this.schema}`]);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    while (this.writing || this.queue.length) await new Promise((r) => setTimeout(r, 5));
    await this.pool.end();
  }

  commit(units: CommitUnit[]): Promise<void> {
    // Serialize now: the engine keeps changing the runs while this waits for its group commit.
    for (const unit of units) unit.snapshot();
    return new Promise((resolve, reject) => {
      this.queue.push({ units, resolve, reject });
      if (!this.writing) void this.writeLoop();
    });
  }

  private async writeLoop(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch: Pending[] = [];
        let count = 0;
        while (this.queue.length && count < MAX_BATCH_UNITS) {
          const next = this.queue.shift()!;
          batch.push(next);
          count += next.units.length;
        }
        try {
          await this.writeWithRetries(batch.flatMap((p) => p.units));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * The engine already changed its state when it asks for a commit, so a failed write would
   * leave the answer (INTERNAL) and the engine disagreeing: a retried call then finds its task
   * gone. The write is idempotent (every insert is an upsert), so a blip (a dropped connection,
   * a restart of PostgreSQL) is retried here for a few seconds before the callers are failed.
   */
  private async writeWithRetries(units: CommitUnit[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.writeBatch(units);
        return;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** (attempt - 1))));
      }
    }
  }

  private async writeBatch(units: CommitUnit[]): Promise<void> {
    const eventRuns: string[] = [];
    const eventIds: number[] = [];
    const eventData: Buffer[] = [];
    // The last unit of a run carries its latest snapshot and visibility.
    const latest = new Map<string, CommitUnit>();
    const current = new Map<string, CommitUnit>();
    for (const unit of units) {
      for (const e of unit.newEvents) {
        eventRuns.push(unit.key.runId);
        eventIds.push(e.eventId);
        const bytes = encodeHistoryEvent(e);
        eventData.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      latest.set(unit.key.runId, unit);
      if (unit.makeCurrent) current.set(`${unit.key.namespace}\u0000${unit.key.workflowId}`, unit);
    }
    const runs = [...latest.values()];
    const cur = [...current.values()];
    const v = (u: CommitUnit) => u.visibility;
    // One statement (its data-modifying CTEs commit atomically as one implicit transaction):
    // one round trip per group commit instead of five (begin, three inserts, commit).
    await this.pool.query(
      `with ev as (
         insert into ${this.t('events')} (run_id, event_id, data)
         select * from unnest($1::text[], $2::int[], $3::bytea[]) on conflict do nothing
       ), cur as (
         insert into ${this.t('current_runs')} (namespace, workflow_id, run_id)
         select * from unnest($19::text[], $20::text[], $21::text[])
         on conflict (namespace, workflow_id) do update set run_id = excluded.run_id
       )
       insert into ${this.t('runs')} (run_id, namespace, workflow_id, snapshot, closed, next_event_id, workflow_type,
         task_queue, status, start_time, execution_time, close_time, history_length, search, visibility)
       select * from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::int[], $10::text[],
         $11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::int[], $17::jsonb[], $18::text[])
       on conflict (run_id) do update set snapshot = excluded.snapshot, closed = excluded.closed,
         next_event_id = excluded.next_event_id, status = excluded.status, close_time = excluded.close_time,
         history_length = excluded.history_length, search = excluded.search, visibility = excluded.visibility,
         workflow_type = excluded.workflow_type, task_queue = excluded.task_queue,
         execution_time = excluded.execution_time`,
      [
        eventRuns,
        eventIds,
        eventData,
        runs.map((u) => u.key.runId),
        runs.map((u) => u.key.namespace),
        runs.map((u) => u.key.workflowId),
        runs.map((u) => u.snapshot()),
        runs.map((u) => u.closed),
        runs.map((u) => v(u).historyLength + 1),
        runs.map((u) => v(u).workflowType),
        runs.map((u) => v(u).taskQueue),
        runs.map((u) => v(u).status),
        runs.map((u) => v(u).startTime),
        runs.map((u) => v(u).executionTime),
        runs.map((u) => v(u).closeTime ?? null),
        runs.map((u) => v(u).historyLength),
        runs.map((u) => JSON.stringify(v(u).searchValues ?? {})),
        runs.map((u) => toJson(v(u))),
        cur.map((u) => u.key.namespace),
        cur.map((u) => u.key.workflowId),
        cur.map((u) => u.key.runId),
      ],
    );
  }

  async loadOpenRuns(): Promise<StoredRun[]> {
    const { rows } = await this.pool.query(
      `select run_id, namespace, workflow_id, snapshot, closed, next_event_id from ${this.t('runs')} where not closed`,
    );
    return rows.map(toStoredRun);
  }

  async getRun(key: RunKey): Promise<StoredRun | undefined> {
    const { rows } = await this.pool.query(
      `select run_id, namespace, workflow_id, snapshot, closed, next_event_id from ${this.t('runs')}
       where run_id = $1 and namespace = $2 and ($3 = '' or workflow_id = $3)`,
      [key.runId, key.namespace, key.workflowId ?? ''],
    );
    return rows[0] ? toStoredRun(rows[0]) : undefined;
  }

  async getCurrentRunId(namespace: string, workflowId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query(
      `select run_id from ${this.t('current_runs')} where namespace = $1 and workflow_id = $2`,
      [namespace, workflowId],
    );
    return rows[0]?.run_id;
  }

  async readHistory(key: RunKey, fromEventId: number, maxEvents: number): Promise<HistoryEventObject[]> {
    const { rows } = await this.pool.query(
      `select data from ${this.t('events')} where run_id = $1 and event_id >= $2 order by event_id limit $3`,
      [key.runId, fromEventId, Math.min(maxEvents, 1_000_000)],
    );
    return rows.map((r: { data: Buffer }) => {
      const event = decodeMessage<HistoryEventObject>(this.eventType, r.data);
      // Sent on as it was stored: no re-encoding for history pages.
      rememberEncodedEvent(event, r.data);
      return event;
    });
  }

  async listRuns(namespace: string, filter: VisibilityFilter | undefined, pageSize: number, pageToken?: string): Promise<ListPage> {
    const params: unknown[] = [namespace];
    const where = filter ? `and (${toSql(filter, params)})` : '';
    const offset = pageToken ? Number(pageToken) : 0;
    const size = pageSize > 0 ? pageSize : 1000;
    const { rows } = await this.pool.query(
      `select visibility from ${this.t('runs')} where namespace = $1 ${where}
       order by start_time desc, run_id limit ${size + 1} offset ${offset}`,
      params,
    );
    const records = rows.slice(0, size).map((r: { visibility: string }) => fromJson<VisibilityRecord>(r.visibility));
    return { records, nextPageToken: rows.length > size ? String(offset + size) : undefined };
  }

  async countRuns(namespace: string, filter: VisibilityFilter | undefined): Promise<number> {
    const params: unknown[] = [namespace];
    const where = filter ? `and (${toSql(filter, params)})` : '';
    const { rows } = await this.pool.query(`select count(*)::int as n from ${this.t('runs')} where namespace = $1 ${where}`, params);
    return rows[0].n;
  }

  async listNamespaces(): Promise<NamespaceRecord[]> {
    const { rows } = await this.pool.query(`select record from ${this.t('namespaces')}`);
    return rows.map((r: { record: string }) => JSON.parse(r.record) as NamespaceRecord);
  }

  async saveNamespace(ns: NamespaceRecord): Promise<void> {
    await this.pool.query(
      `insert into ${this.t('namespaces')} (name, record) values ($1, $2) on conflict (name) do update set record = excluded.record`,
      [ns.name, JSON.stringify(ns)],
    );
  }
}

function toStoredRun(row: { run_id: string; namespace: string; workflow_id: string; snapshot: string; closed: boolean; next_event_id: number }): StoredRun {
  return {
    key: { namespace: row.namespace, workflowId: row.workflow_id, runId: row.run_id },
    snapshot: row.snapshot,
    closed: row.closed,
    nextEventId: row.next_event_id,
  };
}

const COLUMNS: Record<string, { column: string; numeric: boolean }> = {
  WorkflowId: { column: 'workflow_id', numeric: false },
  RunId: { column: 'run_id', numeric: false },
  WorkflowType: { column: 'workflow_type', numeric: false },
  ExecutionStatus: { column: 'status', numeric: false },
  TaskQueue: { column: 'task_queue', numeric: false },
  StartTime: { column: 'start_time', numeric: true },
  CloseTime: { column: 'close_time', numeric: true },
  ExecutionTime: { column: 'execution_time', numeric: true },
  HistoryLength: { column: 'history_length', numeric: true },
};

/** Translates a filter into SQL on the runs table, pushing values into params. */
function toSql(filter: VisibilityFilter, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // Search attributes: compare the JSON value, or any element of a keyword list.
  const searchCompare = (field: string, op: string, value: SearchValue): string => {
    const path = `search->${param(field)}`;
    if (typeof value === 'number') {
      return `(jsonb_typeof(${path}) = 'number' and (${path})::numeric ${op} ${param(value)})`;
    }
    if (typeof value === 'boolean') return `((${path})::text ${op} ${param(String(value))})`;
    const v = param(String(value));
    if (op === '=') return `(${path} = to_jsonb(${v}::text) or (jsonb_typeof(${path}) = 'array' and ${path} ? ${v}))`;
    return `(jsonb_typeof(${path}) = 'string' and (${path} #>> '{}') ${op} ${v})`;
  };
  switch (filter.kind) {
    case 'and':
      return `(${toSql(filter.left, params)} and ${toSql(filter.right, params)})`;
    case 'or':
      return `(${toSql(filter.left, params)} or ${toSql(filter.right, params)})`;
    case 'not':
      return `not coalesce(${toSql(filter.operand, params)}, false)`;
    case 'isNull': {
      const col = COLUMNS[filter.field];
      return col ? `${col.column} is null` : `(search->${param(filter.field)}) is null`;
    }
    case 'startsWith': {
      const col = COLUMNS[filter.field];
      const like = param(filter.prefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
      return col ? `${col.column} like ${like}` : `(search->>${param(filter.field)}) like ${like}`;
    }
    case 'in':
      return `(${filter.values.map((value) => toSql({ kind: 'compare', field: filter.field, op: '=', value }, params)).join(' or ') || 'false'})`;
    case 'between':
      return `(${toSql({ kind: 'compare', field: filter.field, op: '>=', value: filter.low }, params)} and ${toSql(
        { kind: 'compare', field: filter.field, op: '<=', value: filter.high },
        params,
      )})`;
    case 'compare': {
      const col = COLUMNS[filter.field];
      if (col) {
        const value = col.numeric && typeof filter.value === 'string' ? Date.parse(filter.value) : filter.value;
        const sqlOp = filter.op === '!=' ? '<>' : filter.op;
        return `coalesce(${col.column} ${sqlOp} ${param(value)}, false)`;
      }
      if (filter.op === '!=') return `not coalesce(${searchCompare(filter.field, '=', filter.value)}, false)`;
      return `coalesce(${searchCompare(filter.field, filter.op, filter.value)}, false)`;
    }
  }
}
