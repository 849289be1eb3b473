// 月调度、季督导 through HTTP with time skipping: the district's organization department sets a
// task for a street and one for a functional department (区财政局); the street reports this
// month's progress (next month is refused as not due, this month a second time as already
// reported, each at the month's field); the department records a quarterly finding; nobody
// reports next month and nobody rectifies, so the workflow flags both overdue and tells the
// department; the street files the month late at 100% and rectifies, and the department closes
// the task. Another district's department and another street see nothing and act on nothing; a
// street does not supervise its own task. Audit rows follow every step; the history replays.
// The task list as Excel: the overdue tasks with their progress, reported and overdue months and
// open findings, the filters named; another street's download has no rows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, httpCaller, type CycleHarness } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { bearer, unitMaker } from '../../support/fixtures.ts';
import { byHeader, readXlsx } from '../../support/xlsx.ts';
import { createGridSteeringActivities } from '../../../activities/grid-steering.ts';
import { gridSteeringWorkflowId } from '../../../domain/grid-steering/contracts.ts';
import { reportMonths, reportOverdueAt } from '../../../domain/grid-steering/rules.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { addDays, addMonths } from '../../../domain/time.ts';

const HOUR = 3_600_000;
let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  harness = await startCycleHarness((app) => createGridSteeringActivities({ orm: app.orm }));
  ({ env, app } = harness);
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('SD', '高新区', 'district', null);
  const street = unit('SS', '柳行街道', 'street', district);
  const street2 = unit('SS2', '洸河街道', 'street', district);
  const otherDistrict = unit('OD', '任城区', 'district', null);
  const otherStreet = unit('OS', '南苑街道', 'street', otherDistrict);
  const finance = em.create(Organization, { name: '区财政局', kind: 'resident_unit', unit: district, creditCode: null, partyOrgName: '区财政局党组',
    responsiblePeople: [], address: null });
  Object.assign(ids, { district: district.id, street: street.id, street2: street2.id, otherStreet: otherStreet.id, finance: finance.id });
  ids.dept = grantWithToken(em, tokens, 'dept', 'org_department', { unit: district }).id;
  ids.streetAccount = grantWithToken(em, tokens, 'street', 'street_committee', { unit: street }).id;
  grantWithToken(em, tokens, 'street2', 'street_committee', { unit: street2 });
  grantWithToken(em, tokens, 'dept2', 'org_department', { unit: otherDistrict });
  grantWithToken(em, tokens, 'finance', 'dispatching_unit', { organization: finance });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);
type Json = Record<string, any>;
const body = (r: { body: unknown }) => r.body as Json;

