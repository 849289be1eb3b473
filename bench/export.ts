// Benchmark of the Excel export (issue 17.4; npm run bench:export): 32,000 organizations in one
// district exported through GET /organizations/export by a department account, over HTTP from
// the API running in this process on an embedded PostgreSQL. Prints the seconds to the last
// byte, the file size, the peak RSS and heap of the process while exporting (sampled every
// 10 ms) against the same before it, the load average, and checks the file by counting its
// rows with exceljs's streaming reader. The file goes from the database to the socket a page
// at a time: memory stays flat whatever the number of rows.
//   npm run bench:export -- [organizations, default 32000]
// With BENCH_PROFILE=<file.cpuprofile> the export alone (not the seeding) is CPU-profiled into that file.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Session } from 'node:inspector/promises';
import ExcelJS from 'exceljs';
import pino from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { initOrm } from '../db/orm.ts';
import { loadConfig } from '../config/config.ts';
import { buildServer } from '../api/server.ts';
import { connectTemporalClient } from '../temporal/client.ts';
import { AdministrativeUnit, type UnitLevel } from '../domain/entities/administrative-unit.ts';
import { Organization, PARTY_ORG_TYPES } from '../domain/entities/organization.ts';
import { Account } from '../domain/entities/account.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { hashPassword } from '../domain/auth/passwords.ts';

const COUNT = Number(process.argv[2] ?? 32_000);
const PASSWORD = 'Bench@2026';
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

process.env.AUDIT_SECRET ??= randomBytes(32).toString('hex');
const dir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-bench-export-'));
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'cluster'), port: await freePort(), database: 'bench_export' });
let closeServer = async () => {};
try {
  const orm = await initOrm({ url: pg.url });
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: pg.url, DATA_DIR: dir });
  const server = await buildServer({ config, orm, temporal: connectTemporalClient({ address: '127.0.0.1:1', namespace: 'default' }) }, { logger: pino({ level: 'silent' }) });
  closeServer = async () => {
    await server.close();
    await orm.close();
  };

  // The district: 10 streets of 10 communities; the organizations spread over the communities.
  const seedStarted = performance.now();
  const em = orm.em.fork() as EntityManager;
  const unit = (code: string, name: string, level: UnitLevel, parent: AdministrativeUnit | null) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, partyOrgName: `${name}党委`, path: '', depth: parent ? parent.depth + 1 : 0 });
    u.path = `${parent?.path ?? ''}${u.id}/`;
    return u;
  };
  const district = unit('BD', '测试区', 'district', null);
  const communities: AdministrativeUnit[] = [];
  for (let s = 0; s < 10; s++) {
    const street = unit(`BS${s}`, `第${s + 1}街道`, 'street', district);
    for (let c = 0; c < 10; c++) communities.push(unit(`BC${s}-${c}`, `第${s + 1}街道第${c + 1}社区`, 'community', street));
  }
  const account = em.create(Account, { login: 'dept', displayName: '组织部', passwordHash: await hashPassword(PASSWORD), active: true, person: null });
  em.create(RoleAssignment, { account, role: 'org_department', unit: district, organization: null });
  await em.flush();
  for (let start = 0; start < COUNT; start += 2000) {
    const batch = orm.em.fork() as EntityManager;
    for (let i = start; i < Math.min(start + 2000, COUNT); i++) {
      batch.create(Organization, {
        name: `济宁第${i + 1}号机械制造有限公司`,
        kind: i % 7 === 0 ? 'social_organization' : 'non_public_enterprise',
        unit: communities[i % communities.length]!.id,
        creditCode: `91370800MA${String(i).padStart(8, '0')}`,
        partyOrgName: `济宁第${i + 1}号机械制造有限公司党支部`,
        responsiblePeople: [{ role: '负责人', name: '刘建国', phone: '13905370001' }, { role: '党组织书记', name: '王建军' }],
        address: `任城区金鑫路${i + 1}号`,
        legalRepresentative: '刘建国',
        staffCount: 20 + (i % 500),
        partyMemberCount: 3 + (i % 40),
        partyOrgType: PARTY_ORG_TYPES[i % PARTY_ORG_TYPES.length]!,
        partyOrgFoundedOn: `20${String(10 + (i % 15))}-07-01`,
      });
    }
    await batch.flush();
  }
  console.log(`seeded ${COUNT} organizations in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${address}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'dept', password: PASSWORD }) });
  const token = ((await login.json()) as { accessToken: string }).accessToken;

  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const loadBefore = load();
  const profiler = process.env.BENCH_PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const started = performance.now();
  const res = await fetch(`${address}/organizations/export`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const firstByte = performance.now() - started;
  // The client writes the download to a file, as a browser does, so this process holds no copy of it either.
  const saved = path.join(dir, 'organizations.xlsx');
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(saved));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(process.env.BENCH_PROFILE!, JSON.stringify(profile));
    profiler.disconnect();
  }
  const bytes = (await stat(saved)).size;

  console.log(`export of ${COUNT} organizations: ${seconds.toFixed(2)} s (first byte after ${firstByte.toFixed(0)} ms), ${mb(bytes)} MB .xlsx`);
  console.log(`  process RSS ${mb(before.rss)} MB before, peak ${mb(peakRss)} MB (+${mb(peakRss - before.rss)} MB)`);
  console.log(`  heap used ${mb(before.heapUsed)} MB before, peak ${mb(peakHeap)} MB (+${mb(peakHeap - before.heapUsed)} MB)`);
  console.log(`  load average before ${loadBefore}, after ${load()} (${os.cpus().length} CPUs)`);

  // The check: as many data rows as organizations (4 rows above them: title, filters, time, headers).
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(saved), { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const sheet of reader) for await (const _row of sheet as AsyncIterable<unknown>) rows++;
  console.log(`  file check: ${rows - 4} data rows ${rows - 4 === COUNT ? '(all of them)' : `(expected ${COUNT})`}`);
  if (rows - 4 !== COUNT) process.exitCode = 1;
} finally {
  await closeServer().catch(() => {});
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
