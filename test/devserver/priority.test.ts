// Task priorities (Temporal's Priority.priorityKey, sent by SDK 1.24): backlogged workflow tasks
// are handed out lowest key first, and a workflow's activities inherit its priority unless they
// set their own. Through the real client and worker against startDevServer; histories replayed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../devserver/index.ts';
import * as activities from './workflows/activities.ts';
import { bundle, quietLogger, replayAll } from './support.ts';

let server: DevServer;
let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: quietLogger as never });
  [server, workflowBundle] = await Promise.all([startDevServer({ port: 0 }), bundle()]);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  nativeConnection = await NativeConnection.connect({ address: server.address });
});

afterAll(async () => {
  await nativeConnection?.close();
  await connection?.close();
  await server?.stop();
});

describe('devserver priorities', () => {
  it('serves a backlog lowest priority key first; activities inherit the workflow priority or use their own', async () => {
    const taskQueue = 'priorities';
    const low = ['low-0', 'low-1', 'low-2', 'low-3'];
    const high = ['high-0', 'high-1', 'high-2', 'high-3'];
    // Queued before any worker polls: the low-priority ones first, the default one in between.
    for (const workflowId of low) await client.workflow.start('priorities', { taskQueue, workflowId, priority: { priorityKey: 5 } });
    await client.workflow.start('priorities', { taskQueue, workflowId: 'default-0' });
    for (const workflowId of high) await client.workflow.start('priorities', { taskQueue, workflowId, priority: { priorityKey: 1 } });

    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle,
      activities,
      maxConcurrentWorkflowTaskExecutions: 2,
      maxConcurrentWorkflowTaskPolls: 2,
    });
    const ids = [...low, 'default-0', ...high];
    const results = await worker.runUntil(Promise.all(ids.map((id) => client.workflow.getHandle(id).result())));
    expect(results.slice(0, 4)).toEqual(low.map(() => [5, 5, 2]));
    expect(results[4]).toEqual([null, null, 2]); // no priority: undefined, null once JSON-encoded
    expect(results.slice(5)).toEqual(high.map(() => [1, 1, 2]));

    // Order of first dispatch: the task id of each workflow's first WorkflowTaskStarted.
    const firstStarted = new Map<string, number>();
    for (const id of ids) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      const started = history.events!.find((e) => e.workflowTaskStartedEventAttributes)!;
      firstStarted.set(id, Number(started.taskId));
    }
    const order = [...firstStarted.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    expect(order.slice(0, 4).sort()).toEqual(high);
    expect(order[4]).toBe('default-0');
    expect(order.slice(5).sort()).toEqual(low);
    await replayAll(client, workflowBundle, ids.map((workflowId) => ({ workflowId })));
  });
});
