// Postings through HTTP on a test database and the devserver: a department creates a cohort,
// the dispatching unit's guarantees gate the start, check-ins are filed and confirmed, and
// every refusal names its reason (role, state, scope); every change is audited under its actor.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createPostingActivities } from '../../../activities/posting.ts';
import { PostingCheckIn } from '../../../domain/entities/posting-records.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { seedPostingWorld, type PostingWorld } from '../../support/fixtures.ts';
import { grantWithToken } from '../../support/cycle-harness.ts';
import { reportsTaskQueueFor } from '../../../workflows/task-queues.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Person } from '../../../domain/entities/person.ts';
import { addDays, lastDayOfMonth, shanghaiDate } from '../../../domain/time.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const devserverBin = path.resolve(here, '../../../devserver/bin/devserver');
const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let app: TestApp;
let worker: Worker;
let reportWorker: Worker;
let running: Promise<void>;
let world: PostingWorld;

beforeAll(async () => {
  Runtime.install({ logger: quiet as never });
  [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: devserverBin } } }),
    bundleWorkflowCode({ workflowsPath: path.resolve(here, '../../workflows/posting-workflows.ts'), logger: quiet }),
  ]);
  app = await startTestApp({ temporalAddress: env.address });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue: app.config.TEMPORAL_TASK_QUEUE, workflowBundle: bundle, activities: createPostingActivities({ orm: app.orm }) });
  // The month's attendance sheets fall due when the skipped days cross a month's end (a run
  // on the last day of a month, Shanghai time): a stand-in renderer answers the reports queue.
  reportWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: reportsTaskQueueFor(app.config.TEMPORAL_TASK_QUEUE),
    workflowBundle: bundle,
    activities: { renderReport: async () => ({ sha256: 'f'.repeat(64), reportFileId: null, version: null, bytes: 1, pages: 1, storagePath: 'x' }) },
  });
  running = Promise.all([worker.run(), reportWorker.run()]).then(() => undefined);
  world = await seedPostingWorld(app.orm.em.fork() as EntityManager, { postings: 2, createPostings: false });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  reportWorker?.shutdown();
  await running;
  await app?.close();
  await env?.teardown();
});

const call = async (login: string | null, method: string, url: string, payload?: unknown) => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: login ? { authorization: `Bearer ${world.tokens[login]}` } : {} });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
};

