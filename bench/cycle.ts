// Benchmark of starting a dual commitments cycle (issue 6, point 8) on the embedded default:
// embedded PostgreSQL, the project's Temporal-compatible server and the worker on threads of
// their own, the API on the main thread of this one process, as `npm start` runs them. Seeds N organizations, starts a cycle over all of them
// through POST /dual-commitments/cycles and prints
//   - the time until every workflow waits in 定诺: running, with no workflow task and no activity
//     pending (DescribeWorkflowExecution, as any Temporal server answers it), i.e. on its timer,
//   - the peak RSS of this process (PostgreSQL runs in its own processes, shown apart),
//   - p50/p99 of what people do while the workflows start: PUT .../draft (saved and validated),
//     POST .../submit (the workflow update) and GET .../sets/{id}, by sample enterprises acting
//     concurrently, each with its own think time.
//   npm run bench:cycle -- [N]          (default 10000; data in a temporary folder, removed after)
// Env: BENCH_KEEP=1 keeps the data folder; BENCH_SAMPLES (default 40) enterprises submitting; BENCH_MIN_SECONDS
// keeps them acting that long at least (a small N gives their figures without a start behind them);
// BENCH_INLINE=1 runs the devserver and the worker on the main thread (as before they had threads of their own);
// CYCLE_START_MAX_BACKLOG=0 starts unpaced (as before the pacing), any other value sets the pacing.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config.ts';
import {
  createLogger, startApi, startDatabase, startEmbeddedTemporal, startOrm, startTemporalClient, startTemporalServer, startWorker, startWorkerThread,
} from '../entry/components.ts';
import { Lifecycle } from '../entry/lifecycle.ts';
import { hashPassword } from '../domain/auth/passwords.ts';
import { DUAL_COMMITMENT_WORKFLOW } from '../domain/dual-commitment/contracts.ts';
import { cpuWindow, describeWindow, type CpuWindow } from './threads.ts';
import { commitmentsOf, startPeople } from './people.ts';
import { startWatch } from './cycle-watch.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_ORGANIZATIONS ?? 10_000);
/** Measuring stops after this many seconds even if the start is not through (the summary then says how far it got). */
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 1800);
const INLINE = process.env.BENCH_INLINE === '1';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
/** People keep acting at least this long (a baseline with a small N: their figures without a start behind them). */
const MIN_SECONDS = Number(process.env.BENCH_MIN_SECONDS ?? 0);
const PASSWORD = 'Bench@2026';
/** Enterprises acting alone after the start, one request at a time: SQL statements, CPU and time of each request. */
const QUIET = Number(process.env.BENCH_QUIET ?? 5);
const STREETS = 20;
const COMMUNITIES_PER_STREET = 10;

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** RSS of the embedded PostgreSQL processes (children of this one), in MB. */
function postgresRssMb(): number {
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    const direct = out.split('\n').filter(Boolean).map(Number);
    const pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean);
    let total = direct.reduce((a, b) => a + b, 0);
    for (const pid of pids) {
      const grand = execFileSync('ps', ['-o', 'rss=', '--ppid', pid], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      total += grand.reduce((a, b) => a + b, 0);
    }
    return Math.round(total / 1024);
  } catch {
    return NaN;
  }
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-bench-'));
const [apiPort, pgPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
const passed = Object.fromEntries(['CYCLE_START_MAX_BACKLOG', 'WORKER_MAX_CACHED_WORKFLOWS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
const config = loadConfig({ ...passed, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: String(apiPort), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort), DEVSERVER_PORT: String(temporalPort) });
const logger = createLogger(config);
const lifecycle = new Lifecycle(logger);
// Stopped by a signal: the embedded PostgreSQL and the data folder go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS).then(() => rm(dataDir, { recursive: true, force: true })).finally(() => process.exit(130));
  });
}
let peakRss = 0;
// memoryUsage.rss() only: the full memoryUsage() walks every heap space, 5 times a second on the API's thread.
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);

