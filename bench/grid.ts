// Benchmark of grid matters (issue 18.6): the Chengdu campaign's load (seed 002: 194,700 issues
// found in one 100-day campaign) on the embedded default: embedded PostgreSQL, the project's
// Temporal-compatible server, the worker and the API in this process. The server runs with time
// skipping, as the sandbox does: its clock is the service's clock (records, SQL comparisons and
// workflow timers read the same simulated time), runs at wall speed during a simulated day and
// jumps to the next morning at the day's end, firing on the way every reminder, climb and
// rating-window close that fell due. The load (bench/grid-load.ts): about MATTERS/DAYS matters
// a day, one day in ten a burst of three times that, each reported by a resident through a
// grid's QR link (a different address each, so the public routes' rate limits apply as to real
// residents), dispatched by the rules, accepted and answered by the department's account and
// rated through the resident's link; one in ten reopened once first; one in twenty left
// unanswered for three days (reminded, climbing) before the district answers; one in twenty
// never rated (closed by the rating window). After the last day the clock runs on until every
// matter is closed. Prints matters/s sustained (and what 200,000 would take at that rate),
// p50/p99 of the report and rating requests, peak RSS (this process and PostgreSQL), history
// sizes and what each matter cost the workflow (tasks, activities), with the load average; CPU per matter by
// thread of this process and for PostgreSQL, and SQL statements per matter (bench/grid-measure.ts).
//   GRID_BENCH_MATTERS=2000 GRID_BENCH_DAYS=2 npm run bench:grid      (a few minutes; extrapolated)
//   npm run bench:grid -- [--matters 200000] [--days 100] [--concurrency 8]
// GRID_BENCH_SQL_TOP=1 also prints the statements the service sent most often (per matter).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config.ts';
import { createLogger, startApi, startDatabase, startEmbeddedTemporal, startOrm, startTemporalClient, startWorker } from '../entry/components.ts';
import { Lifecycle } from '../entry/lifecycle.ts';
import { lateBoundClock, sandboxControl } from '../entry/sandbox-control.ts';
import { hashPassword } from '../domain/auth/passwords.ts';
import { DAY_MS } from '../domain/time.ts';
import { countStatements, cpuPerMatter, cpuSample, pgRssMb, sqlTexts, statements } from './grid-measure.ts';
import { benchSettings, dayVolumes, fateOf, freePort, inPool, LATE_DAYS, percentile as pct } from './grid-load.ts';

const { values: args } = parseArgs({
  options: { matters: { type: 'string' }, days: { type: 'string' }, concurrency: { type: 'string' } },
});
const { matters: MATTERS, days: DAYS, concurrency: CONCURRENCY } = benchSettings(args, process.env);
const CAMPAIGN = 200_000;
const GRIDS = 400;
const PASSWORD = 'Bench@2026';

countStatements(import.meta.url, Boolean(process.env.GRID_BENCH_SQL_TOP));

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-bench-grid-'));
const [apiPort, pgPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: String(apiPort), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort), DEVSERVER_PORT: String(temporalPort) });
const logger = createLogger(config);
const lifecycle = new Lifecycle(logger);
let peakRss = 0;
let peakChildren = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 1000);
const childSampler = setInterval(() => (peakChildren = Math.max(peakChildren, pgRssMb())), 10_000);

