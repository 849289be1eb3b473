// The floor under bench/grid.ts (issue 18.6): the same load through the same stack with no
// application logic, so that bench:grid's CPU per matter splits into what the stack costs anyway
// and what the project's own code adds. Same process layout as bench:grid: embedded PostgreSQL,
// the project's devserver with time skipping on that PostgreSQL, the SDK worker (its workflow
// thread and Rust core) and a Fastify server in this process, driven over loopback HTTP by the
// same day loop, fates and concurrency (bench/grid-load.ts). What is left out: authentication,
// validation, schemas, MikroORM, audit, notices, dispatch rules, access checks. Per matter:
// - report: POST /floor/report = one insert (autocommit) and the workflow's start;
// - accept / answer / rate: POST /floor/:id/:step = an update (startUpdate until ACCEPTED, then
//   its result, as takeUpdate does) whose handler runs one local activity = one insert;
// - the workflow arms a timer while it waits (a day while open, the rating window once answered)
//   and records a fired timer with one local activity, so the late and unrated matters cost what
//   their reminders, climbs and unrated close cost in workflow tasks.
// Prints CPU per matter by thread and for PostgreSQL (bench/grid-measure.ts), workflow tasks and
// local activities per matter read from sampled histories, and SQL statements per matter.
//   GRID_BENCH_MATTERS=800 GRID_BENCH_DAYS=1 npm run bench:grid-floor      (GRID_FLOOR_LEAN_SDK=1: see leanWorkflowThread)
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../config/config.ts';
import { createLogger, startDatabase, startEmbeddedTemporal } from '../entry/components.ts';
import { Lifecycle } from '../entry/lifecycle.ts';
import { lateBoundClock, sandboxControl } from '../entry/sandbox-control.ts';
import { DAY_MS } from '../domain/time.ts';
import { countStatements, cpuPerMatter, cpuSample, statements } from './grid-measure.ts';
import { benchSettings, dayVolumes, fateOf, freePort, inPool, LATE_DAYS, percentile as pct } from './grid-load.ts';
import { floorStep, type FloorActivities, type FloorStep } from './grid-floor-workflow.ts';

const { values: args } = parseArgs({ options: { matters: { type: 'string' }, days: { type: 'string' }, concurrency: { type: 'string' } } });
const { matters: MATTERS, days: DAYS, concurrency: CONCURRENCY } = benchSettings(args, process.env);
const TASK_QUEUE = 'grid-floor';
const RATING_WINDOW_DAYS = 7;

countStatements(import.meta.url, false);

/**
 * GRID_FLOOR_LEAN_SDK=1: the SDK's workflow thread loads bench/sdk-lean-thread.cjs first, which switches off its
 * per-activation watchdog and its promise stack traces (an experiment: what those two cost; the service keeps both).
 */
function leanWorkflowThread(): void {
  const threads = createRequire(import.meta.url)('node:worker_threads') as { Worker: new (file: string, options?: object) => object };
  const lean = fileURLToPath(new URL('./sdk-lean-thread.cjs', import.meta.url));
  const Original = threads.Worker;
  threads.Worker = class extends Original {
    constructor(file: string, options?: object) {
      if (typeof file === 'string' && file.includes('workflow-worker-thread')) {
        super(`require(${JSON.stringify(lean)}); require(${JSON.stringify(file)});`, { ...options, eval: true });
      } else super(file, options);
    }
  };
}
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-bench-floor-'));
const [apiPort, pgPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: String(apiPort), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort),
  DEVSERVER_PORT: String(temporalPort) });
const logger = createLogger(config);
const lifecycle = new Lifecycle(logger);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 1000);

