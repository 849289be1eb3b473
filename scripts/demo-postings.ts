// `npm run demo:postings [out-folder]`: the demo's 32 first secretaries (seeds/demo.ts) through
// a simulated posting year, on the embedded defaults with time skipping: a throwaway embedded
// PostgreSQL, the project's devserver in-process with time skipping, the real worker (cycles
// and reports queues, real activities and PDF renderer) and the real API over HTTP. People act
// only through the API with the demo accounts (docs/demo-accounts.md); the script then lists
// the filed PDFs through the API, downloads them and writes them to a folder:
// monthly attendance sheets per street, quarterly reports, the year-end ranking and the final
// assessment forms. One secretary is short of days in the second month, one dispatching unit
// skips a quarter's visit and one work report comes late, so the 小考 shows in the results.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { projectRoot, loadConfig } from '../config/config.ts';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { initOrm } from '../db/orm.ts';
import { loadAuditKey } from '../domain/audit/key.ts';
import { startDevServer } from '../devserver/index.ts';
import { Lifecycle } from '../entry/lifecycle.ts';
import { startTemporalClient, startWorker } from '../entry/components.ts';
import { buildServer } from '../api/server.ts';
import { seedDemo, DEMO_PASSWORD } from '../seeds/demo.ts';
import { Posting } from '../domain/entities/posting.ts';
import { Account } from '../domain/entities/account.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { AdministrativeUnit } from '../domain/entities/administrative-unit.ts';
import { isWorkingDay } from '../domain/posting/calendar.ts';
import { DEFAULT_COHORT_SETTINGS } from '../domain/posting/rules.ts';
import { DAY_MS, addDays, addMonths, lastDayOfMonth, shanghaiDate } from '../domain/time.ts';

const started = Date.now();
const out = path.resolve(process.argv[2] ?? path.join(projectRoot, 'data', `demo-postings-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}`));
const log = (message: string) => console.log(`[${Math.round((Date.now() - started) / 1000)}s] ${message}`);
const quiet = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