describe('postings through HTTP', () => {
  it('creates a cohort, waits for guarantees naming what is missing, takes check-ins, and refuses by role, scope and state', async () => {
    const today = shanghaiDate(await env.currentTimeMs());
    const cohort = {
      name: '城市社区第一书记',
      regionUnitId: world.districtId,
      startsOn: today,
      postings: world.personIds.map((personId) => ({ personId, communityId: world.communityId, dispatchingOrganizationId: world.unitId, originalPosition: '科员' })),
    };
    expect((await call('street', 'POST', '/postings/cohorts', cohort)).status).toBe(403);
    const badSettings = await call('dept', 'POST', '/postings/cohorts', { ...cohort, settings: { weights: { self: 0.9 } } });
    expect(badSettings.status).toBe(400);
    expect(badSettings.body.details?.[0]?.field ?? JSON.stringify(badSettings.body)).toContain('weights');

    const created = await call('dept', 'POST', '/postings/cohorts', cohort);
    expect(created.status).toBe(201);
    const [p1, p2] = created.body.postings.map((p: { id: string }) => p.id) as [string, string];
    expect(created.body.postings[0].workflowId).toBe(`posting/${p1}`);

    const waiting = await call('sec1', 'GET', `/postings/${p1}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body.phase).toBe('awaiting_guarantees');
    expect(waiting.body.status.missingGuarantees.map((m: { kind: string }) => m.kind)).toEqual(['accident_insurance', 'work_funds']);
    // Another secretary of the same community does not see this posting.
    expect((await call('sec2', 'GET', `/postings/${p1}`)).status).toBe(404);

    expect((await call('street', 'PUT', `/postings/${p1}/guarantees`, { insuranceYuan: 1_000_000 })).status).toBe(403);
    const partial = await call('unit', 'PUT', `/postings/${p1}/guarantees`, { insuranceYuan: 500_000, workFundsYuan: 10_000 });
    expect(partial.status).toBe(200);
    expect(partial.body.missing).toEqual([expect.objectContaining({ kind: 'accident_insurance', recordedYuan: 500_000, requiredYuan: 1_000_000 })]);
    const complete = await call('unit', 'PUT', `/postings/${p1}/guarantees`, { insuranceYuan: 1_000_000, insurancePolicy: 'PICC-001' });
    expect(complete.body.missing).toEqual([]);

    // Recalling the second before it starts cancels it; only the department may.
    expect((await call('street', 'POST', `/postings/${p2}/recall`, { reason: '调整' })).status).toBe(403);
    const recalled = await call('dept', 'POST', `/postings/${p2}/recall`, { reason: '工作调整' });
    expect(recalled.body.phase).toBe('cancelled');
    expect((await call('dept', 'POST', `/postings/${p2}/recall`, { reason: '再次' })).status).toBe(409);

    await env.sleep('2 days');
    const active = await call('dept', 'GET', `/postings/${p1}`);
    expect(active.body.phase).toBe('active');
    expect(active.body.status.startedOn).toBe(cohort.startsOn);

    // Days count only inside the posting and never ahead of today (the service's clock, in
    // Shanghai): the day before it began and tomorrow are refused naming the date.
    const realToday = shanghaiDate(Date.now());
    const before = await call('sec1', 'POST', `/postings/${p1}/check-ins`, { date: addDays(today, -1), note: '提前' });
    expect([before.status, before.body.details]).toEqual([400, [{ field: 'body.date', rule: `is before the posting began (${today})` }]]);
    const ahead = await call('sec1', 'POST', `/postings/${p1}/check-ins`, { date: addDays(realToday, 1), note: '明天的' });
    expect([ahead.status, ahead.body.details?.[0]?.field]).toEqual([400, 'body.date']);
    expect(ahead.body.details[0].rule).toContain('lies in the future');
    expect((await call('sec1', 'POST', `/postings/${p1}/check-ins`, { date: addDays(today, 200), note: '五个月后' })).status).toBe(400);
    // Nor can the community confirm a day that has not come.
    const confirmAhead = await call('community', 'POST', `/postings/${p1}/check-ins/${addDays(realToday, 1)}/review`, { status: 'confirmed' });
    expect([confirmAhead.status, confirmAhead.body.details?.[0]?.field]).toEqual([400, 'params.date']);
    // The cancelled posting has no days at all.
    expect((await call('sec2', 'POST', `/postings/${p2}/check-ins`, { date: today, note: '已撤回' })).body.error).toBe('not_open');

    const day = today;
    expect((await call('sec1', 'POST', `/postings/${p1}/check-ins`, { date: day, note: '走访困难群众' })).status).toBe(201);
    expect((await call('sec1', 'POST', `/postings/${p1}/check-ins`, { date: day, note: '重复' })).status).toBe(409);
    expect((await call('street', 'POST', `/postings/${p1}/check-ins/${day}/review`, { status: 'confirmed' })).status).toBe(403);
    expect((await call('community', 'POST', `/postings/${p1}/check-ins/${day}/review`, { status: 'confirmed' })).body.status).toBe('confirmed');
    const rows = await app.orm.em.fork().find(PostingCheckIn, { posting: p1 });
    expect(rows.map((r) => [r.date, r.status])).toEqual([[day, 'confirmed']]);
    expect((await call('unit', 'POST', `/postings/${p1}/head-visits`, { visitedOn: day, visitor: '陈局长', position: '局长', purpose: '调研指导' })).status).toBe(201);
    // A visit that has not happened yet is refused, naming the field.
    const visitAhead = await call('unit', 'POST', `/postings/${p1}/head-visits`, { visitedOn: addDays(realToday, 1), visitor: '陈局长', position: '局长', purpose: '调研指导' });
    expect([visitAhead.status, visitAhead.body.details?.[0]?.field]).toEqual([400, 'body.visitedOn']);

    // A second posting of the same secretary overlapping the first is refused (409), naming the
    // person's entry; one starting after the first ends is not refused for overlap.
    const overlapping = await call('dept', 'POST', '/postings/cohorts', { ...cohort, name: '重复选派', startsOn: addDays(today, 100), postings: [cohort.postings[0]] });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.details).toEqual([{ field: 'body.postings.0.personId', rule: expect.stringContaining(`posting ${p1}`) }]);
    const twice = await call('dept', 'POST', '/postings/cohorts', { ...cohort, name: '同批两次', startsOn: addDays(today, 800), postings: [cohort.postings[1], cohort.postings[1]] });
    expect([twice.status, twice.body.details]).toEqual([409, [{ field: 'body.postings.1.personId', rule: expect.stringContaining('twice') }]]);

    // The joint assessment is not open during the posting; the reason comes from the workflow.
    const early = await call('dept', 'POST', `/postings/${p1}/final-signatures`, { as: 'org_department', decision: 'agree', comment: '同意' });
    expect(early.status).toBe(409);
    expect(early.body.code ?? early.body.error).toBe('not_open');
    expect((await call(null, 'POST', '/public/posting-surveys/pcl_not-a-real-token', { score: 90 })).status).toBe(404);

    // Every change these routes wrote is in the audit log, under the account that made it
    // (refused requests wrote nothing).
    const audit = await app.orm.em.fork().find(AuditEntry, { action: { $like: 'posting%' } }, { orderBy: { seq: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor, a.actorAccountId, a.entityId])).toEqual([
      ['posting_cohort.create', 'dept', world.accounts.dept, created.body.id],
      ['posting.guarantees_record', 'unit', world.accounts.unit, p1],
      ['posting.guarantees_record', 'unit', world.accounts.unit, p1],
      ['posting.check_in', 'sec1', world.accounts.sec1, p1],
      ['posting.check_in_review', 'community', world.accounts.community, p1],
      ['posting.head_visit', 'unit', world.accounts.unit, p1],
    ]);
    expect(audit[0]!.after).toMatchObject({ postings: [{ id: p1 }, { id: p2 }] });
    expect(audit[2]!.before).toEqual({ insuranceYuan: 500_000, insurancePolicy: null, workFundsYuan: 10_000 });
    expect(audit[2]!.after).toEqual({ insuranceYuan: 1_000_000, insurancePolicy: 'PICC-001', workFundsYuan: 10_000 });
    expect(audit[4]!.before).toMatchObject({ status: 'pending' });
    expect(audit[4]!.after).toMatchObject({ status: 'confirmed' });
  }, 120_000);

  it('lists postings as each caller may see them, and /auth/me shows a secretary their posting and a unit its organization', async () => {
    type PostingList = { items: { id: string; secretary: string; phase: string; startsOn: string; startedOn: string | null; href: string }[]; total: number; limit: number; offset: number };
    const list = async (login: string, query = '') => (await call(login, 'GET', `/postings${query}`)).body as PostingList;
    const all = await list('dept');
    expect(all.total).toBe(2);
    const [p1, p2] = [all.items.find((p) => p.secretary === '书记1')!, all.items.find((p) => p.secretary === '书记2')!];
    expect(p1).toMatchObject({ phase: 'active', href: `/postings/${p1.id}`, startedOn: p1.startsOn });
    expect(p2.phase).toBe('cancelled');
    // A first secretary sees their own only; the street, community and dispatching unit theirs.
    expect((await list('sec1')).items.map((p) => p.id)).toEqual([p1.id]);
    expect((await list('sec2')).items.map((p) => p.id)).toEqual([p2.id]);
    for (const login of ['street', 'community', 'unit']) expect((await list(login)).total).toBe(2);
    // Filters and paging.
    expect((await list('dept', '?current=true')).items.map((p) => p.id)).toEqual([p1.id]);
    expect((await list('dept', '?phase=cancelled')).items.map((p) => p.id)).toEqual([p2.id]);
    const page = await list('dept', '?limit=1&offset=1');
    expect([page.total, page.items.length, page.limit, page.offset]).toEqual([2, 1, 1, 1]);
    expect((await call('dept', 'GET', '/postings?phase=nonsense')).status).toBe(400);
    // Another district's department sees nothing.
    const em = app.orm.em.fork() as EntityManager;
    const other = em.create(AdministrativeUnit, { code: 'other', name: '别的县', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共别的县委' } as never);
    other.path = `${other.id}/`;
    grantWithToken(em, world.tokens, 'otherdept', 'org_department', { unit: other });
    await em.flush();
    expect(await list('otherdept')).toEqual({ items: [], total: 0, limit: 50, offset: 0 });

    // /auth/me: the secretary's posting under way (the cancelled one of sec2 is not), the unit's organization.
    const me1 = (await call('sec1', 'GET', '/auth/me')).body;
    expect(me1.postings.map((p: { id: string }) => p.id)).toEqual([p1.id]);
    expect(me1.organizations).toEqual([]);
    expect((await call('sec2', 'GET', '/auth/me')).body.postings).toEqual([]);
    const meUnit = (await call('unit', 'GET', '/auth/me')).body;
    expect(meUnit.organizations).toEqual([{ id: world.unitId, name: '县财政局', kind: 'resident_unit', roles: ['dispatching_unit'] }]);
    expect(meUnit.postings).toEqual([]);

    // A cohort created 100 days after its planned start keeps no monthly sheets to catch up:
    // its first month is the current one (its postings count from the day they begin).
    const today = shanghaiDate(Date.now());
    const late = await call('dept', 'POST', '/postings/cohorts', { name: '补建批次', regionUnitId: world.districtId, startsOn: addDays(today, -100), postings: [{ personId: world.personIds[1], communityId: world.communityId, dispatchingOrganizationId: world.unitId }] });
    expect(late.status).toBe(201);
    const cohortStatus = await env.client.workflow.getHandle(`posting-cohort/${late.body.id}`).query<{ nextMonth: string | null }>('cohortStatus');
    expect(cohortStatus.nextMonth! >= today.slice(0, 7)).toBe(true);

    // Two cohorts posting the same new secretary, created at the same moment: one wins, the other is refused.
    const em2 = app.orm.em.fork() as EntityManager;
    const third = em2.create(Person, { name: '书记3', unit: world.communityId, isPartyMember: true } as never);
    await em2.flush();
    const racing = await Promise.all([1, 2].map((n) => call('dept', 'POST', '/postings/cohorts', { name: `并发${n}`, regionUnitId: world.districtId, startsOn: addDays(today, 30 * n), postings: [{ personId: third.id, communityId: world.communityId, dispatchingOrganizationId: world.unitId }] })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await list('dept', `?personId=${third.id}`)).total).toBe(1);
  }, 60_000);

  it('files a check-in with where and a photo, lists a month of days, lists cohorts, and sums closed months by community and month', async () => {
    const { items } = (await call('dept', 'GET', '/postings?current=true&limit=200')).body as { items: { id: string; secretary: string; cohortId: string }[] };
    const p1 = items.find((p) => p.secretary === '书记1')!;
    const view = (await call('sec1', 'GET', `/postings/${p1.id}`)).body;
    expect([view.communityId, view.cohortId, view.survey]).toEqual([world.communityId, p1.cohortId, null]);
    expect(view.headVisits).toEqual([expect.objectContaining({ visitor: '陈局长', position: '局长' })]);
    const filed = (await call('sec1', 'GET', `/postings/${p1.id}/check-ins`)).body.items as { date: string }[];
    // Only days up to today count, and today's is filed: it is taken back here to be filed again with evidence.
    const day = filed[0]!.date;
    await app.orm.em.fork().nativeDelete(PostingCheckIn, { posting: p1.id, date: day });
    // The photo is evidence of the posting's community filed for this posting.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const boundary = '----check-in-photo';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="day.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const query = `title=${encodeURIComponent('驻村照片')}&unitId=${world.communityId}&subjectType=posting_check_in&subjectId=${p1.id}&effectiveFrom=${day}`;
    const upload = await app.server.inject({ method: 'POST', url: `/evidence?${query}`, payload, headers: { authorization: `Bearer ${world.tokens.sec1}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(upload.statusCode).toBe(201);
    const photoId = upload.json().id as string;
    const elsewhere = await call('sec1', 'POST', `/postings/${p1.id}/check-ins`, { date: day, note: '照片', photoEvidenceId: world.unitId });
    expect([elsewhere.status, elsewhere.body.details?.[0]?.field]).toEqual([400, 'body.photoEvidenceId']);
    const badPlace = await call('sec1', 'POST', `/postings/${p1.id}/check-ins`, { date: day, note: '定位', location: { latitude: 120, longitude: 0 } });
    expect([badPlace.status, badPlace.body.details?.[0]?.field]).toEqual([400, 'body.location.latitude']);
    const location = { latitude: 27.1, longitude: 105.6, accuracyM: 12 };
    const withEvidence = await call('sec1', 'POST', `/postings/${p1.id}/check-ins`, { date: day, note: '入户走访', location, photoEvidenceId: photoId });
    expect(withEvidence.status).toBe(201);
    const month = await call('community', 'GET', `/postings/${p1.id}/check-ins?month=${day.slice(0, 7)}`);
    expect(month.status).toBe(200);
    const entry = (month.body.items as { date: string }[]).find((i) => i.date === day);
    expect(entry).toMatchObject({ note: '入户走访', status: 'pending', location, photo: { evidenceId: photoId, download: `/evidence/${photoId}/versions/1/content` } });
    const photo = await app.server.inject({ method: 'GET', url: (entry as unknown as { photo: { download: string } }).photo.download, headers: { authorization: `Bearer ${world.tokens.community}` } });
    expect([photo.statusCode, photo.rawPayload.equals(png)]).toEqual([200, true]);
    expect((await call('sec2', 'GET', `/postings/${p1.id}/check-ins`)).status).toBe(404);
    expect((await call('dept', 'GET', `/postings/${p1.id}/check-ins?month=2026-13-01`)).status).toBe(400);

    // Cohorts: the department and the street see them with their counts; the secretary may not list them.
    const cohorts = (await call('street', 'GET', '/postings/cohorts')).body as { items: { id: string; postings: number; underWay: number }[]; total: number };
    expect(cohorts.items.find((c) => c.id === p1.cohortId)).toMatchObject({ postings: 2, underWay: 1 });
    expect((await call('sec1', 'GET', '/postings/cohorts')).status).toBe(403);

    // A month closed as the workflow closes it: the confirmed days counted against the quota, by community and month.
    await call('community', 'POST', `/postings/${p1.id}/check-ins/${day}/review`, { status: 'confirmed' });
    const acts = createPostingActivities({ orm: app.orm });
    const m = day.slice(0, 7);
    await acts.closeAttendanceMonth({ postingId: p1.id, month: m, from: `${m}-01`, to: lastDayOfMonth(day), requiredDays: 22 });
    const grid = await call('street', 'GET', `/postings/attendance?cohortId=${p1.cohortId}&year=${m.slice(0, 4)}`);
    expect(grid.status).toBe(200);
    const confirmed = filed.filter((f) => f.date.startsWith(m)).length;
    expect(grid.body.cells).toEqual([expect.objectContaining({ communityId: world.communityId, community: '红旗社区', street: '顺德街道', month: m, postings: 1, confirmedDays: confirmed, requiredDays: 22, shortfalls: 1 })]);
    expect((await call('street', 'GET', `/postings/attendance?year=1999`)).status).toBe(400);
    expect((await call('street', 'GET', `/postings/attendance?year=2000`)).body.cells).toEqual([]);
    expect((await call('otherdept', 'GET', `/postings/attendance?streetId=${world.streetId}`)).status).toBe(404);
  }, 60_000);
});
