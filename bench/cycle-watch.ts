// bench:cycle's check that every workflow waits in 定诺, on a thread of its own (named `watch`)
// with its own Temporal client: its DescribeWorkflowExecution calls (at least one per workflow)
// were gRPC work on the API's main thread, counted as the API's CPU and competing with the
// people's requests that the bench times. A workflow waits once it is running with no workflow
// task and no activity pending (on its timer), as any Temporal server answers it. The workflows
// are checked in start order; a pass stops at a run of still-busy ones or after 2 s, so the
// checking stays a small load next to the starts.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { connectTemporalClient } from '../temporal/client.ts';
import { lowerThisThreadPriority, PART_THREAD_NICE } from '../entry/threads.ts';

export interface WatchInput {
  temporalAddress: string;
  namespace: string;
  workflowIds: string[];
  /** Epoch ms of the cycle's POST (times are counted from it). */
  t0EpochMs: number;
}

type WatchMessage = { kind: 'progress'; waiting: number } | { kind: 'allWaiting'; afterMs: number };

export interface Watch {
  /** Workflows seen waiting so far. */
  waiting(): number;
  /** ms after the POST at which every workflow was seen waiting (NaN until then). */
  allWaitingMs(): number;
  stop(): Promise<void>;
}

/** Starts the watch; `stop()` ends it. */
export function startWatch(input: WatchInput): Watch {
  const worker = new Worker(new URL(import.meta.url), { name: 'watch', workerData: input });
  let waiting = 0;
  let allWaitingMs = NaN;
  worker.on('message', (message: WatchMessage) => {
    if (message.kind === 'progress') waiting = message.waiting;
    else {
      waiting = input.workflowIds.length;
      allWaitingMs = message.afterMs;
    }
  });
  worker.on('error', (error) => console.error('the watch thread failed', error));
  return {
    waiting: () => waiting,
    allWaitingMs: () => allWaitingMs,
    async stop() {
      await worker.terminate();
    },
  };
}

async function watch(input: WatchInput): Promise<void> {
  // The bench's observer, not the service: it yields the core to the API's thread as the service's background parts do.
  lowerThisThreadPriority(PART_THREAD_NICE);
  const client = connectTemporalClient({ address: input.temporalAddress, namespace: input.namespace });
  const pending = new Set(input.workflowIds);
  const waits = async (workflowId: string) => {
    try {
      const { raw } = await client.workflow.getHandle(workflowId).describe();
      return raw.workflowExecutionInfo?.status === 1 && !raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0;
    } catch {
      return false;
    }
  };
  while (pending.size > 0) {
    let busyInARow = 0;
    const passEnds = performance.now() + 2000;
    for (const workflowId of [...pending]) {
      if (await waits(workflowId)) {
        pending.delete(workflowId);
        busyInARow = 0;
      } else if (++busyInARow >= 20) break;
      if (performance.now() > passEnds) break;
    }
    parentPort!.postMessage({ kind: 'progress', waiting: input.workflowIds.length - pending.size } satisfies WatchMessage);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  parentPort!.postMessage({ kind: 'allWaiting', afterMs: performance.timeOrigin + performance.now() - input.t0EpochMs } satisfies WatchMessage);
  await client.connection.close();
}

if (!isMainThread && workerData && (workerData as WatchInput).workflowIds) await watch(workerData as WatchInput);
