// Feature conformance against startDevServer (in-process, time skipping via the TestService)
// with a plain Client + Worker; every finished workflow history is replayed at the end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowIdReusePolicy, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../devserver/index.ts';
import * as activities from './workflows/activities.ts';
import { approve, finish, setLimit, status } from './workflows/index.ts';
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
  it('returns the result of an update whose handler lets the workflow complete in the same task', async () => {
    for (let i = 0; i < 3; i++) {
      const workflowId = `finish-by-update-${i}`;
      const handle = await client.workflow.start('finishedByUpdate', { taskQueue, workflowId });
      expect(await handle.executeUpdate(finish, { args: [`ann${i}`] })).toBe(`bye ann${i}`);
      expect(await handle.result()).toBe(`finished by ann${i}`);
      const types = (await handle.fetchHistory()).events!.map((e) => Number(e.eventType));
      // One workflow task accepted and completed the update and completed the workflow.
      expect(types.slice(types.lastIndexOf(7))).toEqual([7, 41, 43, 2]);
      finished.push({ workflowId });
    }
  });

  /** Waits until the last workflow task is completed and returns the history's event types. */
  async function settledHistory(handle: WorkflowHandle): Promise<number[]> {
    for (let i = 0; i < 100; i++) {
      const types = (await handle.fetchHistory()).events!.map((e) => Number(e.eventType));
      if (types[types.length - 1] === 7) return types;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('workflow task never completed');
  }

  it('leaves no events for updates its validator rejects (the speculative workflow task is discarded)', async () => {
    const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'upd-rejected' });
    await handle.signal(approve, 'a');
    const before = await settledHistory(handle);
    for (let i = 0; i < 3; i++) {
      const error = await handle.executeUpdate(setLimit, { args: [-1 - i] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as Error & { cause?: Error }).cause?.message).toMatch(/negative/);
    }
    expect(await settledHistory(handle)).toEqual(before);
    // Updates accepted after rejections are written as usual, and the workflow goes on.
    expect(await handle.executeUpdate(setLimit, { args: [5] })).toBe(10);
    expect(await handle.query(status)).toBe('approvals=1 limit=5');
    const after = (await handle.fetchHistory()).events!.map((e) => Number(e.eventType));
    expect(after.slice(before.length)).toEqual([5, 6, 7, 41, 43]);
    await handle.signal(approve, 'b');
    expect(await handle.result()).toEqual(['a', 'b', 'limit=5']);
    finished.push({ workflowId: 'upd-rejected' });
  });

  it('keeps a speculative workflow task when a signal arrives while it runs, and the workflow sees the signal', async () => {
    const engine = server.engine as unknown as { respondWorkflowTaskCompleted(req: { messages?: { body?: { type_url?: string } }[] }): Promise<object> };
    const original = engine.respondWorkflowTaskCompleted.bind(server.engine);
    const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'upd-rejected-signal' });
    await handle.signal(approve, 'a');
    const before = await settledHistory(handle);
    let injected = false;
    engine.respondWorkflowTaskCompleted = async (req) => {
      if (!injected && req.messages?.some((m) => String(m.body?.type_url).endsWith('Rejection'))) {
        injected = true;
        await handle.signal(approve, 'during');
      }
      return original(req);
    };
    try {
      const error = await handle.executeUpdate(setLimit, { args: [-1] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    } finally {
      engine.respondWorkflowTaskCompleted = original;
    }
    expect(injected).toBe(true);
    expect(await handle.result()).toEqual(['a', 'during', 'limit=10']);
    const types = (await handle.fetchHistory()).events!.map((e) => Number(e.eventType));
    // The speculative task became a normal one: written, then the signal after it.
    expect(types.slice(before.length)).toEqual([5, 6, 7, 26, 5, 6, 7, 2]);
    finished.push({ workflowId: 'upd-rejected-signal' });
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

describe('queries with a worker that keeps no workflow cache', () => {
  it('answers a query the worker left unanswered on the workflow task that carried it', async () => {
    const engine = server.engine as unknown as { respondWorkflowTaskCompleted(req: { queryResults?: object }): Promise<object> };
    const original = engine.respondWorkflowTaskCompleted.bind(server.engine);
    let dropped = 0;
    engine.respondWorkflowTaskCompleted = async (req) => {
      if (req.queryResults && Object.keys(req.queryResults).length > 0 && dropped === 0) {
        dropped++;
        return original({ ...req, queryResults: undefined });
      }
      return original(req);
    };
    try {
      const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue: 'no-worker-yet', workflowId: 'unanswered-query' });
      const answer = handle.query(status);
      await new Promise((r) => setTimeout(r, 100));
      const w = await Worker.create({ connection: nativeConnection, taskQueue: 'no-worker-yet', workflowBundle, activities, maxCachedWorkflows: 0 });
      await w.runUntil(async () => {
        expect(await answer).toBe('approvals=0 limit=10');
        expect(dropped).toBe(1);
        await handle.signal(approve, 'x');
        await handle.signal(approve, 'y');
        await handle.result();
      });
      finished.push({ workflowId: 'unanswered-query' });
    } finally {
      engine.respondWorkflowTaskCompleted = original;
    }
  });

  it('answers a query sent while the first workflow task runs, every time', async () => {
    const cacheless = await Worker.create({ connection: nativeConnection, taskQueue: 'no-cache', workflowBundle, activities, maxCachedWorkflows: 0 });
    const engine = server.engine as unknown as { respondWorkflowTaskCompleted(req: { taskToken: Uint8Array }): Promise<object> };
    const original = engine.respondWorkflowTaskCompleted.bind(server.engine);
    const queried = new Set<string>();
    const answers: Promise<string>[] = [];
    // The query lands while the run's first workflow task is in flight (the worker has sent its
    // completion; the server has not applied it yet).
    engine.respondWorkflowTaskCompleted = async (req) => {
      const { wid } = JSON.parse(Buffer.from(req.taskToken).toString()) as { wid: string };
      if (wid.startsWith('no-cache-') && !wid.startsWith('no-cache-early-') && !queried.has(wid)) {
        queried.add(wid);
        answers.push(client.workflow.getHandle(wid).query(status));
        // Every other run also gets a signal meanwhile, so a new workflow task follows the first.
        if (Number(wid.slice('no-cache-'.length)) % 2) await client.workflow.getHandle(wid).signal(approve, 'x');
        await new Promise((r) => setTimeout(r, 50));
      }
      return original(req);
    };
    try {
      // These queries come before any worker polls: they ride the first workflow task itself.
      const early: Promise<string>[] = [];
      for (let i = 0; i < 5; i++) {
        const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue: 'no-cache', workflowId: `no-cache-early-${i}` });
        early.push(handle.query(status).catch((e: Error) => `error: ${e.message}`));
      }
      await new Promise((r) => setTimeout(r, 100));
      await cacheless.runUntil(async () => {
        expect(await Promise.all(early)).toEqual(early.map(() => 'approvals=0 limit=10'));
        for (let i = 0; i < 5; i++) {
          const handle = client.workflow.getHandle(`no-cache-early-${i}`);
          await handle.signal(approve, 'x');
          await handle.signal(approve, 'y');
          expect(await handle.result()).toEqual(['x', 'y', 'limit=10']);
          finished.push({ workflowId: `no-cache-early-${i}` });
        }
        for (let i = 0; i < 10; i++) {
          const workflowId = `no-cache-${i}`;
          const handle = await client.workflow.start('signalsQueriesUpdates', { taskQueue: 'no-cache', workflowId });
          while (!queried.has(workflowId)) await new Promise((r) => setTimeout(r, 10));
          if (i % 2 === 0) await handle.signal(approve, 'x');
          await handle.signal(approve, 'y');
          expect(await handle.result()).toEqual(['x', 'y', 'limit=10']);
          finished.push({ workflowId });
        }
        const results = await Promise.all(answers.map((a) => a.catch((e: Error) => `error: ${e.message}`)));
        expect(results.filter((r) => r.startsWith('error'))).toEqual([]);
        expect(results).toHaveLength(10);
      });
    } finally {
      engine.respondWorkflowTaskCompleted = original;
    }
  }, 120_000);
});

describe('DescribeTaskQueue backlog stats', () => {
  it('reports the backlog of first workflow tasks and its age, then none once a worker drained it', async () => {
    const describe = async () =>
      (await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: 'backlog' }, taskQueueType: 1, reportStats: true })).stats!;
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < 5; i++) handles.push(await client.workflow.start('signalsQueriesUpdates', { taskQueue: 'backlog', workflowId: `backlog-${i}` }));
    await new Promise((r) => setTimeout(r, 50));
    const before = await describe();
    expect(Number(before.approximateBacklogCount)).toBe(5);
    expect(Number(before.approximateBacklogAge?.seconds ?? 0) * 1000 + Number(before.approximateBacklogAge?.nanos ?? 0) / 1e6).toBeGreaterThanOrEqual(40);
    const w = await Worker.create({ connection: nativeConnection, taskQueue: 'backlog', workflowBundle, activities });
    await w.runUntil(async () => {
      for (const h of handles) expect(await h.query(status)).toBe('approvals=0 limit=10');
      expect(Number((await describe()).approximateBacklogCount)).toBe(0);
      for (const h of handles) await h.terminate('done');
    });
  });
});
