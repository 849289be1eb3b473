// Feature conformance against startDevServer (in-process, time skipping via the TestService)
// with a plain Client + Worker; every finished workflow history is replayed at the end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../devserver/index.ts';
import * as activities from './workflows/activities.ts';
import { approve } from './workflows/index.ts';
import { bundle, quietLogger, replayAll } from './support.ts';

let server: DevServer;
let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let workflowBundle: WorkflowBundleWithSourceMap;
const taskQueue = 'features';
const finished: { workflowId: string; runId?: string }[] = [];

beforeAll(async () => {
  Runtime.install({ logger: quietLogger as never });
  [server, workflowBundle] = await Promise.all([startDevServer({ port: 0, timeSkipping: true, timeSkippingUnlocked: true }), bundle()]);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  nativeConnection = await NativeConnection.connect({ address: server.address });
  worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await replayAll(client, workflowBundle, finished);
  await nativeConnection?.close();
  await connection?.close();
  await server?.stop();
});

describe('devserver features', () => {
  it('rejects a second start of a running id with the real error, and honours reuse policies', async () => {
    const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'dup' });
    const error = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'dup' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const same = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'dup', workflowIdConflictPolicy: 'USE_EXISTING' });
    expect(same.firstExecutionRunId).toBe(handle.firstExecutionRunId);
    await handle.signal(approve, 'a');
    await handle.signal(approve, 'b');
    await handle.result();
    await expect(
      client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'dup', workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const again = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'dup' });
    expect(again.firstExecutionRunId).not.toBe(handle.firstExecutionRunId);
    await again.terminate('done');
    finished.push({ workflowId: 'dup', runId: handle.firstExecutionRunId });
  });

  it('signal-with-start starts once and signals after', async () => {
    const h1 = await client.workflow.signalWithStart('signalsQueriesUpdates', { taskQueue, workflowId: 'sws', signal: approve, signalArgs: ['x'] });
    const h2 = await client.workflow.signalWithStart('signalsQueriesUpdates', { taskQueue, workflowId: 'sws', signal: approve, signalArgs: ['y'] });
    expect(h2.signaledRunId).toBe(h1.signaledRunId);
    expect(await h1.result()).toEqual(['x', 'y', 'limit=10']);
    finished.push({ workflowId: 'sws' });
  });

  it('follows continue-as-new to the last run', async () => {
    expect(await client.workflow.execute('counter', { taskQueue, workflowId: 'can', args: [0, 3] })).toBe(3);
    const desc = await client.workflow.getHandle('can').describe();
    expect(desc.status.name).toBe('COMPLETED');
    finished.push({ workflowId: 'can' });
  });

  it('runs children: result, failure, abandon and terminate on parent close', async () => {
    expect(await client.workflow.execute('parent', { taskQueue, workflowId: 'parent', args: [21] })).toBe('42|negative');
    await new Promise((r) => setTimeout(r, 200));
    // Time skipping may let the abandoned child finish its year-long sleep, but never terminates it.
    expect((await client.workflow.getHandle('parent-abandoned').describe()).status.name).not.toBe('TERMINATED');
    expect((await client.workflow.getHandle('parent-terminated').describe()).status.name).toBe('TERMINATED');
    finished.push({ workflowId: 'parent' });
  });

  it('cancels an external child and reports it', async () => {
    expect(await client.workflow.execute('cancelChild', { taskQueue, workflowId: 'cc' })).toBe('CancelledFailure');
    finished.push({ workflowId: 'cc' });
  });

  it('signals external workflows', async () => {
    const target = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'target' });
    await client.workflow.execute('signaller', { taskQueue, workflowId: 'signaller', args: ['target'] });
    expect(await target.result()).toEqual(['external', 'external-2', 'limit=10']);
    finished.push({ workflowId: 'target' }, { workflowId: 'signaller' });
  });

  it('cancels a workflow, which still runs its cleanup activity', async () => {
    const handle = await client.workflow.start('waitForCancel', { taskQueue, workflowId: 'cancel-me' });
    await new Promise((r) => setTimeout(r, 100));
    await handle.cancel();
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    finished.push({ workflowId: 'cancel-me' });
  });

  it('delivers cancellation to a heartbeating activity', async () => {
    expect(await client.workflow.execute('heartbeatCancel', { taskQueue, workflowId: 'hb-cancel' })).toBe('cancelled');
    finished.push({ workflowId: 'hb-cancel' });
  });

  it('times out an activity that stops heartbeating, after retrying it', async () => {
    expect(await client.workflow.execute('heartbeatTimeout', { taskQueue, workflowId: 'hb-timeout' })).toBe('TimeoutFailure:HEARTBEAT');
    finished.push({ workflowId: 'hb-timeout' });
  });

  it('retries a workflow by its retry policy', async () => {
    const result = await client.workflow.execute('failsOnce', { taskQueue, workflowId: 'wf-retry', retry: { initialInterval: '10ms', maximumAttempts: 3 } });
    expect(result).toBe('attempt 2');
    finished.push({ workflowId: 'wf-retry' });
  });

  it('lists and counts by type, status, time and search attributes; memo upserts', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    await client.workflow.execute('searchable', { taskQueue, workflowId: 'search-1', args: ['red'], memo: { owner: 'x' } });
    await client.workflow.execute('searchable', { taskQueue, workflowId: 'search-2', args: ['blue'] });
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'searchable' AND (CustomKeywordField = 'red' OR CustomKeywordField = 'blue') AND StartTime > '${since}'` })) ids.push(wf.workflowId);
    expect(ids.sort()).toEqual(['search-1', 'search-2']);
    expect((await client.workflow.count(`ExecutionStatus = 'Completed' AND WorkflowId = 'search-1'`)).count).toBe(1);
    expect((await client.workflow.count(`CustomKeywordField = 'red'`)).count).toBe(1);
    const desc = await client.workflow.getHandle('search-1').describe();
    expect(await desc.memo).toEqual({ owner: 'x', note: 'memo-red' });
    finished.push({ workflowId: 'search-1' }, { workflowId: 'search-2' });
  });

  it('pages long histories and answers UNIMPLEMENTED for the rest', async () => {
    const handle = client.workflow.getHandle('can');
    const history = await handle.fetchHistory();
    expect(history.events?.length).toBeGreaterThan(3);
    await expect(client.workflowService.listSchedules({ namespace: 'default' })).rejects.toThrow(/ListSchedules/);
  });
  it('rejects a closing completion as UnhandledCommand when a signal came in while the task ran, and the workflow sees the signal', async () => {
    // Deterministic race: the signal lands while the task that completes the workflow is running
    // (after the worker has sent its completion, before the server applies it). With a success
    // answer instead of InvalidArgument "UnhandledCommand", the SDK sometimes answered the retried
    // task from its cache and the workflow finished without the signal: repeated to catch that.
    const engine = server.engine as unknown as { respondWorkflowTaskCompleted(req: { commands?: { commandType: string }[] }): Promise<object> };
    const original = engine.respondWorkflowTaskCompleted.bind(server.engine);
    let injectInto: ((req: { commands?: { commandType: string }[] }) => Promise<void>) | undefined;
    engine.respondWorkflowTaskCompleted = async (req) => {
      if (injectInto && req.commands?.some((c) => String(c.commandType) === 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION')) {
        const inject = injectInto;
        injectInto = undefined;
        await inject(req);
      }
      return original(req);
    };
    try {
      for (let i = 0; i < 5; i++) {
        const workflowId = `unhandled-${i}`;
        const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId });
        let injected = false;
        injectInto = async () => {
          injected = true;
          await handle.signal(approve, 'late');
        };
        await handle.signal(approve, 'a');
        await handle.signal(approve, 'b');
        expect(await handle.result()).toEqual(['a', 'b', 'late', 'limit=10']);
        expect(injected).toBe(true);
        const { events } = await handle.fetchHistory();
        const failed = events!.filter((e) => String(e.eventType) === 'EVENT_TYPE_WORKFLOW_TASK_FAILED' || Number(e.eventType) === 9);
        expect(failed).toHaveLength(1);
        finished.push({ workflowId });
      }
    } finally {
      engine.respondWorkflowTaskCompleted = original;
    }
  });
});
