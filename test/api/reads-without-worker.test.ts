// Reads never wait on a worker (issue 11, finding 2): with the service's own worker process
// (entry/worker.ts) stopped gracefully, and again killed with SIGKILL, a dual-commitment set's
// view and a star rating answer from PostgreSQL, never waiting on a worker, with the state the workflows had
// recorded; an action that needs a worker answers 503 workflow_unavailable with Retry-After
// within UPDATE_TIMEOUT_MS and writes nothing; a worker that comes back takes it in full or not at all.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from 'date-fns/addDays';
import { grantWithToken, httpCaller } from '../support/cycle-harness.ts';
import { startTimeSkipping } from '../support/workflow-harness.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { AuditEntry } from '../../domain/entities/audit-entry.ts';
import { CommitmentSet, CommitmentSetVersion } from '../../domain/entities/commitment.ts';
import { StarTrackingEvent } from '../../domain/entities/star-tracking.ts';
import { shanghaiDate } from '../../domain/time.ts';

const UPDATE_TIMEOUT_MS = 2000;
/**
 * A read that waited on a worker would take at least QUERY_TIMEOUT_MS (set high below); one answered from
 * PostgreSQL takes milliseconds. The bound sits between the two, wide enough for a loaded CI machine:
 * the speed itself (p99 under 100 ms after a restart) is measured by `npm run bench:reads`, not asserted here.
 */
const QUERY_TIMEOUT_MS = 10_000;
const READ_BOUND_MS = 4000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let env: TestWorkflowEnvironment;
let app: TestApp;
let dataDir: string;
const tokens: Record<string, string> = {};
let orgId = '';
let starOrgId = '';
let unitId = '';
const workers = new Set<ChildProcess>();