describe('月调度、季督导 through HTTP', () => {
  it('sets tasks, takes monthly reports and findings, flags what is overdue to the department, and closes', async () => {
    const today = shanghaiDate(await env.currentTimeMs());
    const dueOn = addMonths(today, 3);
    const [m0, m1] = reportMonths(today, dueOn) as [string, string];

    // Who may set a task for whom.
    const task = { title: '老旧小区加装电梯', target: '年内完成10部', dueOn };
    expect((await call('street', 'POST', '/grid-steering/tasks', { ...task, ownerUnitId: ids.street })).status).toBe(404);
    expect((await call('dept2', 'POST', '/grid-steering/tasks', { ...task, ownerUnitId: ids.street })).status).toBe(404);
    expect((await call('dept', 'POST', '/grid-steering/tasks', { ...task, ownerUnitId: ids.otherStreet })).status).toBe(404);
    const refused = await call('dept', 'POST', '/grid-steering/tasks', { ...task, title: ' ', dueOn: addDays(today, -1), ownerUnitId: ids.street });
    expect(refused.status).toBe(400);
    expect(body(refused).details).toEqual(expect.arrayContaining([{ field: 'body.title', rule: expect.stringContaining('任务名称') },
      { field: 'body.dueOn', rule: '完成期限不能早于今天' }]));
    expect(body(await call('dept', 'POST', '/grid-steering/tasks', { ...task, ownerUnitId: ids.street, ownerOrganizationId: ids.finance })).details[0].field)
      .toBe('body.ownerUnitId');
    const created = await call('dept', 'POST', '/grid-steering/tasks', { ...task, ownerUnitId: ids.street });
    expect([created.status, created.body]).toEqual([201, expect.anything()]);
    expect(body(created)).toMatchObject({ ownerName: '柳行街道', supervisorName: '高新区', status: 'active', progress: 0, months: reportMonths(today, dueOn) });
    const id = body(created).id as string;
    const financeTask = await call('dept', 'POST', '/grid-steering/tasks', { title: '专项资金拨付', target: '按季度拨付到位', dueOn, ownerOrganizationId: ids.finance });
    expect(financeTask.status).toBe(201);

    // Lists by jurisdiction: the department sees both, the street its own, the finance bureau its own, the others nothing.
    const titles = async (login: string, query = '') => (body(await call(login, 'GET', `/grid-steering/tasks${query}`)).items as Json[]).map((t) => t.title);
    expect((await titles('dept')).sort()).toEqual(['专项资金拨付', '老旧小区加装电梯']);
    expect(await titles('street')).toEqual(['老旧小区加装电梯']);
    expect(await titles('finance')).toEqual(['专项资金拨付']);
    expect(await titles('street2')).toEqual([]);
    expect(await titles('dept2')).toEqual([]);
    expect((await call('dept2', 'GET', `/grid-steering/tasks/${id}`)).status).toBe(404);
    expect((await call('street2', 'GET', `/grid-steering/tasks/${id}`)).status).toBe(404);

    // 月调度: next month is not due, this month once; only the owner reports.
    const report = (login: string, month: string, progress: number) =>
      call(login, 'POST', `/grid-steering/tasks/${id}/reports`, { month, progress, content: `${month}完成${progress}%` });
    const early = await report('street', m1, 10);
    expect(early.status).toBe(409);
    expect(body(early)).toMatchObject({ error: 'not_due', details: [{ field: 'body.month', rule: `${m1}尚未到报送时间` }] });
    expect((await report('street', '2026-13', 10)).status).toBe(400);
    expect((await report('dept', m0, 10)).status).toBe(403);
    expect((await report('street2', m0, 10)).status).toBe(404);
    const filed = await report('street', m0, 20);
    expect(filed.status).toBe(200);
    expect(body(filed).task).toMatchObject({ progress: 20, filedMonths: [m0] });
    expect(body(filed).reports).toMatchObject([{ month: m0, progress: 20, late: false }]);
    expect(body(await report('street', m0, 30))).toMatchObject({ error: 'already_reported', details: [{ field: 'body.month' }] });

    // 季督导: the department records a finding; the street may not (it does not supervise itself), nor another district.
    const finding = { finding: '居民意见征询滞后', rectifyBy: addDays(today, 10) };
    expect((await call('street', 'POST', `/grid-steering/tasks/${id}/findings`, finding)).status).toBe(403);
    expect((await call('dept2', 'POST', `/grid-steering/tasks/${id}/findings`, finding)).status).toBe(404);
    expect(body(await call('dept', 'POST', `/grid-steering/tasks/${id}/findings`, { ...finding, rectifyBy: addDays(today, -1) })).details)
      .toEqual([{ field: 'body.rectifyBy', rule: '整改期限不能早于今天' }]);
    const found = await call('dept', 'POST', `/grid-steering/tasks/${id}/findings`, finding);
    expect(found.status).toBe(200);
    const findingId = body(found).findings[0].id as string;
    expect(body(found).task.openFindings).toBe(1);

    // Nobody reports next month nor rectifies: both are flagged overdue, and the department hears of it.
    await env.sleep(reportOverdueAt(m1) + HOUR - (await env.currentTimeMs()));
    const em = app.orm.em.fork() as EntityManager;
    let detail = body(await call('dept', 'GET', `/grid-steering/tasks/${id}`));
    for (let i = 0; i < 50 && detail.task.overdueMonths.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      detail = body(await call('dept', 'GET', `/grid-steering/tasks/${id}`));
    }
    expect(detail.task).toMatchObject({ overdueMonths: [m1], overdueFindings: 1, overdue: true });
    expect(detail.findings[0]).toMatchObject({ overdue: true, rectifiedAt: null });
    // The finance bureau reported nothing at all: both its months are overdue; the street is filtered by its unit.
    expect((await titles('dept', '?overdue=true')).sort()).toEqual(['专项资金拨付', '老旧小区加装电梯']);
    expect(body(await call('finance', 'GET', `/grid-steering/tasks/${body(financeTask).id}`)).task.overdueMonths).toEqual([m0, m1]);
    expect(await titles('dept', `?overdue=true&unitId=${ids.street}`)).toEqual(['老旧小区加装电梯']);
    expect(await titles('dept', '?overdue=false')).toEqual([]);

    // The same list as Excel, with its filters.
    const xlsx = async (login: string, query: string) => {
      const res = await app.server.inject({ method: 'GET', url: `/grid-steering/tasks/export${query}`, headers: bearer(tokens[login]!) });
      expect([res.statusCode, res.headers['content-disposition']]).toEqual([200, expect.stringContaining(encodeURIComponent('月调度季督导任务.xlsx'))]);
      return readXlsx(res.rawPayload);
    };
    const sheet = await xlsx('dept', '?overdue=true');
    expect([sheet.title, sheet.filters]).toEqual(['月调度季督导任务清单', '筛选条件：仅逾期：是']);
    const monthWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
    const rows = byHeader(sheet);
    expect(rows.find((r) => r['任务'] === '老旧小区加装电梯')).toMatchObject({
      责任单位: '柳行街道', 督导单位: '高新区', 进度: 0.2, 已报月份: monthWords(m0), 逾期未报: monthWords(m1), 待整改问题: 1, 逾期未整改: 1, 逾期: '是', 状态: '推进中',
    });
    expect(rows.find((r) => r['任务'] === '专项资金拨付')).toMatchObject({ 责任单位: '区财政局', 已报月份: null, 逾期未报: `${monthWords(m0)}、${monthWords(m1)}` });
    expect(byHeader(await xlsx('dept', `?unitId=${ids.street}`)).map((r) => r['任务'])).toEqual(['老旧小区加装电梯']);
    expect((await xlsx('street2', '')).rows).toEqual([]);
    const notices = await em.execute<{ kind: string; recipient_id: string }[]>("select kind, recipient_id from notification where kind like 'steering_%'");
    expect(notices).toEqual(expect.arrayContaining([
      { kind: 'steering_report_overdue', recipient_id: ids.dept }, { kind: 'steering_finding_overdue', recipient_id: ids.dept },
      { kind: 'steering_report_reminded', recipient_id: ids.streetAccount },
    ]));

    // Filed late at 100%, rectified once; closing waits for both, and is the department's.
    const close = (login: string) => call(login, 'POST', `/grid-steering/tasks/${id}/close`, { note: '验收合格' });
    expect((await close('dept')).status).toBe(409);
    const late = await report('street', m1, 100);
    expect(body(late).reports[1]).toMatchObject({ month: m1, late: true });
    expect(body(late).task).toMatchObject({ progress: 100, overdueMonths: [], lateMonths: [m1] });
    const rectify = (login: string) => call(login, 'POST', `/grid-steering/findings/${findingId}/rectify`, { rectification: '已完成意见征询' });
    expect((await rectify('street2')).status).toBe(404);
    expect((await rectify('street')).status).toBe(200);
    expect(body(await rectify('street')).error).toBe('already_rectified');
    expect(body(await call('dept', 'GET', `/grid-steering/tasks/${id}`)).can).toMatchObject({ close: true, report: false });
    expect((await close('street')).status).toBe(403);
    const closed = await close('dept');
    expect(closed.status).toBe(200);
    expect(body(closed)).toMatchObject({ task: { status: 'closed' }, closeNote: '验收合格' });
    expect(body(await report('street', m0, 100)).error).toBe('task_closed');

    // Every step left its audit row, in order.
    const audit = await em.execute<{ action: string }[]>(
      "select action from audit_entry where entity_type = 'steering_task' and entity_id = ? order by seq", [id]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['steering_task.create', 'steering_task.started', 'steering_task.reported',
      'steering_task.finding_added', 'steering_task.report_overdue', 'steering_task.finding_overdue', 'steering_task.rectified', 'steering_task.closed']));
    await harness.replay(gridSteeringWorkflowId(id));
  }, 180_000);
});
