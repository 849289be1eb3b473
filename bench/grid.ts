// Benchmark of grid matters (issue 18.6): the Chengdu campaign's load (seed 002: 194,700 issues
// found in one 100-day campaign) on the embedded default, as `npm start` runs it: embedded
// PostgreSQL, the project's Temporal-compatible server, the worker and the API in this process.
// 200,000 matters over 100 simulated days (about 2,000 a day, some days a burst of three times
// that), each reported by a resident through a grid's QR link (a different address each, so the
// public routes' rate limits apply as to real residents), dispatched by the rules, accepted and
// answered by the department's account, and rated through the resident's link (one in ten not
// satisfied first: reopened, answered again, then satisfied). Prints matters/s sustained, p50/p99
// of the report and rating requests, peak RSS (this process and PostgreSQL), history sizes.
// The simulated days are batches: the clock does not move, so no deadline passes (the climbing
// is covered by the tests); a day's matters run CONCURRENCY at a time.
//   npm run bench:grid -- [--matters 200000] [--days 100] [--concurrency 24]
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config.ts';
import { createLogger, startApi, startDatabase, startOrm, startTemporalClient, startTemporalServer, startWorker } from '../entry/components.ts';
import { Lifecycle } from '../entry/lifecycle.ts';
import { hashPassword } from '../domain/auth/passwords.ts';

const { values: args } = parseArgs({ options: { matters: { type: 'string' }, days: { type: 'string' }, concurrency: { type: 'string' } } });
const MATTERS = Number(args.matters ?? 200_000);
const DAYS = Number(args.days ?? 100);
const CONCURRENCY = Number(args.concurrency ?? 24);
const GRIDS = 400;
const PASSWORD = 'Bench@2026';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!) : NaN;
};
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** RSS in MB of every process below this one (the embedded PostgreSQL and its backends). */
function childrenRssMb(): number {
  try {
    const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    const mine = new Set([process.pid]);
    let total = 0;
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, ppid, rss] of rows) if (!mine.has(pid!) && mine.has(ppid!)) (mine.add(pid!), (total += rss!), (grew = true));
    }
    return Math.round(total / 1024);
  } catch {
    return NaN;
  }
}

/** Days' volumes: about MATTERS/DAYS a day, one day in ten a burst of three times that. */
function dayVolumes(): number[] {
  const weights = Array.from({ length: DAYS }, (_, d) => (d % 10 === 7 ? 3 : 0.8 + ((d * 37) % 5) / 10));
  const sum = weights.reduce((a, b) => a + b, 0);
  const volumes = weights.map((w) => Math.floor((w / sum) * MATTERS));
  volumes[volumes.length - 1]! += MATTERS - volumes.reduce((a, b) => a + b, 0);
  return volumes;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-bench-grid-'));
const [apiPort, pgPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: String(apiPort), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort), DEVSERVER_PORT: String(temporalPort) });
const logger = createLogger(config);
const lifecycle = new Lifecycle(logger);
let peakRss = 0;
let peakChildren = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const childSampler = setInterval(() => (peakChildren = Math.max(peakChildren, childrenRssMb())), 5000);

