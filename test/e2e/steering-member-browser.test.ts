// Issue 18's small gaps through the pages, in headless Chromium on the time-skipping harness:
// an in-service member picks a community on 我要报到 (by street and name) and reports to it; the
// community confirms on its 双报到 page and the member sees it confirmed. The sandbox's demo
// steering tasks are set (seeds/demo-steering.ts); the street reports a month's progress of its
// task (月调度) on the task page, the department records a quarterly finding (季督导) there, and
// downloads the task list as Excel from the list page. A failing step saves screenshots.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import { PASSWORD, choose, clickUntil, download, look, openBrowser, retype, text, waitText, type BrowserSession } from '../support/browser.ts';
import { unitMaker } from '../support/fixtures.ts';
import { byHeader, readXlsx } from '../support/xlsx.ts';
import { createGridSteeringActivities } from '../../activities/grid-steering.ts';
import { createMemberReportActivities } from '../../activities/member-report.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Person } from '../../domain/entities/person.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { clockOf } from '../../domain/clock.ts';
import { addDays, shanghaiDate } from '../../domain/time.ts';
import { seedSteeringDemo } from '../../seeds/demo-steering.ts';

let harness: CycleHarness;
let browsing: BrowserSession;

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => ({ ...createGridSteeringActivities({ orm: app.orm }), ...createMemberReportActivities({ orm: app.orm }) })),
    openBrowser('steering-member'),
  ]);
  harness = started;
  browsing = launched;
  const { app } = harness;
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('MD', '高新区', 'district', null);
  const streets = ['柳行街道', '越河街道', '古槐街道'].map((name, i) => unit(`MS${i + 1}`, name, 'street', district));
  const community = unit('MC1', '仙营社区', 'community', streets[0]!);
  unit('MC2', '洸河社区', 'community', streets[0]!);
  unit('MC3', '越河社区', 'community', streets[1]!);
  unit('OD', '任城区', 'district', null);
  const employer = em.create(Organization, { name: '济宁华宇科技有限公司', kind: 'non_public_enterprise', unit: streets[2]!, creditCode: '91370800MA3C000031',
    partyOrgName: '华宇科技党支部', responsiblePeople: [], address: null });
  em.create(Organization, { name: '区财政局', kind: 'resident_unit', unit: district, creditCode: null, partyOrgName: '区财政局党组', responsiblePeople: [], address: null });
  const member = em.create(Person, { name: '王甲', phone: '13800000001', title: '工程师', unit: streets[2]!, organization: employer, isPartyMember: true });
  const passwordHash = await hashPassword(PASSWORD);
  const account = (login: string, displayName: string, role: string | null, on: unknown, person: unknown = null) => {
    const made = em.create(Account, { login, displayName, passwordHash, person } as never);
    if (role) em.create(RoleAssignment, { account: made, role, unit: on, organization: null } as never);
  };
  account('orgdept', '高新区委组织部', 'org_department', district);
  account('street1', '柳行街道党工委', 'street_committee', streets[0]);
  account('street2', '越河街道党工委', 'street_committee', streets[1]);
  account('community', '仙营社区党委', 'community_committee', community);
  account('member', '王甲', null, null, member);
  await em.flush();
  await browsing.serve(app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await harness?.close();
});

const step = <T>(name: string, run: () => Promise<T>) => browsing.step(name, run);
const signIn = (login: string) => browsing.signIn(login);