try {
  console.log(`bench:grid floor${process.env.GRID_FLOOR_LEAN_SDK ? ' (lean SDK thread: no watchdog, no promise stack traces)' : ''}  ${MATTERS} matters over ${DAYS} simulated days, concurrency ${CONCURRENCY}, ${os.cpus().length} cores, node ${process.version}`);
  console.log(`load average at start ${loadavg()}`);
  const { clock, bind } = lateBoundClock();
  const databaseUrl = await startDatabase(config, logger, lifecycle);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', () => undefined); // an idle client whose server stopped first at the end
  lifecycle.add('pool', () => pool.end());
  await pool.query('create table if not exists floor_step (id bigserial primary key, matter_id uuid not null, step text not null, at timestamptz not null)');
  const devserver = await startEmbeddedTemporal(config, databaseUrl, logger, lifecycle, true);
  bind(() => devserver.clock.now());
  const control = sandboxControl(devserver, config.TEMPORAL_NAMESPACE, clock);

  if (process.env.GRID_FLOOR_LEAN_SDK) leanWorkflowThread();
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const nativeConnection = await NativeConnection.connect({ address: devserver.address });
  lifecycle.add('worker connection', () => nativeConnection.close());
  const activities: FloorActivities = {
    async insertStep({ matterId, step, at }) {
      await pool.query('insert into floor_step (matter_id, step, at) values ($1, $2, $3)', [matterId, step, new Date(at)]);
    },
  };
  const worker = await Worker.create({
    connection: nativeConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./grid-floor-workflow.ts', import.meta.url)), activities,
    maxConcurrentActivityTaskExecutions: 50, maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS, shutdownGraceTime: '10s',
  });
  const running = worker.run();
  lifecycle.add('worker', async () => {
    worker.shutdown();
    await running;
  });
  const temporal = new Client({ connection: await Connection.connect({ address: devserver.address }), namespace: config.TEMPORAL_NAMESPACE });
  lifecycle.add('temporal client', () => temporal.connection.close());

  // The API: a route per step, nothing but the insert or the workflow call.
  const app = Fastify({ logger: false });
  app.post('/floor/report', async () => {
    const matterId = randomUUID();
    await pool.query('insert into floor_step (matter_id, step, at) values ($1, $2, $3)', [matterId, 'report', clock.now()]);
    await temporal.workflow.start('gridFloor', { taskQueue: TASK_QUEUE, workflowId: `floor/${matterId}`, args: [{ matterId, ratingWindowDays: RATING_WINDOW_DAYS }] });
    return { id: matterId };
  });
  app.post<{ Params: { id: string; step: FloorStep } }>('/floor/:id/:step', async (request) => {
    const handle = temporal.workflow.getHandle(`floor/${request.params.id}`);
    const accepted = await handle.startUpdate(floorStep, { args: [request.params.step], waitForStage: 'ACCEPTED' });
    return { revision: await accepted.result() };
  });
  await app.listen({ host: '127.0.0.1', port: apiPort });
  lifecycle.add('api', () => app.close());

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  const call = (url: string) =>
    new Promise<{ status: number; body: any; ms: number }>((resolve, reject) => {
      const t = performance.now();
      const req = http.request({ host: '127.0.0.1', port: apiPort, method: 'POST', path: url, agent, headers: { accept: 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null,
          ms: performance.now() - t }));
      });
      req.on('error', reject);
      req.end();
    });
  const reportMs: number[] = [];
  const rateMs: number[] = [];
  const updateMs: number[] = [];
  let failures = 0;
  const step = async (id: string, name: FloorStep, into: number[]) => {
    const r = await call(`/floor/${id}/${name}`);
    into.push(r.ms);
    if (r.status !== 200) failures += 1;
  };
  const handle = async (id: string) => {
    await step(id, 'accept', updateMs);
    await step(id, 'answer', updateMs);
  };
  const waiting: { id: string; dueDay: number }[] = [];
  let seq = 0;
  const one = async (day: number) => {
    const fate = fateOf(seq++);
    const report = await call('/floor/report');
    reportMs.push(report.ms);
    if (report.status !== 200) return void (failures += 1);
    const id = report.body.id as string;
    if (fate === 'late') return void waiting.push({ id, dueDay: day + LATE_DAYS });
    await handle(id);
    if (fate === 'unrated') return;
    if (fate === 'reopened') {
      await step(id, 'unsatisfied', rateMs);
      await handle(id);
    }
    await step(id, 'satisfied', rateMs);
  };
  const late = async (id: string) => {
    await handle(id);
    await step(id, 'satisfied', rateMs);
  };
  const day0 = Math.ceil(clock.now().getTime() / DAY_MS) * DAY_MS;
  await control.moveTo(day0);
  const t0 = performance.now();
  const cpu0 = cpuSample();
  const sql0 = { ...statements };
  const volumes = dayVolumes(MATTERS, DAYS);
  let d = 0;
  for (; d < DAYS || waiting.length > 0 || d < DAYS + RATING_WINDOW_DAYS + 1; d++) {
    const due = waiting.filter((w) => w.dueDay <= d);
    waiting.splice(0, waiting.length, ...waiting.filter((w) => w.dueDay > d));
    await inPool([...due.map((w) => () => late(w.id)), ...Array.from({ length: volumes[d] ?? 0 }, () => () => one(d))], CONCURRENCY);
    const { settled } = await control.moveTo(day0 + (d + 1) * DAY_MS);
    if (!settled) console.log(`day ${d + 1}: the clock's move did not settle within its limit`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSample();
  const sql1 = { ...statements };
  const { rows: [counts] } = await pool.query<{ steps: string; matters: string }>('select count(*) steps, count(distinct matter_id) matters from floor_step');
  const sample = await pool.query<{ matter_id: string }>("select matter_id from floor_step where step = 'report' order by random() limit 100");
  const cost = { tasks: 0, local: 0, events: 0, open: 0 };
  for (const { matter_id } of sample.rows) {
    const history = await temporal.workflow.getHandle(`floor/${matter_id}`).fetchHistory();
    cost.events += history.events?.length ?? 0;
    for (const e of history.events ?? []) {
      if (e.workflowTaskCompletedEventAttributes) cost.tasks += 1;
      if (e.markerRecordedEventAttributes) cost.local += 1;
    }
    if ((await temporal.workflow.getHandle(`floor/${matter_id}`).describe()).status.name === 'RUNNING') cost.open += 1;
  }
  const n = sample.rows.length;
  const cpu = cpuPerMatter(cpu0, cpu1, MATTERS);
  const sqlPer = (k: keyof typeof statements) => ((sql1[k] - sql0[k]) / MATTERS).toFixed(1);
  console.log('─'.repeat(72));
  console.log(`${MATTERS} matters over ${DAYS} simulated days (+ ${d - DAYS} days) in ${(seconds / 60).toFixed(1)} min: ${(MATTERS / seconds).toFixed(1)} matters/s`);
  console.log(`CPU per matter: ${cpu.text}`);
  const cpuMs = cpu.nodeMs + cpu.pgMs;
  console.log(`  = ${cpuMs.toFixed(1)} ms: 200,000 on ${os.cpus().length} idle cores in ${((200_000 * cpuMs) / 1000 / os.cpus().length / 60).toFixed(0)} min `
    + `(target 30 min: ${((30 * 60 * os.cpus().length * 1000) / 200_000).toFixed(0)} ms a matter)`);
  console.log(`report p50 ${pct(reportMs, 50)} ms p99 ${pct(reportMs, 99)} ms; rating p50 ${pct(rateMs, 50)} p99 ${pct(rateMs, 99)} ms; `
    + `accept/answer p50 ${pct(updateMs, 50)} p99 ${pct(updateMs, 99)} ms; peak RSS ${mb(peakRss)} MB`);
  console.log(`per matter (${n} sampled): ${(cost.tasks / n).toFixed(1)} workflow tasks, ${(cost.local / n).toFixed(1)} local activities, `
    + `${(cost.events / n).toFixed(0)} events; ${cost.open} still running`);
  console.log(`SQL statements per matter: ${sqlPer('service')} inserts and reads, ${sqlPer('devserver')} by the devserver's store, `
    + `${sqlPer('transaction')} begin/commit; ${counts!.steps} rows for ${counts!.matters} matters`);
  console.log(`failures: ${failures}`);
  console.log(`load average at end ${loadavg()}`);
} catch (error) {
  console.error('bench:grid floor failed:', error);
  process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS);
  await rm(dataDir, { recursive: true, force: true });
}