/** The service's own worker process against the test database and devserver; resolves once it polls. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'entry/worker.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: app.config.DATABASE_URL, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: app.config.TEMPORAL_TASK_QUEUE, DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.add(child);
  child.once('exit', () => workers.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start polling within 120 s:\n${output.slice(-2000)}`)), 120_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}) before polling:\n${output.slice(-2000)}`));
    });
  });
  return child;
}

async function stopWorkerProcess(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'reads-without-worker-'));
  ({ env } = await startTimeSkipping());
  app = await startTestApp({ temporalAddress: env.address, env: { UPDATE_TIMEOUT_MS: String(UPDATE_TIMEOUT_MS), QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS), DATA_DIR: dataDir } });
  const em = app.orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'd1', name: '测试区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共测试区委' } as never);
  district.path = `${district.id}/`;
  const street = em.create(AdministrativeUnit, { code: 's1', name: '东街道', level: 'street', parent: district, path: '', depth: 1, partyOrgName: '东街道党工委' } as never);
  street.path = `${district.path}${street.id}/`;
  const org = em.create(Organization, { name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', unit: street, partyOrgName: '中共鲁恒机械支部委员会', responsiblePeople: [{ role: '党组织书记', name: '王建国', phone: '13800000000' }] } as never);
  const starOrg = em.create(Organization, { name: '星级评定公司', kind: 'non_public_enterprise', unit: street, responsiblePeople: [] } as never);
  orgId = org.id;
  starOrgId = starOrg.id;
  unitId = district.id;
  grantWithToken(em, tokens, 'dept', 'org_department', { unit: district });
  grantWithToken(em, tokens, 'street', 'street_committee', { unit: street });
  grantWithToken(em, tokens, 'rep', 'enterprise_rep', { organization: org });
  await em.flush();
}, 180_000);

afterAll(async () => {
  for (const child of workers) await stopWorkerProcess(child, 'SIGKILL');
  await app?.close();
  await env?.teardown();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);

/** Calls and times; fails the test when the answer took longer than `boundMs`. */
async function timed(boundMs: number, login: string, method: string, url: string, payload?: unknown) {
  const started = performance.now();
  const answer = await call(login, method, url, payload);
  const ms = performance.now() - started;
  expect({ url, ms: Math.round(ms), within: ms < boundMs }).toMatchObject({ url, within: true });
  return { ...answer, body: answer.body as Record<string, any> };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reads without a worker', () => {
  it('answers views from PostgreSQL without waiting on a worker after a graceful stop and after kill -9, and refuses actions with 503 within the bound, writing nothing', async () => {
    const now = await env.currentTimeMs();
    const day = (n: number) => shanghaiDate(addDays(new Date(now), n));
    const year = Number(day(0).slice(0, 4));
    let worker = await startWorkerProcess();

    // With a worker: a set submitted for review, and a star rating whose year has loaded.
    const settings = { submissionDeadline: day(10), practiceEnd: day(20), evaluationStart: day(21), evaluationEnd: day(30), publicationDays: 7 };
    const started = await call('dept', 'POST', '/dual-commitments/cycles', { year, settings, organizationIds: [orgId] });
    expect([started.status, started.body]).toEqual([202, expect.anything()]);
    const cycleId = (started.body as { id: string }).id;
    await waitFor('the cycle start', async () => ((await call('dept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body as { start: { started: number } }).start.started === 1);
    const setId = ((await call('rep', 'GET', `/dual-commitments/sets?year=${year}`)).body as { items: { id: string }[] }).items[0]!.id;
    const base = `/dual-commitments/sets/${setId}`;
    const commitments = [
      { key: 'p1', side: 'party', catalogItemCode: 'P1-01', title: '形势政策宣讲', content: '每季度组织职工宣讲', target: '全年宣讲4次', indicator: '宣讲≥1次', deadline: day(15), responsiblePerson: { name: '王建国' } },
      { key: 'e1', side: 'enterprise', catalogItemCode: null, title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用', indicator: '面积≥30平方米', deadline: day(18), responsiblePerson: { name: '李总' } },
    ];
    expect((await call('rep', 'PUT', `${base}/draft`, { commitments })).body).toMatchObject({ version: 1, problems: [] });
    expect((await call('rep', 'POST', `${base}/submit`)).body).toMatchObject({ version: 1, setStatus: 'submitted' });
    const enrolled = await call('dept', 'POST', '/star-ratings/enrolments', { year: year + 1, unitId, rule: { mode: 'count', count: 1 }, organizationIds: [starOrgId] });
    expect(enrolled.status).toBe(201);
    const starPath = `/star-ratings/organizations/${starOrgId}`;
    await waitFor('the star rating year to load', async () => ((await call('dept', 'GET', starPath)).body as { status: { phase: string } | null }).status?.phase === 'self_assessment');

    const expectRecordedViews = async () => {
      for (let i = 0; i < 5; i++) {
        const set = await timed(READ_BOUND_MS, 'rep', 'GET', base);
        expect(set.status).toBe(200);
        expect(set.body).toMatchObject({ gate: 'set', status: 'submitted', versions: [{ version: 1, status: 'submitted' }] });
        expect(set.body.workflow).toMatchObject({ gate: 'set', setStatus: 'submitted', submittedVersion: 1, approvedVersion: null, publication: null });
        const star = await timed(READ_BOUND_MS, 'dept', 'GET', starPath);
        expect(star.status).toBe(200);
        expect(star.body.status).toMatchObject({ year: year + 1, phase: 'self_assessment' });
        expect((await timed(READ_BOUND_MS, 'dept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body).toMatchObject({ perGate: { set: 1 }, setStatuses: { submitted: 1 } });
      }
    };
    const audits = async () => (app.orm.em.fork() as EntityManager).count(AuditEntry, {});
    const expectActionsRefused = async () => {
      const before = await audits();
      const review = await timed(UPDATE_TIMEOUT_MS + 1500, 'street', 'POST', `${base}/review`, { version: 1, decision: 'approve' });
      expect([review.status, review.body.error, review.headers['retry-after']]).toEqual([503, 'workflow_unavailable', '5']);
      expect(review.body).toMatchObject({ message: expect.stringContaining('did not answer'), details: [] });
      const event = await timed(UPDATE_TIMEOUT_MS + 1500, 'street', 'POST', `${starPath}/events`, { type: 'honour', occurredOn: day(0), summary: '获评市级先进', evidenceFileIds: [] });
      expect([event.status, event.body.error, event.headers['retry-after']]).toEqual([503, 'workflow_unavailable', '5']);
      const list = await timed(UPDATE_TIMEOUT_MS + 2500, 'dept', 'POST', '/star-ratings/lists', { year: year + 1, kind: '评定', unitId });
      expect([list.status, list.body.error, list.headers['retry-after']]).toEqual([503, 'workflow_unavailable', '5']);
      const em = app.orm.em.fork() as EntityManager;
      expect(await em.count(StarTrackingEvent, { organization: starOrgId })).toBe(0);
      expect((await em.findOneOrFail(CommitmentSet, { id: setId })).status).toBe('submitted');
      expect((await em.findOneOrFail(CommitmentSetVersion, { set: setId, version: 1 })).status).toBe('submitted');
      expect(await audits()).toBe(before);
    };

    // Graceful stop: the worker says goodbye, nothing is left to answer.
    await stopWorkerProcess(worker, 'SIGTERM');
    await expectRecordedViews();
    await expectActionsRefused();

    // A worker comes back: the review that answered 503 is taken in full (activity records it) or
    // not at all, never half; then that worker is killed with SIGKILL.
    worker = await startWorkerProcess();
    const recorded = async () => {
      const em = app.orm.em.fork() as EntityManager;
      const set = await em.findOneOrFail(CommitmentSet, { id: setId });
      const version = await em.findOneOrFail(CommitmentSetVersion, { set: setId, version: 1 });
      return { set: set.status, version: version.status };
    };
    await waitFor('the returning worker to take the pending review', async () => (await recorded()).set === 'approved', 20_000).catch(() => undefined);
    const after = await recorded();
    expect([{ set: 'submitted', version: 'submitted' }, { set: 'approved', version: 'approved' }]).toContainEqual(after);
    const settled = after.set;
    await stopWorkerProcess(worker, 'SIGKILL');
    const set = await timed(READ_BOUND_MS, 'rep', 'GET', base);
    expect(set.body.workflow).toMatchObject({ setStatus: settled, approvedVersion: settled === 'approved' ? 1 : null });
    expect((await timed(READ_BOUND_MS, 'dept', 'GET', starPath)).body.status).toMatchObject({ phase: 'self_assessment' });
    const refused = await timed(UPDATE_TIMEOUT_MS + 1500, 'street', 'POST', `${starPath}/events`, { type: 'honour', occurredOn: day(0), summary: '第二次', evidenceFileIds: [] });
    expect([refused.status, refused.body.error, refused.headers['retry-after']]).toEqual([503, 'workflow_unavailable', '5']);
  }, 400_000);
});