try {
  console.log(`bench:grid  ${MATTERS} matters over ${DAYS} simulated days, concurrency ${CONCURRENCY}, ${os.cpus().length} cores, node ${process.version}`);
  console.log(`load average at start ${loadavg()}`);
  const databaseUrl = await startDatabase(config, logger, lifecycle);
  const orm = await startOrm(config, databaseUrl, logger, lifecycle);
  const temporalAddress = await startTemporalServer(config, databaseUrl, logger, lifecycle);
  await startWorker(config, temporalAddress, orm, logger, lifecycle);
  const temporal = startTemporalClient(config, temporalAddress, lifecycle);
  await startApi(config, orm, temporal, logger, lifecycle);

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
  const fail = (what: string, r: { status: number; body: any }) => failures.set(`${what} ${r.status} ${r.body?.error ?? ''}`, (failures.get(`${what} ${r.status} ${r.body?.error ?? ''}`) ?? 0) + 1);
  let seq = 0;
  let done = 0;
  const one = async () => {
    const n = seq++;
    const address = `127.${1 + ((n >> 16) & 0xff)}.${(n >> 8) & 0xff}.${n & 0xff || 1}`;
    const report = await call('POST', links[n % links.length]!, {
      category: categories[n % categories.length], building: `${1 + (n % 6)}栋`, description: `基准事项 ${n}`, ...(n % 2 ? { phone: `139${String(n).padStart(8, '0')}` } : {}),
    }, {}, address);
    reportMs.push(report.ms);
    if (report.status !== 201) return fail('report', report);
    const [row] = await conn.execute<{ id: string }[]>('select id from grid_matter where number = ?', [report.body.number]);
    const follow = `/public/grid-matters/${report.body.followToken}/rating`;
    const handle = async () => {
      for (const step of ['accept', 'answer'] as const) {
        const r = await call('POST', `/grid-matters/${row!.id}/${step}`, step === 'answer' ? { text: '已处理' } : undefined, auth);
        updateMs.push(r.ms);
        if (r.status !== 200 && !(step === 'accept' && r.status === 409)) fail(step, r);
      }
    };
    await handle();
    if (n % 10 === 3) {
      const r = await call('POST', follow, { rating: 'unsatisfied' }, {}, address);
      rateMs.push(r.ms);
      if (r.status !== 200) fail('rate', r);
      await handle();
    }
    const r = await call('POST', follow, { rating: 'satisfied' }, {}, address);
    rateMs.push(r.ms);
    if (r.status !== 200) fail('rate', r);
    else done += 1;
  };

  const t0 = performance.now();
  const volumes = dayVolumes();
  for (const [d, volume] of volumes.entries()) {
    const dayStart = performance.now();
    let left = volume;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (left > 0) {
        left -= 1;
        await one();
      }
    }));
    if (d % 10 === 9 || d === volumes.length - 1) {
      const s = (performance.now() - t0) / 1000;
      console.log(`day ${d + 1}: ${volume} matters in ${((performance.now() - dayStart) / 1000).toFixed(1)} s; ${done} closed, ${(done / s).toFixed(1)} matters/s so far; `
        + `RSS ${mb(process.memoryUsage().rss)} MB; load ${loadavg()}`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const sizes: number[] = [];
  const sample = await conn.execute<{ workflow_id: string }[]>('select workflow_id from grid_matter order by random() limit 100');
  for (const { workflow_id } of sample) sizes.push((await temporal.workflow.getHandle(workflow_id).describe()).historyLength);
  const [counts] = await conn.execute<{ closed: string; credited: string; audit: string }[]>(
    "select (select count(*) from grid_matter where status = 'closed') closed, (select count(*) from grid_matter where points_credited_at is not null) credited, "
    + '(select count(*) from audit_entry) audit');
  console.log('─'.repeat(72));
  console.log(`${done} of ${MATTERS} matters reported, dispatched, handled and rated in ${(seconds / 60).toFixed(1)} min: ${(done / seconds).toFixed(1)} matters/s sustained`);
  console.log(`report  POST /public/grid-report/:token        p50 ${pct(reportMs, 50)} ms  p99 ${pct(reportMs, 99)} ms  (${reportMs.length})`);
  console.log(`rating  POST /public/grid-matters/:token/rating p50 ${pct(rateMs, 50)} ms  p99 ${pct(rateMs, 99)} ms  (${rateMs.length})`);
  console.log(`accept/answer (workflow updates)               p50 ${pct(updateMs, 50)} ms  p99 ${pct(updateMs, 99)} ms  (${updateMs.length})`);
  console.log(`peak RSS: this process ${mb(peakRss)} MB, PostgreSQL and children ${peakChildren} MB`);
  console.log(`history sizes (100 sampled workflows): median ${pct(sizes, 50)} events, max ${Math.max(...sizes)} events`);
  console.log(`database: ${counts!.closed} closed, ${counts!.credited} 文明积分 credits, ${counts!.audit} audit entries`);
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
