// Benchmark of the embedded Temporal-compatible server (devserver/): N concurrent workflows,
// each one activity and one 1 s timer, through the real client and worker, on both stores.
// The server runs in a child process (bench/devserver-server.ts), the client and the worker in
// this one, as in real use. Prints workflows/s, p50/p99 start-to-close latency, CPU per workflow
// of each process, and RSS before, after and after closing (server process and worker process).
//   npm run bench:devserver -- [N]        (default 1000; DATABASE_URL uses that PostgreSQL,
//                                          otherwise an embedded one in a temp folder)
// Env: BENCH_STORES=memory|postgres|memory,postgres, BENCH_IN_PROCESS=1 (server in this process, as
// before), BENCH_WORKFLOW_THREADS, BENCH_REUSE_V8=0, BENCH_VERBOSE=1 (engine counters),
// BENCH_LOG=warn (SDK warnings), BENCH_WFT_EXECUTIONS, BENCH_WFT_POLLS, BENCH_ACT_POLLS, BENCH_EAGER=0.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startDevServer, type DevServer, type StoreOption } from '../devserver/index.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_WORKFLOWS ?? 1000);
const here = path.dirname(fileURLToPath(import.meta.url));
const noop = () => undefined;
// BENCH_LOG=warn prints the SDK's warnings and errors (e.g. "Task not found when completing").
const printed = (level: string) => (message: string, meta?: unknown) => console.log(`[sdk ${level}] ${message}`, meta ? JSON.stringify(meta).slice(0, 300) : '');
const quiet = process.env.BENCH_LOG === 'warn'
  ? { log: noop, trace: noop, debug: noop, info: noop, warn: printed('warn'), error: printed('error') }
  : { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface ServerStats {
  stats: ReturnType<DevServer['engine']['stats']>;
  rss: number;
  heapUsed: number;
  cpuMs: number;
  /** Of which in the kernel (socket reads and writes, mostly). */
  sysMs?: number;
}

interface BenchServer {
  address: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

async function startServer(store: StoreOption): Promise<BenchServer> {
  if (process.env.BENCH_IN_PROCESS === '1') {
    const server = await startDevServer({ port: 0, store });
    return {
      address: server.address,
      // In process the server's RSS and CPU are part of this process's figures.
      stats: async () => ({ stats: server.engine.stats(), rss: 0, heapUsed: 0, cpuMs: 0 }),
      stop: () => server.stop(),
    };
  }
  const child: ChildProcess = fork(path.join(here, 'devserver-server.ts'), [JSON.stringify(store)], {
    execArgv: [
      '--expose-gc',
      ...process.execArgv.filter((a) => a.startsWith('--cpu-prof')),
      ...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string } & T) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`devserver child exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { address } = await next<{ address: string }>('ready');
  return {
    address,
    stats: () => {
      const answer = next<ServerStats>('stats');
      child.send({ type: 'stats' });
      return answer;
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

// Mean time between consecutive history events over a sample of workflows: shows where a
// workflow's latency goes (queue waits before WorkflowTaskStarted/ActivityTaskStarted, worker
// time before WorkflowTaskCompleted, the timer).
async function printGaps(client: Client, label: string): Promise<void> {
  const gaps = new Map<string, number[]>();
  const time = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
    Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
  for (let i = 0; i < N; i += Math.max(1, Math.floor(N / 50))) {
    const { events } = await client.workflow.getHandle(`bench-${label}-${i}`).fetchHistory();
    for (let j = 1; j < events!.length; j++) {
      const name = (k: number) => String(events![k]!.eventType).replace('EVENT_TYPE_', '');
      const key = `${String(j).padStart(2)} ${name(j - 1)} -> ${name(j)}`;
      const list = gaps.get(key) ?? [];
      list.push(time(events![j]!) - time(events![j - 1]!));
      gaps.set(key, list);
    }
  }
  for (const [key, list] of gaps) console.log(`${key.padEnd(60)} mean ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(0)} ms, max ${Math.max(...list)} ms`);
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function run(label: string, store: StoreOption, workflowBundle: WorkflowBundleWithSourceMap): Promise<void> {
  const server = await startServer(store);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: server.address });
  const taskQueue = `bench-${label}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle,
    activities: { touch: async (n: number) => n },
    // Tuned like a busy production worker: more pollers; two workflow threads (each workflow
    // activation pays a vm watchdog thread start for the isolate timeout, ~0.2-0.5 ms on this
    // loaded machine; two threads overlap those waits: 36 -> 60 wf/s at load 12-13).
    workflowThreadPoolSize: Number(process.env.BENCH_WORKFLOW_THREADS ?? 2),
    reuseV8Context: process.env.BENCH_REUSE_V8 !== '0',
    maxConcurrentWorkflowTaskPolls: Number(process.env.BENCH_WFT_POLLS ?? 16),
    maxConcurrentActivityTaskPolls: Number(process.env.BENCH_ACT_POLLS ?? 16),
    nonStickyToStickyPollRatio: Number(process.env.BENCH_NONSTICKY_RATIO ?? 0.2),
    maxConcurrentWorkflowTaskExecutions: Number(process.env.BENCH_WFT_EXECUTIONS ?? 200),
    maxConcurrentActivityTaskExecutions: 500,
    maxCachedWorkflows: Number(process.env.BENCH_CACHE ?? Math.max(N, 100)),
    // BENCH_EAGER=0: no eager activity dispatch (every activity goes through an activity poll).
    ...(process.env.BENCH_EAGER === '0' ? { maxEagerActivityReservationsPerWorkflowTask: 0 } : {}),
  });
  const running = worker.run();
  // Warm up: the first workflows pay for the worker's isolate creation.
  await Promise.all(Array.from({ length: 20 }, (_v, i) => client.workflow.execute('activityThenTimer', { taskQueue, workflowId: `warm-${label}-${i}`, args: [i] })));
  global.gc?.();
  const rssBefore = mb();
  const serverBefore = await server.stats();
  // BENCH_ROUNDS=k runs the batch k times on the same server and worker (memory must not grow
  // from round to round); the summary line is for the last round.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  let elapsed = 0;
  let workerCpu = 0;
  let latencies: number[] = [];
  let serverRoundStart = serverBefore;
  let serverAfter = serverBefore;
  for (let round = 1; round <= rounds; round++) {
    const cpuBefore = cpuMs();
    const started = Date.now();
    latencies = [];
    await Promise.all(
      Array.from({ length: N }, async (_v, i) => {
        const t0 = Date.now();
        const workflowId = round === 1 ? `bench-${label}-${i}` : `bench-${label}-${i}-r${round}`;
        const handle = await client.workflow.start('activityThenTimer', { taskQueue, workflowId, args: [i] });
        await handle.result();
        latencies.push(Date.now() - t0);
      }),
    );
    elapsed = (Date.now() - started) / 1000;
    workerCpu = cpuMs() - cpuBefore;
    if (round === 1 && process.env.BENCH_TRACE) await printGaps(client, label);
    serverRoundStart = serverAfter;
    serverAfter = await server.stats();
    latencies.sort((a, b) => a - b);
    if (rounds > 1) {
      console.log(
        `${label.padEnd(10)} round ${round}: ${(N / elapsed).toFixed(1)} wf/s, p50 ${percentile(latencies, 50)} ms; ` +
          `server RSS ${Math.round(serverAfter.rss / 1048576)} MB, heap after GC ${Math.round(serverAfter.heapUsed / 1048576)} MB; worker RSS ${mb()} MB`,
      );
    }
  }
  const rssAfter = mb();
  worker.shutdown();
  await running;
  await native.close();
  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const rssClosed = mb();
  const serverClosed = await server.stats();
  const stats = serverClosed.stats;
  const smb = (s: ServerStats) => Math.round(s.rss / 1024 / 1024);
  const hmb = (s: ServerStats) => Math.round(s.heapUsed / 1024 / 1024);
  const serverCpu = serverAfter.cpuMs - serverRoundStart.cpuMs;
  const serverSys = (serverAfter.sysMs ?? 0) - (serverRoundStart.sysMs ?? 0);
  console.log(
    `${label.padEnd(10)} ${N} workflows in ${elapsed.toFixed(2)} s = ${(N / elapsed).toFixed(1)} wf/s; ` +
      `latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms; ` +
      `CPU per workflow: worker+client ${(workerCpu / N).toFixed(1)} ms, server ${(serverCpu / N).toFixed(1)} ms (kernel ${(serverSys / N).toFixed(1)}); ` +
      `RSS server ${smb(serverBefore)} / ${smb(serverAfter)} / ${smb(serverClosed)} MB ` +
      `(heap after GC ${hmb(serverBefore)} / ${hmb(serverAfter)} / ${hmb(serverClosed)} MB), ` +
      `worker ${rssBefore} / ${rssAfter} / ${rssClosed} MB (before / after / after close); ` +
      `runs in engine RAM after close: ${stats.runsInMemory}; ` +
      `workflow task timeouts ${stats.workflowTaskTimeouts}, sticky fallbacks ${stats.stickyFallbacks}, stale completions ${stats.staleWorkflowTaskResponses}, ` +
      `max latency ${latencies[latencies.length - 1]} ms; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    process.env.BENCH_VERBOSE ? stats : '',
  );
  await connection.close();
  await server.stop();
}

async function main(): Promise<void> {
  Runtime.install({ logger: quiet as never });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: path.join(here, 'devserver-workflows.ts'), logger: quiet });
  const stores = (process.env.BENCH_STORES ?? 'memory,postgres').split(',');
  if (stores.includes('memory')) await run('memory', { kind: 'memory' }, workflowBundle);
  if (!stores.includes('postgres')) return;

  let url = process.env.DATABASE_URL;
  let cleanup = async () => undefined as void;
  if (!url) {
    const { startEmbeddedPostgres, freePort } = await import('../db/embedded-postgres.ts');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'devserver-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'cluster'), port: await freePort(), database: 'bench' });
    url = pg.url;
    cleanup = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  try {
    await run('postgres', { kind: 'postgres', url, schema: `bench_${Date.now()}` }, workflowBundle);
  } finally {
    await cleanup();
  }
}

await main();
