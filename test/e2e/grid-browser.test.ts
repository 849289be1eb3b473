// Issue 18's "done when" through the web pages, in headless Chromium on the time-skipping
// harness: a resident reports a matter through the grid's QR page on a phone-sized screen with a
// mobile number; nobody answers, so it climbs from the grid to the community and the street
// (time skipped); the street accepts and answers it in the console; the resident rates it
// satisfied on the follow page; the 文明积分 appear on the community's accounts page and are
// exchanged in the 积分兑换超市 (goods put on the shelf, reserved, handed over); the statement
// and the dashboard count them. A failing step saves screenshots of every open page under
// test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import { PASSWORD, openBrowser, reloadUntilText, text, waitText, type BrowserSession } from '../support/browser.ts';
import { unitMaker } from '../support/fixtures.ts';
import { createGridMatterActivities } from '../../activities/grid-matter.ts';
import { gridMatterWorkflowId } from '../../domain/grid-matter/contracts.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { shanghaiDate } from '../../domain/time.ts';

declare const document: { documentElement: { scrollWidth: number } };

const HOUR = 3_600_000;
const PHONE = '13912345678';

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let browsing: BrowserSession;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const [started, launched] = await Promise.all([startCycleHarness((app) => createGridMatterActivities({ orm: app.orm })), openBrowser('grid')]);
  harness = started;
  browsing = launched;
  env = harness.env;
  const { app } = harness;
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('ED', '高新区', 'district', null);
  const street = unit('ES', '柳行街道', 'street', district);
  const community = unit('EC', '仙营社区', 'community', street);
  const grid = unit('EG', '第一网格', 'grid', community);
  Object.assign(ids, { district: district.id, street: street.id, community: community.id, grid: grid.id });
  const passwordHash = await hashPassword(PASSWORD);
  const grant = (login: string, displayName: string, role: string, on: unknown) => {
    const account = em.create(Account, { login, displayName, passwordHash } as never);
    em.create(RoleAssignment, { account, role, unit: on, organization: null } as never);
  };
  grant('dept', '高新区委组织部', 'org_department', district);
  grant('street', '柳行街道党工委', 'street_committee', street);
  grant('community', '仙营社区党委', 'community_committee', community);
  grant('gridworker', '第一网格网格员', 'community_committee', grid);
  await em.flush();
  await browsing.serve(app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await harness?.close();
});

/**
 * Clicks a button inside a table through the page: the "已上架" notice appears above the table just
 * after the row does and moves it down, so a pointer click aimed a moment earlier can land beside it.
 */
async function clickInPage(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(selector, (el) => (el as unknown as { click(): void }).click());
}

const step = <T>(name: string, run: () => Promise<T>) => browsing.step(name, run);
const newPage = (phone = false) => browsing.newPage({ phone });
const signIn = (login: string) => browsing.signIn(login);
async function apiAs(login: string, method: string, url: string, payload?: unknown) {
  const { app } = harness;
  const session = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login, password: PASSWORD } });
  const headers = { authorization: `Bearer ${session.json().accessToken}` };
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers });
  return response.json() as Record<string, unknown>;
}