try {
  console.log(`bench:grid  ${MATTERS} matters over ${DAYS} simulated days, concurrency ${CONCURRENCY}, ${os.cpus().length} cores, node ${process.version}`);
  console.log(`load average at start ${loadavg()}`);
  // As the sandbox starts (entry/sandbox.ts): the service's clock reads the time-skipping server's.
  const { clock, bind } = lateBoundClock();
  const databaseUrl = await startDatabase(config, logger, lifecycle);
  const orm = await startOrm(config, databaseUrl, logger, lifecycle, clock);
  const devserver = await startEmbeddedTemporal(config, databaseUrl, logger, lifecycle, true);
  bind(() => devserver.clock.now());
  await startWorker(config, devserver.address, orm, logger, lifecycle, { clock });
  const temporal = startTemporalClient(config, devserver.address, lifecycle);
  const control = sandboxControl(devserver, config.TEMPORAL_NAMESPACE, clock);
  await startApi(config, orm, temporal, logger, lifecycle, control);

  // A district of 10 streets, 40 communities, GRIDS grids with 6 buildings each; the department's account.
  const em = orm.em.fork() as EntityManager;
  const conn = em.getConnection();
  const districtId = randomUUID();
  const units: unknown[][] = [[districtId, 'GB-D', '成都基准区', 'district', null, `${districtId}/`, 0, '中共基准区委']];
  const grids: string[] = [];
  for (let s = 0; s < 10; s++) {
    const street = randomUUID();
    const sp = `${districtId}/${street}/`;
    units.push([street, `GB-S${s}`, `第${s + 1}街道`, 'street', districtId, sp, 1, `第${s + 1}街道党工委`]);
    for (let c = 0; c < 4; c++) {
      const community = randomUUID();
      const cp = `${sp}${community}/`;
      units.push([community, `GB-S${s}C${c}`, `第${s + 1}街道${c + 1}社区`, 'community', street, cp, 2, `${c + 1}社区党委`]);
      for (let g = 0; g < GRIDS / 40; g++) {
        const grid = randomUUID();
        units.push([grid, `GB-S${s}C${c}G${g}`, `第${g + 1}网格`, 'grid', community, `${cp}${grid}/`, 3, `第${g + 1}网格党支部`]);
        grids.push(grid);
      }
    }
  }
  await conn.execute(
    `insert into administrative_unit (id, code, name, level, parent_id, path, depth, party_org_name, created_at, updated_at)
     values ${units.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, now(), now())').join(', ')}`,
    units.flat(),
  );
  const accountId = randomUUID();
  await conn.execute('insert into account (id, login, display_name, password_hash, active, created_at, updated_at) values (?, ?, ?, ?, true, now(), now())',
    [accountId, 'bench-dept', 'bench-dept', await hashPassword(PASSWORD)]);
  await conn.execute('insert into role_assignment (id, account_id, role, unit_id, created_at) values (?, ?, ?, ?, now())', [randomUUID(), accountId, 'org_department', districtId]);

  // Plain HTTP from a chosen loopback address (each resident its own, as the rate limits see people).
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  const call = (method: string, url: string, body: unknown, headers: Record<string, string>, localAddress?: string) =>
    new Promise<{ status: number; body: any; ms: number }>((resolve, reject) => {
      const t = performance.now();
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request({
        host: '127.0.0.1', port: apiPort, method, path: url, ...(localAddress ? { localAddress } : { agent }),
        headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null, ms: performance.now() - t }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const token = (await call('POST', '/auth/login', { login: 'bench-dept', password: PASSWORD }, {})).body.accessToken as string;
  const auth = { authorization: `Bearer ${token}` };
  const links: string[] = [];
  for (const grid of grids) {
    await call('PUT', `/grid-matters/grids/${grid}/buildings`, { buildings: ['1栋', '2栋', '3栋', '4栋', '5栋', '6栋'] }, auth);
    links.push((await call('POST', `/grid-matters/grids/${grid}/report-link`, undefined, auth)).body.path);
  }
  const categories = ['environment', 'facilities', 'safety', 'dispute', 'property', 'utilities', 'livelihood'];
  console.log(`seeded ${grids.length} grids; load average ${loadavg()}`);

  const reportMs: number[] = [];
  const rateMs: number[] = [];
  const updateMs: number[] = [];
  const failures = new Map<string, number>();
  const fail = (what: string, r: { status: number; body: any }) => {
    const key = `${what} ${r.status} ${r.body?.error ?? ''}`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
  };
  const handle = async (id: string) => {
    for (const step of ['accept', 'answer'] as const) {
      const r = await call('POST', `/grid-matters/${id}/${step}`, step === 'answer' ? { text: '已处理' } : undefined, auth);
      updateMs.push(r.ms);
      if (r.status !== 200 && !(step === 'accept' && r.status === 409)) fail(step, r);
    }
  };
  const rate = async (follow: string, rating: 'satisfied' | 'unsatisfied', address: string) => {
    const r = await call('POST', follow, { rating }, {}, address);
    rateMs.push(r.ms);
    if (r.status !== 200) fail('rate', r);
    return r.status === 200;
  };
  interface Waiting { id: string; follow: string; address: string; dueDay: number }
  const waiting: Waiting[] = [];
  let seq = 0;
  let done = 0;
  /** One matter of the day: reported, then what its fate says. */
  const one = async (day: number) => {
    const n = seq++;
    const fate = fateOf(n);
    const address = `127.${1 + ((n >> 16) & 0xff)}.${(n >> 8) & 0xff}.${n & 0xff || 1}`;
    const report = await call('POST', links[n % links.length]!, {
      category: categories[n % categories.length], building: `${1 + (n % 6)}栋`, description: `基准事项 ${n}`, ...(n % 2 ? { phone: `139${String(n).padStart(8, '0')}` } : {}),
    }, {}, address);
    reportMs.push(report.ms);
    if (report.status !== 201) return fail('report', report);
    // The handler finds it in the inbox; the bench reads its id straight from the table.
    const [row] = await conn.execute<{ id: string }[]>('select id from grid_matter where number = ?', [report.body.number]);
    const follow = `/public/grid-matters/${report.body.followToken}/rating`;
    if (fate === 'late') return void waiting.push({ id: row!.id, follow, address, dueDay: day + LATE_DAYS });
    await handle(row!.id);
    if (fate === 'unrated') return;
    if (fate === 'reopened') {
      await rate(follow, 'unsatisfied', address);
      await handle(row!.id);
    }
    if (await rate(follow, 'satisfied', address)) done += 1;
  };
  const late = async (w: Waiting) => {
    await handle(w.id);
    if (await rate(w.follow, 'satisfied', w.address)) done += 1;
  };

  // Day 1 starts at the next 08:00 in Shanghai (midnight UTC); each day ends by moving the clock to the next morning.
  const day0 = Math.ceil(clock.now().getTime() / DAY_MS) * DAY_MS;
  await control.moveTo(day0);
  const t0 = performance.now();
  const cpu0 = cpuSample();
  const sql0 = { ...statements };
  let moveSeconds = 0;
  const volumes = dayVolumes(MATTERS, DAYS);
  const unratedDays = 8;
  let d = 0;
  for (; d < DAYS || waiting.length > 0 || d < DAYS + unratedDays; d++) {
    const dayStart = performance.now();
    const due = waiting.filter((w) => w.dueDay <= d);
    waiting.splice(0, waiting.length, ...waiting.filter((w) => w.dueDay > d));
    const volume = volumes[d] ?? 0;
    await inPool([...due.map((w) => () => late(w)), ...Array.from({ length: volume }, () => () => one(d))], CONCURRENCY);
    const moveStart = performance.now();
    const { settled } = await control.moveTo(day0 + (d + 1) * DAY_MS);
    moveSeconds += (performance.now() - moveStart) / 1000;
    if (!settled) console.log(`day ${d + 1}: the clock's move did not settle within its limit`);
    if (d % 10 === 9 || d === DAYS - 1 || volume === 0) {
      const s = (performance.now() - t0) / 1000;
      console.log(`day ${d + 1}: ${volume} reported, ${due.length} late answered in ${((performance.now() - dayStart) / 1000).toFixed(1)} s; `
        + `${done} closed by rating, ${(done / s).toFixed(1)} matters/s so far; RSS ${mb(process.memoryUsage().rss)} MB; load ${loadavg()}`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSample();
  const sqlPer = (k: keyof typeof statements) => ((statements[k] - sql0[k]) / MATTERS).toFixed(1);
  const [counts] = await conn.execute<Record<string, string>[]>(
    `select count(*) filter (where status = 'closed') closed, count(*) filter (where status = 'closed' and rating is null) unrated,
            count(*) filter (where reminded_at is not null) reminded, count(*) filter (where climbs > 0) climbed, count(*) filter (where reopened > 0) reopened,
            count(*) filter (where points_credited_at is not null) credited, (select count(*) from audit_entry) audit from grid_matter`);
  const sample = await conn.execute<{ workflow_id: string }[]>('select workflow_id from grid_matter order by random() limit 100');
  const events: number[] = [];
  const cost = { tasks: 0, activities: 0, local: 0 };
  for (const { workflow_id } of sample) {
    const history = await temporal.workflow.getHandle(workflow_id).fetchHistory();
    events.push(history.events?.length ?? 0);
    for (const e of history.events ?? []) {
      if (e.workflowTaskCompletedEventAttributes) cost.tasks += 1;
      if (e.activityTaskScheduledEventAttributes) cost.activities += 1;
      if (e.markerRecordedEventAttributes) cost.local += 1;
    }
  }
  const c = counts!;
  const rate_ = MATTERS / seconds;
  console.log('─'.repeat(72));
  console.log(`${MATTERS} matters over ${DAYS} simulated days (+ ${d - DAYS} days until all closed) in ${(seconds / 60).toFixed(1)} min `
    + `(${(moveSeconds / 60).toFixed(1)} min of it moving the clock): ${rate_.toFixed(1)} matters/s sustained`);
  console.log(`at this rate ${CAMPAIGN.toLocaleString('en')} matters take ${(CAMPAIGN / rate_ / 60).toFixed(0)} min (target: under 30 min)`);
  const cpu = cpuPerMatter(cpu0, cpu1, MATTERS);
  const cpuMs = cpu.nodeMs + cpu.pgMs;
  console.log(`CPU per matter: ${cpu.text}`);
  console.log(`  = ${cpuMs.toFixed(0)} ms: on ${os.cpus().length} idle cores at most ${((os.cpus().length * 1000) / cpuMs).toFixed(1)} matters/s, `
    + `200,000 in ${((CAMPAIGN * cpuMs) / 1000 / os.cpus().length / 60).toFixed(0)} min `
    + `(target 30 min: ${((30 * 60 * os.cpus().length * 1000) / CAMPAIGN).toFixed(0)} ms a matter); `
    + `${(1000 / cpuMs).toFixed(1)} matters per CPU-second`);
  console.log(`report  POST /public/grid-report/:token          p50 ${pct(reportMs, 50)} ms  p99 ${pct(reportMs, 99)} ms  (${reportMs.length})`);
  console.log(`rating  POST /public/grid-matters/:token/rating  p50 ${pct(rateMs, 50)} ms  p99 ${pct(rateMs, 99)} ms  (${rateMs.length})`);
  console.log(`accept/answer (workflow updates)                 p50 ${pct(updateMs, 50)} ms  p99 ${pct(updateMs, 99)} ms  (${updateMs.length})`);
  console.log(`peak RSS: this process ${mb(peakRss)} MB, PostgreSQL and children ${peakChildren} MB (target: under 2048 MB together)`);
  console.log(`history sizes (${sample.length} sampled): median ${pct(events, 50)} events, max ${Math.max(...events)}; per matter `
    + `${(cost.tasks / sample.length).toFixed(1)} workflow tasks, ${(cost.activities / sample.length).toFixed(1)} activities, ${(cost.local / sample.length).toFixed(1)} local activities`);
  console.log(`SQL statements per matter: ${sqlPer('service')} by the service (API and activities), ${sqlPer('devserver')} by the devserver's store, `
    + `${sqlPer('transaction')} begin/commit (the bench's own reads included)`);
  if (process.env.GRID_BENCH_SQL_TOP) for (const [t, n] of [...sqlTexts].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`${(n / MATTERS).toFixed(2)} ${t}`);
  console.log(`database: ${c.closed} closed (${c.unrated} unrated), ${c.reminded} reminded, ${c.climbed} climbed, ${c.reopened} reopened, ${c.credited} 文明积分 credits, `
    + `${c.audit} audit entries`);
  console.log(`failures: ${failures.size ? [...failures].map(([k, v]) => `${k} ×${v}`).join('; ') : 'none'}`);
  console.log(`load average at end ${loadavg()}`);
} catch (error) {
  console.error('bench:grid failed:', error);
  process.exitCode = 1;
} finally {
  clearInterval(sampler);
  clearInterval(childSampler);
  await lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS);
  await rm(dataDir, { recursive: true, force: true });
}
