// Parts of `npm start` that run on threads of their own (the embedded Temporal-compatible
// server, the Temporal worker with its activities), so their work never holds up the API's
// event loop: during a 10,000-organization cycle start they were most of that loop's work and
// people's requests waited behind them. They talk to each other over gRPC and PostgreSQL
// exactly as separate processes would (TEMPORAL_ADDRESS, DATABASE_URL), so nothing depends on
// where they run. A thread is stopped by a message, never by a signal: the process's own
// lifecycle stops the parts in order (the worker before the server it polls).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';

type FromThread<T> = { kind: 'ready'; value: T } | { kind: 'stopped'; clean: boolean };

export interface PartThread<T> {
  /** What the thread says when it is ready (an address); rejects when it fails or ends before. */
  ready: Promise<T>;
  /**
   * Asks a ready part to stop and waits for it (at most `timeoutMs`), then ends the thread (a
   * thread still starting is ended at once); resolves true when it stopped cleanly.
   */
  stop(timeoutMs: number): Promise<boolean>;
}

/** Starts `module` (a file that calls runPartThread) on a thread named `name`. */
export function startPartThread<T>(module: URL, name: string, data: unknown, logger: Logger): PartThread<T> {
  const worker = new Worker(module, { name, workerData: data });
  let exited = false;
  let isReady = false;
  const exit = new Promise<number>((resolve) => worker.once('exit', (code) => {
    exited = true;
    resolve(code);
  }));
  const ready = new Promise<T>((resolve, reject) => {
    worker.on('message', (message: FromThread<T>) => {
      if (message.kind !== 'ready') return;
      isReady = true;
      resolve(message.value);
    });
    worker.once('error', reject);
    void exit.then((code) => reject(new Error(`the ${name} thread exited with code ${code} before it was ready`)));
  });
  ready.then(
    () => worker.on('error', (error) => logger.fatal({ err: error, thread: name }, `the ${name} thread failed`)),
    () => {},
  );
  return {
    ready,
    async stop(timeoutMs) {
      if (exited) return isReady;
      if (!isReady) {
        await worker.terminate();
        return true;
      }
      const stopped = new Promise<boolean>((resolve) => worker.on('message', (m: FromThread<T>) => m.kind === 'stopped' && resolve(m.clean)));
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const clean = await Promise.race([
        stopped,
        exit.then(() => false),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!clean) logger.warn({ thread: name }, `the ${name} thread did not stop cleanly; ending it`);
      await worker.terminate();
      return clean;
    },
  };
}

/**
 * Nice value of the parts' threads (Linux; the threads they start inherit it: the SDK's workflow
 * thread and core): on a busy machine the API's main thread, which answers people, gets a core
 * before the start's background work does. 5 gives them a third of the main thread's weight.
 */
export const PART_THREAD_NICE = 5;

/** Lowers the calling thread's scheduling priority (per-thread nice on Linux); anywhere else, or refused, nothing changes. */
export function lowerThisThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid !== process.pid) os.setPriority(tid, Math.max(os.getPriority(tid), nice));
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}

/**
 * Lowers V8's platform threads (`V8Worker`: the garbage collectors' concurrent marking and
 * sweeping and the optimizing compiler of every isolate in the process) to `nice`. They start
 * with the process at the main thread's priority, so the workflow thread's and the worker's GC
 * work competed with the API's thread for a core; the API's own GC work still runs on them,
 * whenever the API's thread does not need the core itself. Linux only; elsewhere nothing changes.
 */
export function lowerV8PlatformThreadsPriority(nice: number): number {
  let lowered = 0;
  try {
    for (const tid of readdirSync('/proc/self/task').map(Number)) {
      try {
        if (!readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').startsWith('V8Worker')) continue;
        os.setPriority(tid, Math.max(os.getPriority(tid), nice));
        lowered += 1;
      } catch {
        // The thread ended, or lowering was refused: it keeps its priority.
      }
    }
  } catch {
    // Not Linux.
  }
  return lowered;
}

/** The body of a part's thread: starts it from the data it was given, says when it is ready, stops it when told. */
export async function runPartThread<D, T>(start: (data: D) => Promise<{ ready: T; stop(): Promise<boolean> }>): Promise<void> {
  const port = parentPort!;
  lowerThisThreadPriority(PART_THREAD_NICE);
  const part = await start(workerData as D);
  port.postMessage({ kind: 'ready', value: part.ready } satisfies FromThread<T>);
  port.on('message', (message) => {
    if (message !== 'stop') return;
    part.stop().then(
      (clean) => port.postMessage({ kind: 'stopped', clean } satisfies FromThread<T>),
      () => port.postMessage({ kind: 'stopped', clean: false } satisfies FromThread<T>),
    ).finally(() => port.close());
  });
}
