// The opt-in node:http2 transport (devserver/http2-server.ts) through the real client and worker:
// gzipped worker requests, long polls, an update with a validator, a query, a signal, typed
// errors with their details (already started, not found), UNIMPLEMENTED for what the server
// lacks; the finished history replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
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
  [server, workflowBundle] = await Promise.all([startDevServer({ port: 0, transport: 'http2' }), bundle()]);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  nativeConnection = await NativeConnection.connect({ address: server.address });
}, 60_000);

afterAll(async () => {
  await nativeConnection?.close();
  await connection?.close();
  await server?.stop();
});

describe('devserver over the node:http2 transport', () => {
  it('runs signals, queries and updates, and answers errors with their details', async () => {
    const taskQueue = 'http2-transport';
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities });
    const workflowId = 'http2-sqU';
    await worker.runUntil(async () => {
      const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId });
      await expect(client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId })).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      expect(await handle.executeUpdate('setLimit', { args: [5] })).toBe(10);
      await expect(handle.executeUpdate('setLimit', { args: [-1] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await handle.signal('approve', 'a');
      expect(await handle.query('status')).toBe('approvals=1 limit=5');
      await handle.signal('approve', 'b');
      expect(await handle.result()).toEqual(['a', 'b', 'limit=5']);
    });
    await expect(client.workflow.getHandle('http2-missing').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await expect(client.workflowService.listSchedules({ namespace: 'default' })).rejects.toMatchObject({ code: 12 });
    await replayAll(client, workflowBundle, [{ workflowId }]);
  }, 60_000);
});
