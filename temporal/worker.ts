// The workers of a process: one for the cycles' workflows and activities on the main task
// queue, and one on the reports queue whose concurrency is the renderer's page pool, so a
// burst of year-end PDFs waits in Temporal instead of opening pages until memory runs out.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';
import type { ReportActivities } from '../activities/reports.ts';
import { reportsTaskQueueFor } from '../workflows/task-queues.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
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