const tmp = await mkdtemp(path.join(os.tmpdir(), 'demo-postings-'));
const lifecycle = new Lifecycle(quiet);
try {
  // 1. The embedded defaults: database, time-skipping devserver, worker, API over HTTP.
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'party_cycles' });
  lifecycle.add('embedded postgres', () => pg.stop());
  const orm = await initOrm({ url: pg.url, auditKey: await loadAuditKey({ dataDir: tmp }) });
  lifecycle.add('orm', () => orm.close(true));
  await seedDemo(orm);
  const devserver = await startDevServer({ host: '127.0.0.1', port: 0, store: 'memory', timeSkipping: true, logger: quiet });
  lifecycle.add('devserver', () => devserver.stop());
  const config = loadConfig({ DATABASE_URL: pg.url, TEMPORAL_ADDRESS: devserver.address, DATA_DIR: tmp, LOG_LEVEL: 'warn', JWT_SECRET: randomBytes(32).toString('hex') });
  await startWorker(config, devserver.address, orm, quiet, lifecycle);
  const temporal = startTemporalClient(config, devserver.address, lifecycle);
  const api = await buildServer({ config, orm, temporal }, { logger: quiet });
  await api.listen({ host: '127.0.0.1', port: 0 });
  lifecycle.add('api', () => api.close());
  const address = api.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  log(`embedded PostgreSQL, devserver (time skipping) ${devserver.address}, worker and API ${base} running; demo seeded`);

  // The time-skipping controls (TestService), on a connection of their own.
  const control = await Connection.connect({ address: devserver.address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as never);
  lifecycle.add('test service connection', () => control.close());
  const testService = control.testService!;
  const now = async () => {
    const { time } = await testService.getCurrentTime({});
    return Number(time!.seconds) * 1000 + Math.floor((time!.nanos ?? 0) / 1e6);
  };
  /** Lets the devserver skip a day (running every timer and task due meanwhile). */
  const nextDay = () => testService.unlockTimeSkippingWithSleep({ duration: msToTs(DAY_MS) });

  // 2. Accounts: each demo login gets an API token (the 15-minute login token would expire).
  const tokens = new Map<string, string>();
  async function http(login: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: any; bytes: Buffer }> {
    const response = await fetch(base + url, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(tokens.has(login) ? { authorization: `Bearer ${tokens.get(login)}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(bytes.toString('utf8')) : null;
    return { status: response.status, json, bytes };
  }
  async function ok(login: string, method: string, url: string, body?: unknown) {
    const r = await http(login, method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url} as ${login}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }
  async function signIn(login: string) {
    const { accessToken } = await ok(login, 'POST', '/auth/login', { login, password: DEMO_PASSWORD });
    tokens.set(login, accessToken);
    const { token } = await ok(login, 'POST', '/auth/tokens', { name: 'demo:postings' });
    tokens.set(login, token);
  }
  /** Runs fn over items, a few at a time (the API and database share two cores with everything else). */
  async function each<T>(items: T[], fn: (item: T) => Promise<void>, concurrency = 8) {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }));
  }

  // Who is who in the demo: the seed's 32 postings name secretary, community and dispatching unit.
  const em = orm.em.fork() as EntityManager;
  const seeded = await em.find(Posting, { cohort: null }, { populate: ['person', 'community', 'community.parent', 'dispatchingOrganization'], orderBy: { createdAt: 'asc', id: 'asc' } as never });
  const grants = await em.find(RoleAssignment, {}, { populate: ['account', 'unit'] });
  const loginOf = (match: (g: RoleAssignment) => boolean) => grants.find(match)?.account.getEntity().login;
  const district = await em.findOneOrFail(AdministrativeUnit, { level: 'district' });
  const people = await Promise.all(seeded.map(async (p) => ({
    personId: p.person.id,
    communityId: p.community.id,
    dispatchingOrganizationId: p.dispatchingOrganization.id,
    name: p.person.getEntity().name,
    secretary: (await em.findOneOrFail(Account, { person: p.person.id })).login,
    community: loginOf((g) => g.role === 'community_committee' && g.unit?.id === p.community.id)!,
    street: loginOf((g) => g.role === 'street_committee' && g.unit?.id === p.community.getEntity().parent?.id)!,
    dispatcher: loginOf((g) => g.role === 'dispatching_unit' && g.organization?.id === p.dispatchingOrganization.id)!,
  })));
  const logins = [...new Set(['orgdept', ...people.flatMap((p) => [p.secretary, p.community, p.street, p.dispatcher])])];
  await each(logins, signIn, 4);
  log(`${logins.length} demo accounts signed in (API tokens): orgdept, streets, communities, 32 secretaries, dispatching units`);

  // 3. The department creates the cohort; the dispatching units file their guarantees.
  const startsOn = addDays(lastDayOfMonth(shanghaiDate(await now())), 1);
  const cohort = await ok('orgdept', 'POST', '/postings/cohorts', {
    name: `${startsOn.slice(0, 4)}年度城市社区第一书记`,
    regionUnitId: district.id,
    startsOn,
    postings: people.map((p, i) => ({ personId: p.personId, communityId: p.communityId, dispatchingOrganizationId: p.dispatchingOrganizationId, originalPosition: ['科长', '副科长', '主任科员', '一级主任科员'][i % 4] })),
  });
  const postings = people.map((p, i) => ({ ...p, id: cohort.postings[i].id as string, index: i }));
  log(`cohort ${cohort.id}: ${postings.length} postings from ${startsOn}`);
  await each(postings, async (p) => {
    const answer = await ok(p.dispatcher, 'PUT', `/postings/${p.id}/guarantees`, { insuranceYuan: 1_000_000, insurancePolicy: `PICC-${p.index + 1}`, workFundsYuan: 20_000 + 1000 * (p.index % 5) });
    if (answer.missing.length) throw new Error(`guarantees still missing for ${p.name}`);
  });

  // 4. The year, a simulated day at a time.
  const endsOn = addDays(addMonths(startsOn, DEFAULT_COHORT_SETTINGS.lengthMonths), -1);
  const secondMonth = addMonths(startsOn, 1).slice(0, 7);
  const shortOf = postings[2]!; // 5 days short in the second month
  const noVisit = postings[4]!; // no head visit in the third quarter
  const lateReport = postings[6]!; // second-quarter work report after its deadline
  const quarterEnds = [3, 6, 9, 12].map((m) => addDays(addMonths(startsOn, m), -1));
  type Task = { kind: 'report' | 'score'; posting: (typeof postings)[number]; quarter: number; notBefore: string };
  let tasks: Task[] = [];
  const yearEndDone = new Set<string>();
  const signed = new Set<string>();
  let checkIns = 0;
  for (let day = 0; ; day++) {
    const today = shanghaiDate(await now());
    if (today >= startsOn && today <= endsOn && isWorkingDay(today, DEFAULT_COHORT_SETTINGS.holidayCalendar)) {
      const present = postings.filter((p) => !(p === shortOf && today.startsWith(secondMonth) && Number(today.slice(8)) <= 9));
      await each(present, async (p) => {
        await ok(p.secretary, 'POST', `/postings/${p.id}/check-ins`, { date: today, note: '在社区走访群众、处理事务' });
        await ok(p.community, 'POST', `/postings/${p.id}/check-ins/${today}/review`, { status: 'confirmed' });
        checkIns++;
      });
    }
    const q = quarterEnds.findIndex((end) => addDays(end, -45) === today);
    if (q >= 0) {
      await each(postings.filter((p) => !(p === noVisit && q === 2)), async (p) => {
        await ok(p.dispatcher, 'POST', `/postings/${p.id}/head-visits`, { visitedOn: today, visitor: '单位主要负责人', position: '局长', purpose: `第${q + 1}季度到社区看望第一书记、协调解决困难` });
      });
    }
    const closed = quarterEnds.findIndex((end) => addDays(end, 1) === today);
    if (closed >= 0) {
      for (const p of postings) tasks.push({ kind: 'report', posting: p, quarter: closed + 1, notBefore: p === lateReport && closed === 1 ? addDays(today, DEFAULT_COHORT_SETTINGS.deadlines.workReportDays + 2) : today });
    }
    const due = tasks.filter((t) => t.notBefore <= today);
    const remaining: Task[] = tasks.filter((t) => t.notBefore > today);
    await each(due, async (t) => {
      const r = t.kind === 'report'
        ? await http(t.posting.secretary, 'POST', `/postings/${t.posting.id}/quarters/${t.quarter}/work-report`, { summary: `第${t.quarter}季度：走访群众${40 + t.posting.index}户，召开议事会${3 + (t.quarter % 3)}次\n推动解决民生实事${5 + t.posting.index % 7}件`, achievements: [`第${t.quarter}季度办成民生实事`, '组织在职党员双报到服务'] })
        : await http(t.posting.street, 'POST', `/postings/${t.posting.id}/quarters/${t.quarter}/score`, { score: 80 + ((t.posting.index * 7 + t.quarter * 3) % 18), comment: '履职尽责，成效明显' });
      if (r.status < 300) {
        if (t.kind === 'report') remaining.push({ ...t, kind: 'score', notBefore: today });
      } else if (r.status === 409) {
        remaining.push(t); // the quarter's review is not at that stage yet: try again tomorrow
      } else throw new Error(`${t.kind} Q${t.quarter} of ${t.posting.name}: ${r.status} ${JSON.stringify(r.json)}`);
    });
    tasks = remaining;

    if (today > endsOn) {
      const phases = new Map<string, string>();
      await each(postings, async (p) => void phases.set(p.id, (await ok('orgdept', 'GET', `/postings/${p.id}`)).phase));
      await each(postings.filter((p) => phases.get(p.id) === 'year_end' && !yearEndDone.has(p.id)), async (p) => {
        yearEndDone.add(p.id);
        await ok(p.community, 'POST', `/postings/${p.id}/resident-ratings`, { scores: Array.from({ length: 20 }, (_, k) => 70 + ((p.index * 13 + k * 7) % 31)) });
        await ok(p.secretary, 'POST', `/postings/${p.id}/self-assessment`, { score: 85 + (p.index % 12), summary: '一年来抓党建、促治理、办实事，完成派驻任务。' });
        await ok('orgdept', 'POST', `/postings/${p.id}/organization-rating`, { score: 70 + ((p.index * 11) % 29), comment: '组织考评' });
      });
      await each(postings.filter((p) => phases.get(p.id) === 'final_assessment' && !signed.has(p.id)), async (p) => {
        signed.add(p.id);
        await ok(p.street, 'POST', `/postings/${p.id}/final-signatures`, { as: 'street_committee', decision: 'agree', comment: '任职期间表现良好，同意。' });
        await ok(p.dispatcher, 'POST', `/postings/${p.id}/final-signatures`, { as: 'dispatching_unit', decision: 'agree', comment: '同意街道党工委意见。' });
        await ok('orgdept', 'POST', `/postings/${p.id}/final-signatures`, { as: 'org_department', decision: 'agree', comment: '同意。' });
      });
      if ([...phases.values()].every((phase) => phase === 'completed')) break;
    }
    if (day % 30 === 0) log(`simulated ${today}: ${checkIns} confirmed check-ins so far`);
    if (day > 500) throw new Error('the year did not finish in 500 simulated days');
    await nextDay();
  }
  log(`all ${postings.length} postings completed on ${shanghaiDate(await now())}; ${checkIns} check-ins recorded`);

  // 5. The filed PDFs, listed and downloaded through the API (the last renders may still be queued).
  const files: { folder: string; name: string; download: string }[] = [];
  for (let attempt = 0; ; attempt++) {
    files.length = 0;
    const cohortFiles = (await ok('orgdept', 'GET', `/postings/cohorts/${cohort.id}/reports`)).reports as { type: string; subjectId: string; version: number; download: string; id: string }[];
    const streetNames = new Map((await em.find(AdministrativeUnit, { level: 'street' })).map((u) => [u.id, u.name]));
    const rows = await em.getConnection().execute<{ id: string; request_key: string }[]>('select id, request_key from report_file');
    const keyOf = new Map(rows.map((r) => [r.id, r.request_key]));
    for (const f of cohortFiles) {
      if (f.type === 'attendance-sheet') files.push({ folder: 'attendance-sheets', name: `${keyOf.get(f.id)!.slice(-7)}-${streetNames.get(f.subjectId)}.pdf`, download: f.download });
      else files.push({ folder: '.', name: `year-end-ranking-v${f.version}.pdf`, download: f.download });
    }
    for (const p of postings) {
      for (const f of (await ok(p.secretary, 'GET', `/postings/${p.id}/reports`)).reports as { type: string; download: string; id: string }[]) {
        const key = keyOf.get(f.id)!;
        files.push(f.type === 'quarterly-review'
          ? { folder: 'quarterly-reviews', name: `${p.secretary}-${p.name}-Q${key.slice(-1)}.pdf`, download: f.download }
          : { folder: 'final-assessments', name: `${p.secretary}-${p.name}.pdf`, download: f.download });
      }
    }
    const finals = files.filter((f) => f.folder === 'final-assessments').length;
    if ((finals === postings.length && files.some((f) => f.name.startsWith('year-end-ranking'))) || attempt >= 60) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  await each(files, async (f) => {
    const { status, bytes } = await http('orgdept', 'GET', f.download);
    if (status !== 200) throw new Error(`download ${f.download}: ${status}`);
    await mkdir(path.join(out, f.folder), { recursive: true });
    await writeFile(path.join(out, f.folder, f.name), bytes);
  }, 4);
  const count = (folder: string) => files.filter((f) => f.folder === folder).length;
  log(`wrote ${files.length} PDFs to ${out}`);
  console.log(`  attendance-sheets/   ${count('attendance-sheets')} 月度考勤表 (per street and month)`);
  console.log(`  quarterly-reviews/   ${count('quarterly-reviews')} 季度述评报告`);
  console.log(`  final-assessments/   ${count('final-assessments')} 期满联合考核表`);
  console.log(`  year-end-ranking*.pdf ${count('.')} 年终考核排名`);
  const ranking = (await ok('orgdept', 'GET', `/postings/cohorts/${cohort.id}/ranking`)).entries as { name: string; rank: number; grade: string; total: number }[];
  console.log(`  ranking: ${ranking.slice(0, 5).map((e) => `${e.rank}. ${e.name} ${e.total} ${e.grade}`).join('; ')} …`);
} finally {
  await lifecycle.stop(60_000);
  await rm(tmp, { recursive: true, force: true });
}
