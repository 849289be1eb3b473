// Queries never wait on a dead worker's sticky queue: after the worker that last ran a workflow
// stops (with ShutdownWorker), vanishes (without it), or the server restarts (PostgreSQL store),
// another worker answers the query from the normal queue. Real clock; every history is replayed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../devserver/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import * as activities from './workflows/activities.ts';
import { approve, status } from './workflows/index.ts';
import { bundle, quietLogger, replayAll } from './support.ts';

let workflowBundle: WorkflowBundleWithSourceMap;
let db: TestDatabase;

beforeAll(async () => {
  Runtime.install({ logger: quietLogger as never });
  [workflowBundle, db] = await Promise.all([bundle(), createTestDatabase('devserver_sticky')]);
});

afterAll(async () => {
  await db?.drop();
});

interface Session {
  server: DevServer;
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

async function open(server: DevServer): Promise<Session> {
  const connection = await Connection.connect({ address: server.address });
  return {
    server,
    connection,
    client: new Client({ connection }),
    close: async () => {
      await connection.close();
    },
  };
}

async function startWorker(address: string, taskQueue: string): Promise<{ stop(): Promise<void> }> {
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await nativeConnection.close();
    },
  };
}

/** Starts the workflow on worker A and lets it finish two workflow tasks (the second on A's sticky queue). */
async function runOnA(client: Client, taskQueue: string, workflowId: string) {
  const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId });
  await handle.signal(approve, 'first');
  for (let i = 0; i < 100; i++) {
    const { events } = await handle.fetchHistory();
    // EVENT_TYPE_WORKFLOW_TASK_COMPLETED = 7, TASK_QUEUE_KIND_STICKY = 2 (the client gives enum numbers).
    const completed = events!.filter((e) => Number(e.eventType) === 7);
    const stickyScheduled = events!.some((e) => Number(e.workflowTaskScheduledEventAttributes?.taskQueue?.kind) === 2);
    if (completed.length >= 2 && stickyScheduled) return handle;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('worker A did not run the workflow on its sticky queue');
}

async function timedQuery(client: Client, workflowId: string): Promise<{ answer: string; ms: number }> {
  const started = Date.now();
  const answer = await client.workflow.getHandle(workflowId).query(status);
  return { answer, ms: Date.now() - started };
}

async function finish(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  await handle.signal(approve, 'second');
  expect(await handle.result()).toEqual(['first', 'second', 'limit=10']);
  await replayAll(client, workflowBundle, [{ workflowId }]);
}

/** The SDK calls ShutdownWorker when it stops; a killed process never does. */
function dropShutdownWorker(server: DevServer): void {
  (server.engine as unknown as { shutdownWorker: () => Promise<void> }).shutdownWorker = async () => undefined;
}

describe('queries after the last worker of a workflow is gone', () => {
  it('worker A stops (ShutdownWorker): worker B answers within about a second', async () => {
    const s = await open(await startDevServer({ port: 0 }));
    try {
      const a = await startWorker(s.server.address, 'sticky-graceful');
      await runOnA(s.client, 'sticky-graceful', 'sticky-graceful').finally(() => a.stop());
      const b = await startWorker(s.server.address, 'sticky-graceful');
      try {
        const { answer, ms } = await timedQuery(s.client, 'sticky-graceful');
        expect(answer).toBe('approvals=1 limit=10');
        expect(ms).toBeLessThan(1500);
        await finish(s.client, 'sticky-graceful');
      } finally {
        await b.stop();
      }
    } finally {
      await s.close();
      await s.server.stop();
    }
  });

  it('worker A vanishes without ShutdownWorker: worker B answers within the sticky schedule-to-start timeout', async () => {
    const s = await open(await startDevServer({ port: 0 }));
    try {
      dropShutdownWorker(s.server);
      const a = await startWorker(s.server.address, 'sticky-vanished');
      await runOnA(s.client, 'sticky-vanished', 'sticky-vanished').finally(() => a.stop());
      const b = await startWorker(s.server.address, 'sticky-vanished');
      try {
        const { answer, ms } = await timedQuery(s.client, 'sticky-vanished');
        expect(answer).toBe('approvals=1 limit=10');
        // The SDK's sticky schedule-to-start timeout is 10 s; the bug this guards against waited for
        // the 60 s query timeout. The bound leaves room for a loaded CI machine (12.1 s seen at load 4).
        expect(ms).toBeLessThan(30_000);
        // A second query no longer tries the dead sticky queue (that would cost the 10 s again).
        expect((await timedQuery(s.client, 'sticky-vanished')).ms).toBeLessThan(8_000);
        await finish(s.client, 'sticky-vanished');
      } finally {
        await b.stop();
      }
    } finally {
      await s.close();
      await s.server.stop();
    }
  });

  for (const mode of ['graceful', 'killed'] as const) {
    it(`server restart (${mode === 'graceful' ? 'worker sent ShutdownWorker' : 'as after kill -9: no ShutdownWorker'}), PostgreSQL: worker B answers within about a second`, async () => {
      const store = { kind: 'postgres' as const, url: db.url, schema: `sticky_${mode}` };
      const taskQueue = `sticky-restart-${mode}`;
      const first = await open(await startDevServer({ port: 0, store }));
      try {
        if (mode === 'killed') dropShutdownWorker(first.server);
        const a = await startWorker(first.server.address, taskQueue);
        await runOnA(first.client, taskQueue, taskQueue).finally(() => a.stop());
      } finally {
        await first.close();
        await first.server.stop();
      }
      const second = await open(await startDevServer({ port: 0, store }));
      try {
        const b = await startWorker(second.server.address, taskQueue);
        try {
          const { answer, ms } = await timedQuery(second.client, taskQueue);
          expect(answer).toBe('approvals=1 limit=10');
          expect(ms).toBeLessThan(1500);
          await finish(second.client, taskQueue);
        } finally {
          await b.stop();
        }
      } finally {
        await second.close();
        await second.server.stop();
      }
    });
  }
});