try {
  console.log(`bench:cycle  N=${N} organizations, ${os.cpus().length} cores, node ${process.version}, data ${dataDir}`);
  console.log(`cycle start paced to a backlog of ${config.CYCLE_START_MAX_BACKLOG || 'unpaced'}, worker caches ${config.WORKER_MAX_CACHED_WORKFLOWS} workflows; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  const databaseUrl = await startDatabase(config, logger, lifecycle);
  const orm = await startOrm(config, databaseUrl, logger, lifecycle);
  // BENCH_INLINE=1: the devserver and the worker on the API's event loop, as before they had threads of their own.
  const temporalAddress = INLINE
    ? (await startEmbeddedTemporal(config, databaseUrl, logger, lifecycle, false)).address
    : await startTemporalServer(config, databaseUrl, logger, lifecycle);
  if (INLINE) await startWorker(config, temporalAddress, orm, logger, lifecycle);
  else await startWorkerThread(config, temporalAddress, databaseUrl, logger, lifecycle);
  const temporal = startTemporalClient(config, temporalAddress, lifecycle);
  const base = await startApi(config, orm, temporal, logger, lifecycle);
  const ready = process.memoryUsage();
  console.log(`ready: RSS ${mb(ready.rss)} MB (main JS heap ${mb(ready.heapUsed)}/${mb(ready.heapTotal)} MB, external ${mb(ready.external)} MB)`);

  // A district of STREETS streets with COMMUNITIES_PER_STREET communities each, N enterprises
  // spread over the communities, the department's account and one enterprise account per sample.
  const seedStart = performance.now();
  const em = orm.em.fork() as EntityManager;
  const conn = em.getConnection();
  const hash = await hashPassword(PASSWORD);
  const districtId = randomUUID();
  const units: unknown[][] = [[districtId, 'BENCH-D', '基准区', 'district', null, `${districtId}/`, 0, '中共基准区委']];
  const communities: { id: string; path: string }[] = [];
  for (let s = 0; s < STREETS; s++) {
    const streetId = randomUUID();
    const streetPath = `${districtId}/${streetId}/`;
    units.push([streetId, `BENCH-S${s}`, `第${s + 1}街道`, 'street', districtId, streetPath, 1, `第${s + 1}街道党工委`]);
    for (let c = 0; c < COMMUNITIES_PER_STREET; c++) {
      const id = randomUUID();
      units.push([id, `BENCH-S${s}-C${c}`, `第${s + 1}街道第${c + 1}社区`, 'community', streetId, `${streetPath}${id}/`, 2, `第${s + 1}街道第${c + 1}社区党委`]);
      communities.push({ id, path: `${streetPath}${id}/` });
    }
  }
  await conn.execute(
    `insert into administrative_unit (id, code, name, level, parent_id, path, depth, party_org_name, created_at, updated_at) values ${units.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, now(), now())').join(', ')}`,
    units.flat(),
  );
  const orgIds: string[] = [];
  for (let i = 0; i < N; i += 1000) {
    const rows: unknown[][] = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) {
      const id = randomUUID();
      orgIds.push(id);
      rows.push([id, `基准企业${String(j + 1).padStart(5, '0')}有限公司`, 'non_public_enterprise', communities[j % communities.length]!.id, `基准企业${j + 1}党支部`, JSON.stringify([{ role: '党组织书记', name: `书记${j + 1}`, phone: '13800000000' }])]);
    }
    await conn.execute(
      `insert into organization (id, name, kind, unit_id, party_org_name, responsible_people, created_at, updated_at) values ${rows.map(() => '(?, ?, ?, ?, ?, ?, now(), now())').join(', ')}`,
      rows.flat(),
    );
  }
  const account = async (login: string, role: string, scope: { unitId?: string; organizationId?: string }) => {
    const id = randomUUID();
    await conn.execute('insert into account (id, login, display_name, password_hash, active, created_at, updated_at) values (?, ?, ?, ?, true, now(), now())', [id, login, login, hash]);
    await conn.execute('insert into role_assignment (id, account_id, role, unit_id, organization_id, created_at) values (?, ?, ?, ?, ?, now())', [randomUUID(), id, role, scope.unitId ?? null, scope.organizationId ?? null]);
  };
  await account('bench-dept', 'org_department', { unitId: districtId });
  const sampleOrgs = Array.from({ length: SAMPLES }, (_, i) => orgIds[Math.floor((i * N) / SAMPLES)]!);
  for (const [i, orgId] of sampleOrgs.entries()) await account(`bench-ent${i}`, 'enterprise_rep', { organizationId: orgId });
  // Enterprises that stay idle during the start, then act one at a time: the cost of one request.
  const sampled = new Set(sampleOrgs);
  const quietOrgs = orgIds.filter((id) => !sampled.has(id)).slice(-QUIET);
  for (const [i, orgId] of quietOrgs.entries()) await account(`bench-quiet${i}`, 'enterprise_rep', { organizationId: orgId });
  console.log(`seeded ${N} organizations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const http = async (method: string, url: string, token: string | null, body?: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const login = async (name: string) => (await http('POST', '/auth/login', null, { login: name, password: PASSWORD })).body.accessToken as string;
  const deptToken = await login('bench-dept');
  const entTokens = await Promise.all(sampleOrgs.map((_, i) => login(`bench-ent${i}`)));
  const year = new Date().getFullYear() + 1;

  // Start the cycle over the whole district.
  const t0 = performance.now();
  const startWindow = cpuWindow();
  let startCpu: CpuWindow | undefined;
  let intervalWindow = cpuWindow();
  const started = await http('POST', '/dual-commitments/cycles', deptToken, { year });
  if (started.status !== 202) throw new Error(`cycle start answered ${started.status}: ${JSON.stringify(started.body)}`);
  const cycleId = started.body.id as string;
  const accepted = performance.now() - t0;
  console.log(`POST /dual-commitments/cycles answered 202 in ${(accepted / 1000).toFixed(1)} s (${started.body.organizations} organizations)`);

  const setIdOf = new Map<string, string>();
  const known = [...sampleOrgs, ...quietOrgs];
  for (const row of await conn.execute<{ id: string; organization_id: string }[]>(`select id, organization_id from commitment_set where cycle_id = ? and organization_id in (${known.map(() => '?').join(', ')})`, [cycleId, ...known])) {
    setIdOf.set(row.organization_id, row.id);
  }
  const commitments = (n: number) => commitmentsOf(year, n);

  // While the workflows start, the sample enterprises act from their own thread (people.ts).
  const people = startPeople({
    base, year, t0EpochMs: performance.timeOrigin + t0, people: sampleOrgs.map((orgId, i) => ({ token: entTokens[i]!, setId: setIdOf.get(orgId)! })),
  });

  // Every workflow waits in 定诺 once it is running with nothing pending but its timer: checked from a
  // thread of its own (cycle-watch.ts), so its DescribeWorkflowExecution calls are not the API's work.
  const workflowIds = (await conn.execute<{ workflow_id: string }[]>('select workflow_id from commitment_set where cycle_id = ? order by id', [cycleId]))
    .map((r) => r.workflow_id);
  const watch = INLINE
    ? null
    : startWatch({ temporalAddress, namespace: config.TEMPORAL_NAMESPACE, workflowIds, t0EpochMs: performance.timeOrigin + t0 });
  const pending = new Set(workflowIds);
  const waits = async (workflowId: string) => {
    try {
      const { raw } = await temporal.workflow.getHandle(workflowId).describe();
      return raw.workflowExecutionInfo?.status === 1 && !raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0;
    } catch {
      return false;
    }
  };
  const waitingCount = () => (watch ? watch.waiting() : N - pending.size);
  let lastPrint = 0;
  let allWaitingMs = NaN;
  let stoppedEarly = '';
  let start = { total: N, started: 0, failed: 0, done: false };
  let allStartedMs = NaN;
  for (;;) {
    if (!start.done) {
      start = (await http('GET', `/dual-commitments/cycles/${cycleId}`, deptToken)).body.start;
      if (start.done) allStartedMs = performance.now() - t0;
    }
    if (start.failed > 0) throw new Error(`${start.failed} workflows failed to start`);
    // BENCH_INLINE=1 checks on this loop, as before (a pass also ends after 2 s, so progress lines come on time).
    let busyInARow = 0;
    const passEnds = performance.now() + 2000;
    for (const workflowId of watch ? [] : [...pending]) {
      if (await waits(workflowId)) {
        pending.delete(workflowId);
        busyInARow = 0;
      } else if (++busyInARow >= 20) break;
      if (performance.now() > passEnds) break;
    }
    const elapsed = performance.now() - t0;
    if (elapsed - lastPrint > 10_000) {
      lastPrint = elapsed;
      const memory = process.memoryUsage();
      const queue = await temporal.workflowService.describeTaskQueue({
        namespace: temporal.options.namespace, taskQueue: { name: config.TEMPORAL_TASK_QUEUE }, taskQueueType: 1, reportStats: true,
      });
      const backlog = Number(queue.stats?.approximateBacklogCount ?? 0);
      console.log(`  ${(elapsed / 1000).toFixed(0)} s: started ${start.started}, waiting in 定诺 ${waitingCount()}, workflow task backlog ${backlog}; ` +
        `RSS ${mb(memory.rss)} MB (main JS heap ${mb(memory.heapUsed)}/${mb(memory.heapTotal)} MB, external ${mb(memory.external)} MB); ` +
        `load ${os.loadavg()[0]!.toFixed(1)}\n    ${describeWindow(intervalWindow.read(), 3)}`);
      intervalWindow = cpuWindow();
    }
    if (waitingCount() === N) {
      if (Number.isNaN(allWaitingMs)) {
        allWaitingMs = watch ? watch.allWaitingMs() : elapsed;
        startCpu = startWindow.read();
      }
      if (elapsed >= MIN_SECONDS * 1000) break;
    }
    if (elapsed > MAX_SECONDS * 1000) {
      const running = await temporal.workflow.count(`WorkflowType = '${DUAL_COMMITMENT_WORKFLOW}'`);
      stoppedEarly = `measuring stopped after ${MAX_SECONDS} s (BENCH_MAX_SECONDS), start NOT through: ${running.count} of ${N} workflows started ` +
        `(${(running.count / MAX_SECONDS).toFixed(1)} workflows/s), ${waitingCount()} seen waiting in 定诺`;
      break;
    }
    await sleep(500);
  }
  startCpu ??= startWindow.read();
  await watch?.stop();
  const { draftMs, submitMs, refusedMs, getMs, submittedAfter, failures } = await people.stop();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const maxRssKb = process.resourceUsage().maxRSS;

  console.log('');
  console.log(`organizations                       ${N}`);
  if (stoppedEarly) console.log(stoppedEarly);
  else console.log(`every workflow waiting in 定诺 after ${(allWaitingMs / 1000).toFixed(1)} s  (${(N / (allWaitingMs / 1000)).toFixed(1)} workflows/s; target < 120 s)`);
  console.log(`peak RSS of this process            ${Math.max(mb(peakRss), Math.round(maxRssKb / 1024))} MB  (target < 1536 MB; embedded PostgreSQL apart: ${postgresRssMb()} MB now)`);
  const line = (label: string, values: number[], extra = '') =>
    console.log(`${label.padEnd(36)}p50 ${percentile(values, 50).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms  (${values.length} answers${extra})`);
  console.log(`every workflow started after         ${(allStartedMs / 1000).toFixed(1)} s`);
  line('draft save    PUT .../draft', draftMs);
  line('draft submit  POST .../submit (200)', submitMs, `; ${submitMs.length} of ${SAMPLES} enterprises submitted during the start`);
  line('submit refused 409 (not started yet)', refusedMs);
  line('set view      GET .../sets/{id}', getMs);
  const served = draftMs.length + submitMs.length + refusedMs.length + getMs.length;
  console.log(`during the start: ${describeWindow(startCpu, 6)}`);
  console.log(`  ${served} people's requests answered (their client on its own thread); main-thread CPU per request at most ` +
    `${(startCpu.mainMs / served).toFixed(1)} ms (all of the main thread's CPU, the start's own work and the bench's checks included)`);
  if (submittedAfter.length) console.log(`submission taken after the cycle's POST  p50 ${(percentile(submittedAfter, 50) / 1000).toFixed(1)} s, max ${(Math.max(...submittedAfter) / 1000).toFixed(1)} s`);
  console.log(`load average (1/5/15 min)           ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);

  // One request at a time with nothing else going on: the SQL statements the API's ORM sent
  // while it ran (with BENCH_INLINE=1 the worker's activity of a submit too: it shares the ORM), this process's
  // CPU and the time. Statements are counted where MikroORM logs them, whatever the log level.
  if (QUIET > 0) {
    const connection = orm.em.getConnection() as unknown as { logQuery(query: string, ...rest: unknown[]): void };
    const logQuery = connection.logQuery.bind(connection);
    let statements: string[] = [];
    connection.logQuery = (query: string, ...rest: unknown[]) => {
      statements.push(query);
      logQuery(query, ...rest);
    };
    const quietTokens = await Promise.all(quietOrgs.map((_, i) => login(`bench-quiet${i}`)));
    const cost: Record<string, { sql: number[]; cpu: number[]; main: number[]; ms: number[]; last: string[] }> = {};
    const measure = async (label: string, method: string, url: string, token: string, body?: unknown) => {
      statements = [];
      const window = cpuWindow();
      const t = performance.now();
      const answer = await http(method, url, token, body);
      const ms = performance.now() - t;
      await sleep(100); // the workflow task and activity a submit causes run after its answer
      const used = window.read();
      if (answer.status !== 200) failures.push(`${label} ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      const entry = (cost[label] ??= { sql: [], cpu: [], main: [], ms: [], last: [] });
      entry.sql.push(statements.length);
      entry.cpu.push(used.processMs);
      entry.main.push(used.mainMs);
      entry.ms.push(ms);
      entry.last = statements;
      await sleep(100);
    };
    for (const [i, orgId] of quietOrgs.entries()) {
      const setId = setIdOf.get(orgId)!;
      await measure('draft save', 'PUT', `/dual-commitments/sets/${setId}/draft`, quietTokens[i]!, { commitments: commitments(i) });
      await measure('submit', 'POST', `/dual-commitments/sets/${setId}/submit`, quietTokens[i]!);
      await measure('set view', 'GET', `/dual-commitments/sets/${setId}`, quietTokens[i]!);
    }
    console.log(`one request at a time, ${QUIET} enterprises after the start (median): SQL statements, CPU of this process (of its main thread; ` +
      `the bench's own client included, 10 ms resolution), time`);
    for (const [label, entry] of Object.entries(cost)) {
      console.log(`  ${label.padEnd(12)} ${percentile(entry.sql, 50)} statements, ${percentile(entry.cpu, 50).toFixed(1)} ms CPU ` +
        `(main ${percentile(entry.main, 50).toFixed(0)} ms), ${percentile(entry.ms, 50).toFixed(1)} ms`);
      if (process.env.BENCH_SHOW_SQL === '1') for (const q of entry.last) console.log(`      ${q.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
  }
  if (failures.length) console.log(`unexpected answers: ${failures.length}, first: ${failures[0]}`);
} finally {
  clearInterval(rssSampler);
  await lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS);
  if (process.env.BENCH_KEEP !== '1') await rm(dataDir, { recursive: true, force: true });
}