describe('双报到 self-registration and 月调度、季督导 (browser)', () => {
  it('a member picks a community and reports to it; the community confirms', async () => {
    const member = await signIn('member');
    await step('pick a community', async () => {
      await member.locator('::-p-text(我要报到)').click();
      await member.waitForSelector('[data-test=community-table]');
      await waitText(member, '越河社区', '[data-test=community-table]');
      await choose(member, '[data-test=area-select]', '高新区 柳行街道');
      await member.locator('input[data-test=community-name]').fill('仙营');
      await member.locator('[data-test=community-search]').click();
      await waitText(member, '共 1 条');
      const table = await text(member, '[data-test=community-table]');
      expect(table).toContain('仙营社区党组织');
      expect(table).not.toContain('越河社区');
      await look(member, 'member-join-picker');
      await member.locator('[data-join-community=仙营社区]').click();
      await member.locator('input[data-test=join-skills]').fill('法律咨询');
      await member.locator('[data-test=join-submit]').click();
      await waitText(member, '已向 仙营社区 报到，等待社区党组织确认', '[data-test=join-message]');
      await waitText(member, '待确认', '[data-test=my-registrations]');
      await look(member, 'member-join-reported');
    });
    const community = await signIn('community');
    await step('the community confirms', async () => {
      await community.goto(`${browsing.base}/dual-reports`);
      await community.locator('[data-confirm-member=王甲]').click();
      await waitText(community, '王甲 的报到已确认');
    });
    await step('the member sees it confirmed', async () => {
      await member.reload();
      await waitText(member, '已确认', '[data-test=my-registrations]');
      expect(await text(member, '[data-test=community-table]')).toContain('已报到');
    });
  }, 240_000);

  it('the demo tasks are set; the street reports a month, the department records a finding and exports the list', async () => {
    const clock = clockOf(harness.app.orm.em);
    expect(await seedSteeringDemo({ orm: harness.app.orm, temporal: harness.env.client, clock, config: harness.app.config })).toBe(4);
    const street = await signIn('street1');
    await step('a month\'s progress report', async () => {
      await street.locator('::-p-text(月调度季督导)').click();
      await waitText(street, '老旧小区改造', '[data-test=task-table]');
      await clickUntil(street, '[data-test=task-table] ::-p-text(老旧小区改造)', '[data-test=report-form]');
      const month = shanghaiDate(clock.now()).slice(0, 7);
      await choose(street, '[data-test=report-month]', `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`);
      await retype(street, '[data-test=report-form] .el-input-number input', '40');
      await street.locator('textarea[data-test=report-content]').fill('完成3个小区外立面改造');
      await street.locator('[data-test=report-submit]').click();
      await waitText(street, '40% 完成3个小区外立面改造', `[data-test=month-${month}]`);
      await look(street, 'steering-month-reported');
    });
    const dept = await signIn('orgdept');
    await step('a quarterly finding', async () => {
      await dept.goto(`${browsing.base}/grid-steering`);
      await waitText(dept, '背街小巷环境整治', '[data-test=task-table]');
      await clickUntil(dept, '[data-test=task-table] ::-p-text(老旧小区改造)', '[data-test=finding-form]');
      await waitText(dept, '40%');
      await dept.locator('[data-test=finding-form] textarea').fill('居民意见征询不充分');
      await retype(dept, '[data-test=finding-form] .el-date-editor input', addDays(shanghaiDate(clock.now()), 15));
      await dept.keyboard.press('Enter');
      await dept.locator('[data-test=finding-form] ::-p-text(记录问题)').click();
      await waitText(dept, '居民意见征询不充分', '[data-test=findings]');
      await look(dept, 'steering-finding-recorded');
    });
    await step('the list as Excel', async () => {
      await dept.goto(`${browsing.base}/grid-steering`);
      await waitText(dept, '社区服务专项经费拨付', '[data-test=task-table]');
      await look(dept, 'steering-list');
      const saved = await download(dept, '[data-test=export]');
      expect(saved.name).toBe('月调度季督导任务.xlsx');
      const rows = byHeader(await readXlsx(saved.bytes));
      expect(rows.map((r) => r['任务']).sort()).toEqual(['社区服务专项经费拨付', '网格员队伍建设', '老旧小区改造', '背街小巷环境整治'].sort());
      expect(rows.find((r) => r['任务'] === '老旧小区改造')).toMatchObject({ 责任单位: '柳行街道', 进度: 0.4, 待整改问题: 1 });
      expect(rows.find((r) => r['任务'] === '背街小巷环境整治')).toMatchObject({ 责任单位: '越河街道', 进度: 0.3, 待整改问题: 1 });
    });
  }, 240_000);
});
