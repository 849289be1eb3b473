// Benchmark of the embedded Temporal-compatible server (devserver/): N concurrent workflows,
// each one activity and one 1 s timer, through the real client and worker, on both stores.
// Prints workflows/s, p50/p99 start-to-close latency and RSS before, after and after closing.
//   npm run bench:devserver -- [N]        (default 1000; DATABASE_URL uses that PostgreSQL,
//                                          otherwise an embedded one in a temp folder)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startDevServer, type StoreOption } from '../devserver/index.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_WORKFLOWS ?? 1000);
const here = path.dirname(fileURLToPath(import.meta.url));
const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(label: string, store: StoreOption, workflowBundle: WorkflowBundleWithSourceMap): Promise<void> {
  const server = await startDevServer({ port: 0, store });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: server.address });
  const taskQueue = `bench-${label}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle,
    activities: { touch: async (n: number) => n },
    // Tuned like a busy production worker: more pollers, the SDK default of one workflow thread (two was slower at N = 1000).
    workflowThreadPoolSize: Number(process.env.BENCH_WORKFLOW_THREADS ?? 1),
    reuseV8Context: process.env.BENCH_REUSE_V8 !== '0',
    maxConcurrentWorkflowTaskPolls: 16,
    maxConcurrentActivityTaskPolls: 16,
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentActivityTaskExecutions: 500,
    maxCachedWorkflows: Math.max(N, 100),
  });
  const running = worker.run();
  // Warm up: the first workflows pay for the worker's isolate creation.
  await Promise.all(Array.from({ length: 20 }, (_v, i) => client.workflow.execute('activityThenTimer', { taskQueue, workflowId: `warm-${label}-${i}`, args: [i] })));
  global.gc?.();
  const rssBefore = mb();
  const started = Date.now();
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: N }, async (_v, i) => {
      const t0 = Date.now();
      const handle = await client.workflow.start('activityThenTimer', { taskQueue, workflowId: `bench-${label}-${i}`, args: [i] });
      await handle.result();
      latencies.push(Date.now() - t0);
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const rssAfter = mb();
  latencies.sort((a, b) => a - b);
  worker.shutdown();
  await running;
  await native.close();
  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const rssClosed = mb();
  const stats = server.engine.stats();
  console.log(
    `${label.padEnd(10)} ${N} workflows in ${elapsed.toFixed(2)} s = ${(N / elapsed).toFixed(1)} wf/s; ` +
      `latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms; ` +
      `RSS before ${rssBefore} MB, after ${rssAfter} MB, after close ${rssClosed} MB; runs in engine RAM after close: ${stats.runsInMemory}`,
    process.env.BENCH_VERBOSE ? stats : '',
  );
  await connection.close();
  await server.stop();
}

async function main(): Promise<void> {
  Runtime.install({ logger: quiet as never });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: path.join(here, 'devserver-workflows.ts'), logger: quiet });
  await run('memory', { kind: 'memory' }, workflowBundle);
  if (process.env.BENCH_STORES === 'memory') return;

  let url = process.env.DATABASE_URL;
  let cleanup = async () => undefined as void;
  if (!url) {
    const { startEmbeddedPostgres, freePort } = await import('../db/embedded-postgres.ts');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'devserver-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'cluster'), port: await freePort(), database: 'postgres' });
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