describe('a resident\'s matter climbs to the street, closes, and its points are exchanged (browser)', () => {
  it('walks issue 18\'s "done when" through the pages', async () => {
    // The grid worker prints the grid's QR code (the link it holds); the buildings are named.
    await apiAs('gridworker', 'PUT', `/grid-matters/grids/${ids.grid}/buildings`, { buildings: ['1号楼', '2号楼', '3号楼'] });
    const link = await apiAs('gridworker', 'POST', `/grid-matters/grids/${ids.grid}/report-link`);
    expect(link.path).toMatch(/^\/public\/grid-report\//);

    const phone = await newPage(true);
    const followPath = await step('report on a phone', async () => {
      await phone.goto(`${browsing.base}${link.path as string}`);
      await phone.waitForSelector('[data-test=grid-report-form]');
      expect(await text(phone)).toContain('第一网格');
      await phone.locator('[data-test=category] ::-p-text(环境卫生)').click();
      await phone.locator('textarea[data-test=description]').fill('3号楼门口垃圾三天未清运');
      // A wrong number is named in Chinese before anything is filed.
      await phone.locator('input[data-test=phone]').fill('123');
      await phone.locator('[data-test=send-report]').click();
      await phone.waitForSelector('[data-test=phone-error]');
      await phone.locator('input[data-test=phone]').fill(PHONE);
      await phone.locator('[data-test=send-report]').click();
      await phone.waitForSelector('[data-test=grid-report-sent]');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await phone.locator('[data-test=follow-link]').click();
      await phone.waitForSelector('[data-test=level-name]');
      expect(await text(phone, '[data-test=level-name]')).toBe('小区党支部');
      return new URL(phone.url()).pathname;
    });
    expect(followPath).toMatch(/^\/public\/grid-matters\//);

    await step('nobody answers: it climbs to the street', async () => {
      await env.sleep(97 * HOUR);
      await reloadUntilText(phone, '街道党工委', '[data-test=matter-status]');
    });

    const street = await signIn('street');
    await step('the street accepts and answers it in the console', async () => {
      await street.locator('[data-menu=grid-inbox]').click();
      await waitText(street, '3号楼门口垃圾', '[data-test=matter-table]');
      await street.locator('[data-test=matter-table] .el-table__row').click();
      await street.waitForSelector('[data-test=accept]');
      await street.locator('[data-test=accept]').click();
      await street.waitForSelector('[data-test=accept]', { hidden: true });
      // An empty answer is refused by the API; the page says why under the field, in Chinese.
      await street.locator('[data-test=answer]').click();
      await waitText(street, '不能为空', '[data-test=answer-error]');
      await street.locator('textarea[data-test=answer-text]').fill('街道协调环卫所已清运');
      await street.locator('[data-test=answer]').click();
      await street.waitForSelector('[data-test=matter-actions]', { hidden: true });
      expect(await text(street, 'h2')).toContain('待评价');
      const timeline = await text(street, '[data-test=timeline]');
      expect(timeline).toContain('逾期升级');
      expect(timeline).toContain('答复');
    });

    await step('the resident rates it satisfied', async () => {
      await reloadUntilText(phone, '街道协调环卫所已清运', '[data-test=matter-answer]');
      await phone.locator('[data-test=rate-satisfied]').click();
      await phone.waitForSelector('[data-test=rated]');
    });

    const community = await signIn('community');
    await step('the 文明积分 are on the resident\'s account', async () => {
      await community.goto(`${browsing.base}/points-desk/accounts?kind=resident`);
      await reloadUntilText(community, PHONE, '[data-test=account-table]');
      const row = await text(community, '[data-test=account-table] .el-table__row');
      expect(row.split(/\s+/)).toEqual(expect.arrayContaining([PHONE, '仙营社区', '5']));
      await community.locator('[data-test=account-table] .el-table__row').click();
      await waitText(community, '办结（满意）', '[data-test=ledger-table]');
      expect(await text(community, '[data-test=account-detail]')).not.toContain('与余额不符');
    });

    await step('the community shelves goods and the resident exchanges the points', async () => {
      await community.goto(`${browsing.base}/points-desk/shop`);
      await community.locator('[data-test=open-goods]').click();
      await community.locator('input[data-test=goods-name]').fill('洗衣液');
      await community.locator('[data-test=goods-price] input').fill('5');
      await community.locator('[data-test=goods-stock] input').fill('3');
      await community.locator('[data-test=submit-goods]').click();
      await waitText(community, '洗衣液', '[data-test=goods-table]');
      await clickInPage(community, '[data-exchange="洗衣液"]');
      await community.locator('input[data-test=exchange-phone]').fill(PHONE);
      await community.locator('[data-test=submit-exchange]').click();
      await waitText(community, '已预留', '[data-test=exchange-table]');
      expect(await text(community, '[data-test=shop-message]')).toContain('扣减 5 积分');
      await clickInPage(community, '[data-test=exchange-table] [data-handover]');
      await waitText(community, '已兑换', '[data-test=exchange-table]');
      // A second exchange finds no points left: the reason is said in Chinese.
      await community.locator('#tab-goods').click();
      await clickInPage(community, '[data-exchange="洗衣液"]');
      await community.locator('input[data-test=exchange-phone]').fill(PHONE);
      await community.locator('[data-test=submit-exchange]').click();
      await waitText(community, '积分余额不足', '[data-test=shop-message]');
    });

    await step('the statement and the dashboard count it', async () => {
      // The month the ledger wrote them in (the service's clock, which the harness does not move with the workflows' time).
      const exchanges = await apiAs('community', 'GET', '/points/exchanges');
      const month = shanghaiDate(new Date((exchanges.items as { createdAt: string }[])[0]!.createdAt)).slice(0, 7);
      await community.goto(`${browsing.base}/points-desk/statements?month=${month}`);
      await waitText(community, '仙营社区', '[data-test=statement-table]');
      const row = (await text(community, '[data-test=statement-table] .el-table__body .el-table__row')).split(/\s+/);
      // opening 0, earned 5, spent 5, returned 0, closing 0 (the row's last cell is its 下载PDF button)
      expect(row.filter((cell) => /^\d+$/.test(cell)).slice(-5)).toEqual(['0', '5', '5', '0', '0']);
      expect(row.at(-1)).toBe('下载PDF');
      await community.goto(`${browsing.base}/points-desk/dashboard`);
      await community.waitForSelector('[data-test=chart-months] canvas');
      expect(await text(community, '[data-test=chart-months] .el-table')).toContain(month);
    });

    const matters = await apiAs('dept', 'GET', '/grid-matters?status=closed');
    const closed = (matters.items as { number: string }[])[0]!;
    await harness.replay(gridMatterWorkflowId(closed.number));
  }, 300_000);
});
