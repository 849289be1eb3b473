// The devserver's PostgreSQL store rides out a blip: a group commit whose write fails (a dropped
// connection) is retried, since every write is an upsert, instead of failing the RPC after the
// engine already changed its state.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresStore } from '../../devserver/store/postgres.ts';
import type { CommitUnit } from '../../devserver/store/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
let store: PostgresStore;

beforeAll(async () => {
  db = await createTestDatabase('devserver_store');
  store = new PostgresStore({ connectionString: db.url, schema: 'temporal' });
  await store.open();
}, 60_000);

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const unit = (runId: string, snapshot: string): CommitUnit => ({
  key: { namespace: 'default', workflowId: `wf-${runId}`, runId },
  newEvents: [],
  snapshot: () => snapshot,
  visibility: { namespace: 'default', workflowId: `wf-${runId}`, runId, workflowType: 'demo', taskQueue: 'q', status: 'Running', startTime: 1, executionTime: 1, historyLength: 0 },
  closed: false,
  makeCurrent: true,
});

describe('PostgreSQL store', () => {
  it('retries a group commit that failed on a dropped connection, and the callers see success', async () => {
    const pool = (store as unknown as { pool: { query: (...args: unknown[]) => Promise<unknown> } }).pool;
    const query = pool.query.bind(pool);
    let failures = 2;
    pool.query = (...args: unknown[]) => (failures-- > 0 ? Promise.reject(new Error('Connection terminated unexpectedly')) : query(...args));
    try {
      await store.commit([unit('run-1', '{"v":1}'), unit('run-2', '{"v":2}')]);
    } finally {
      pool.query = query;
    }
    expect(failures).toBe(-1);
    expect(await store.getRun({ namespace: 'default', workflowId: 'wf-run-1', runId: 'run-1' })).toMatchObject({ snapshot: '{"v":1}', closed: false });
    expect(await store.getCurrentRunId('default', 'wf-run-2')).toBe('run-2');
  });
});
