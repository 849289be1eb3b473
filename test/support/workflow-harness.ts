// What every time-skipping workflow test needs: the project's devserver through the SDK's own
// TestWorkflowEnvironment, the workflow bundle, a worker on the main queue and one on the
// reports queue, and a replay of a finished workflow's history against the same bundle.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { reportsTaskQueueFor } from '../../workflows/task-queues.ts';
import { freePort } from '../../db/embedded-postgres.ts';
import { WORKFLOW_PRELOAD_MODULES } from '../../temporal/worker.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const noop = () => undefined;
/** A logger for the SDK runtime and bundler that says nothing. */
export const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/**
 * The devserver with time skipping, as TestWorkflowEnvironment.createTimeSkipping starts it (`devserver <port>`:
 * time skipping that starts locked), but started here: the SDK gives the process it starts 5 s to listen, and on a
 * loaded machine (CI's two cores running two suites, each bundling workflows while its devserver starts) a start
 * takes longer and the whole suite failed with "ephemeral server ... did not start within 5s". Here the process
 * has 60 s to say it listens; teardown() stops it.
 */
export async function timeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const child = spawn(path.join(root, 'devserver/bin/devserver'), [String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the devserver did not listen within 60 s')), 60_000);
      let said = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('devserver listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the devserver exited (${code}) before it listened: ${said}`));
      });
    });
    child.stdout!.resume();
    // createTimeSkipping's own path once its server is up (create is private in the SDK's types, public in its code).
    const create = (TestWorkflowEnvironment as unknown as { create(options: object): Promise<TestWorkflowEnvironment> }).create.bind(TestWorkflowEnvironment);
    // The connection's deadline runs on this event loop, which the workflow bundling beside it can hold for seconds on a
    // loaded machine ("Deadline exceeded after 0.029s"): the server listens, so connecting again is safe.
    const connect = () => create({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default', supportsTimeSkipping: true });
    let env: TestWorkflowEnvironment | undefined;
    for (const givingUp = Date.now() + 60_000; !env; ) {
      env = await connect().catch(async (error: unknown) => {
        if (Date.now() > givingUp) throw error;
        await new Promise((r) => setTimeout(r, 500));
        return undefined;
      });
    }
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      child.kill('SIGTERM');
      await exited;
    };
    return env;
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

/** The devserver with time skipping, and the workflows bundled (default: workflows/index.ts). */
export async function startTimeSkipping(workflowsPath = path.join(root, 'workflows/index.ts')): Promise<{ env: TestWorkflowEnvironment; bundle: WorkflowBundleWithSourceMap }> {
  Runtime.install({ logger: quietLogger as never });
  const [env, bundle] = await Promise.all([timeSkippingServer(), bundleWorkflowCode({ workflowsPath, logger: quietLogger, preloadModules: WORKFLOW_PRELOAD_MODULES })]);
  return { env, bundle };
}

/** Replays a finished workflow's history against the bundle: history-shape bugs fail here. */
export const replayer = (env: TestWorkflowEnvironment, bundle: WorkflowBundleWithSourceMap) => async (workflowId: string, runId?: string): Promise<void> => {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: bundle }, history, runId ? `${workflowId}-${runId}` : workflowId);
};

export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
  replay(workflowId: string, runId?: string): Promise<void>;
  close(): Promise<void>;
}

export interface WorkerOptions {
  taskQueue: string;
  activities: object;
  reportActivities: object;
  /** Report activities at once on the reports queue (default: the SDK's). */
  maxConcurrentReports?: number;
}

/** A worker with `activities` on `taskQueue` and one with `reportActivities` on its reports queue; returns their stop. */
export async function runWorkers(env: TestWorkflowEnvironment, bundle: WorkflowBundleWithSourceMap, options: WorkerOptions): Promise<() => Promise<void>> {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: options.taskQueue, workflowBundle: bundle, activities: options.activities });
  const reportsWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: reportsTaskQueueFor(options.taskQueue),
    activities: options.reportActivities,
    ...(options.maxConcurrentReports ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentReports } : {}),
  });
  const running = Promise.all([worker.run(), reportsWorker.run()]);
  return async () => {
    worker.shutdown();
    reportsWorker.shutdown();
    await running;
  };
}

/** The environment and the two workers, for workflow tests with stubbed activities. */
export async function startWorkflowHarness(options: WorkerOptions & { workflowsPath?: string }): Promise<WorkflowHarness> {
  const { env, bundle } = await startTimeSkipping(options.workflowsPath);
  const stopWorkers = await runWorkers(env, bundle, options);
  return {
    env,
    bundle,
    replay: replayer(env, bundle),
    async close() {
      await stopWorkers();
      await env.teardown();
    },
  };
}
