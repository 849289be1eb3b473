// The workers of a process: one for the cycles' workflows and activities on the main task
// queue, and one on the reports queue whose concurrency is the renderer's page pool, so a
// burst of year-end PDFs waits in Temporal instead of opening pages until memory runs out.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';
import type { ReportActivities } from '../activities/reports.ts';
import { reportsTaskQueueFor } from '../workflows/task-queues.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const fromRoot = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));
/**
 * Modules the workflow thread evaluates once and shares between workflows (the SDK's
 * `bundlerOptions.preloadModules`, reusable V8 context), instead of once per workflow: without it
 * every new workflow evaluated every module of the bundle again (the holiday tables, every cycle's
 * rules), about a fifth of a workflow's first task, and every cached workflow kept its own copies.
 * Only pure modules belong here (constants and functions, no state kept between calls): the SDK
 * deep-freezes what they export, and a workflow changing a shared value would be refused. The
 * modules they import are shared with them. A domain module a workflow imports that is not listed
 * still works, evaluated per workflow as before.
 */
export const WORKFLOW_PRELOAD_MODULES: string[] = [
  'domain/time.ts', 'domain/errors.ts', 'domain/settings-keys.ts',
  'domain/posting/holidays.ts', 'domain/posting/calendar.ts', 'domain/posting/rules.ts', 'domain/posting/contracts.ts', 'domain/posting/state.ts',
  'domain/assessment/rules.ts', 'domain/assessment/contracts.ts', 'domain/assessment/state.ts', 'domain/assessment/objections.ts',
  'domain/assessment/papers.ts', 'domain/assessment/votes.ts',
  'domain/dual-commitment/contracts.ts', 'domain/dual-commitment/state.ts',
  'domain/grid-matter/contracts.ts', 'domain/grid-matter/rules.ts', 'domain/grid-matter/state.ts',
  'domain/grid-steering/contracts.ts', 'domain/grid-steering/rules.ts', 'domain/grid-steering/state.ts',
  'domain/member-report/rules.ts', 'domain/reports/contracts.ts',
  'domain/star-rating/contracts.ts', 'domain/star-rating/rules.ts', 'domain/star-rating/state.ts',
].map(fromRoot);

export interface WorkerSetOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** Runs renderReport on `<taskQueue>-reports` with this many at once; omit for no report worker. */
  reports?: { activities: ReportActivities; concurrency: number };
  /** A prebuilt bundle (tests build one per file); otherwise workflowsPath is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxConcurrentActivities?: number;
  /** Cycles sleep for months between steps: keep only this many in the worker's cache. */
  maxCachedWorkflows?: number;
}

export interface RunningWorkers {
  /** Resolves when every worker has drained after shutdown(). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorkers(options: WorkerSetOptions): Promise<RunningWorkers> {
  const workers = [
    await Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES } }),
      activities: options.activities,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 50,
      ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
      shutdownGraceTime: '10s',
    }),
  ];
  if (options.reports) {
    workers.push(
      await Worker.create({
        connection: options.connection,
        namespace: options.namespace,
        taskQueue: reportsTaskQueueFor(options.taskQueue),
        activities: options.reports.activities,
        maxConcurrentActivityTaskExecutions: options.reports.concurrency,
        shutdownGraceTime: '30s',
      }),
    );
  }
  const done = Promise.all(workers.map((worker) => worker.run())).then(() => undefined);
  return {
    done,
    async shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
