// The worker of a process: one for the cycles' workflows and activities on the main task
// queue, and one with bounded concurrency on the reports queue so a burst of PDFs queues up.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerSetOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle (tests build one per file); otherwise workflowsPath is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxConcurrentActivities?: number;
}

export interface RunningWorkers {
  /** Resolves when the worker has drained after shutdown(). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorkers(options: WorkerSetOptions): Promise<RunningWorkers> {
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 50,
    shutdownGraceTime: '10s',
  });
  const done = worker.run();
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
