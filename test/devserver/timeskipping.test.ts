// Drives the devserver through the SDK's own TestWorkflowEnvironment.createTimeSkipping with
// bin/devserver as the test server executable, and replays every finished workflow.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import * as activities from './workflows/activities.ts';
import { approve, setLimit, status } from './workflows/index.ts';
import { bundle, devserverBin, replayAll } from './support.ts';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'ts-suite';
const finished: { workflowId: string; runId?: string }[] = [];

beforeAll(async () => {
  Runtime.install({ logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as never });
  [env, workflowBundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: devserverBin } } }),
    bundle(),
  ]);
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await replayAll(env.client, workflowBundle, finished);
  await env?.teardown();
});

describe('devserver with createTimeSkipping', () => {
  it('runs an activity and a day-long timer in skipped time', async () => {
    const started = Date.now();
    const result = await env.client.workflow.execute('activityAndTimer', { args: ['ada'], taskQueue, workflowId: 'ts-timer' });
    expect(result).toMatch(/^hello ada after a day/);
    // A day of workflow time passed in far less than a day: time was skipped, not waited.
    expect(Date.now() - started).toBeLessThan(60_000);
    finished.push({ workflowId: 'ts-timer' });
  });

  it('retries a flaky activity on the server and fails non-retryable errors at once', async () => {
    expect(await env.client.workflow.execute('flakyThenOk', { taskQueue, workflowId: 'ts-flaky' })).toBe(3);
    await expect(env.client.workflow.execute('nonRetryable', { taskQueue, workflowId: 'ts-fatal' })).rejects.toBeInstanceOf(WorkflowFailedError);
    finished.push({ workflowId: 'ts-flaky' }, { workflowId: 'ts-fatal' });
  });

  it('delivers signals, answers queries and runs updates with validators', async () => {
    const handle = await env.client.workflow.start('signalsQueriesUpdates', { taskQueue, workflowId: 'ts-sqa' });
    await handle.signal(approve, 'alice');
    expect(await handle.query(status)).toBe('approvals=1 limit=10');
    expect(await handle.executeUpdate(setLimit, { args: [20] })).toBe(10);
    const rejected = await handle.executeUpdate(setLimit, { args: [-1] }).catch((error: Error & { cause?: Error }) => error);
    expect((rejected as Error & { cause?: Error }).cause?.message).toMatch(/negative/);
    expect(await handle.query(status)).toBe('approvals=1 limit=20');
    await handle.signal(approve, 'bob');
    expect(await handle.result()).toEqual(['alice', 'bob', 'limit=20']);
    expect(await handle.query(status)).toBe('approvals=2 limit=20');
    finished.push({ workflowId: 'ts-sqa' });
  });

  it('skips time while several results are awaited at once', async () => {
    const handles = await Promise.all(
      ['ts-many-1', 'ts-many-2', 'ts-many-3'].map((workflowId) => env.client.workflow.start('activityAndTimer', { args: [workflowId], taskQueue, workflowId })),
    );
    // Let each reach its day-long timer, so no workflow task holds a lock of its own when the
    // results are awaited together (time stays locked until then).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const started = Date.now();
    const results = await Promise.all(handles.map((handle) => handle.result()));
    expect(results.map((r) => r.startsWith('hello ts-many-'))).toEqual([true, true, true]);
    // A day of timers in well under a minute (a lost workflow task costs its 10 s timeout under load).
    expect(Date.now() - started).toBeLessThan(30_000);
    // Time skipped only while no task was in flight: the unlocks of the awaited results must not
    // cancel the locks of running workflow tasks (that jumped over their 10 s timeouts, and the
    // worker's completions then got "Workflow task not found").
    for (const handle of handles) {
      const { events } = await handle.fetchHistory();
      expect(events!.filter((e) => String(e.eventType) === 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT' || Number(e.eventType) === 8)).toEqual([]);
    }
    finished.push(...handles.map((h) => ({ workflowId: h.workflowId })));
  });

  it('env.sleep inside a running activity moves time by its duration (the Java test server does)', async () => {
    let reminders = 0;
    const orderWorker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'ts-orders',
      workflowBundle,
      activities: {
        // Processing "takes" two days: the workflow's one-day timer fires meanwhile.
        processOrder: async () => {
          await env.sleep('2 days');
        },
        sendReminder: async () => {
          reminders++;
        },
      },
    });
    const before = await env.currentTimeMs();
    const started = Date.now();
    const result = await orderWorker.runUntil(env.client.workflow.execute('remindIfSlow', { taskQueue: 'ts-orders', workflowId: 'ts-remind' }));
    expect(result).toBe('reminded');
    expect(reminders).toBe(1);
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * 24 * 3600 * 1000);
    expect(Date.now() - started).toBeLessThan(15_000);
    finished.push({ workflowId: 'ts-remind' });
  });

  it('moves workflow time with env.sleep', async () => {
    const before = await env.currentTimeMs();
    await env.sleep('3 days');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);
  });
});
