// Issue 19's nomination, voting and 述职 pages in headless Chromium on the time-skipping harness, as each role:
// 最美网格员 — the department starts a round of the shipped scheme from the pages; a community nominates its two grid
// workers (a reason too short is refused next to the field, in Chinese); the department accepts one and refuses the
// other (without a reason refused next to the field, then with one); when the stage ends the accepted one is the
// round's only subject. 述职评议 — the department starts a round and names a 党员代表 who holds no role; a secretary
// files the 述职 (an empty 必答题 is refused next to it), the representative finds the round under 我的投票, reads the
// 述职, votes once on each secretary (已投票 after; a second vote from a stale tab is refused in Chinese) and the
// department sees the progress, votes, closes scoring and signs off: both secretaries ranked with their grades.
// Every page is photographed at 1366 px and at 375 px into test-screenshots/ (schemepages-*.png).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import { unitMaker } from '../support/fixtures.ts';
import { settleOverlays } from '../support/browser.ts';
import { createAssessmentActivities } from '../../activities/assessment.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { Person } from '../../domain/entities/person.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { projectRoot } from '../../config/config.ts';

declare const location: { pathname: string };

const PASSWORD = 'Demo@2026';
const DAY = 86_400_000;
const shots = path.join(projectRoot, 'test-screenshots');
let harness: CycleHarness;
let browser: Browser;
let base = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createAssessmentActivities({ orm: app.orm })),
    resolveExecutablePath().then(launchBrowser),
  ]);
  harness = started;
  browser = launched;
  const { app } = harness;
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('PD', '高新区', 'district', null);
  const street = unit('PS1', '柳行街道', 'street', district);
  const c1 = unit('PC1', '仙营社区', 'community', street);
  const c2 = unit('PC2', '洸河社区', 'community', street);
  const g1 = unit('PG1', '仙营社区第一网格', 'grid', c1);
  const g2 = unit('PG2', '仙营社区第二网格', 'grid', c1);
  const passwordHash = await hashPassword(PASSWORD);
  const account = (login: string, displayName: string, role: string | null, on: unknown, person: unknown = null) => {
    const made = em.create(Account, { login, displayName, passwordHash, person } as never);
    if (role) em.create(RoleAssignment, { account: made, role, unit: on, organization: null } as never);
  };
  account('orgdept', '高新区委组织部', 'org_department', district);
  account('sec1', '张书记', 'community_committee', c1);
  account('sec2', '李书记', 'community_committee', c2);
  account('grid1', '网格员赵', 'community_committee', g1);
  account('grid2', '网格员钱', 'community_committee', g2);
  // 党员代表: a person of 仙营社区 with an account and no role at all.
  account('rep1', '王代表', null, null, em.create(Person, { name: '王代表', phone: null, title: null, unit: c1, organization: null } as never));
  await em.flush();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await mkdir(shots, { recursive: true });
    const pages = (await Promise.all(contexts.map((c) => c.pages()))).flat();
    const file = (i: number) => path.join(shots, `ballot-${name.replace(/\W+/g, '_')}-${i}.png`) as `${string}.png`;
    await Promise.all(pages.map((p, i) => p.screenshot({ path: file(i), fullPage: true }).catch(() => undefined)));
    throw new Error(`step "${name}" failed (screenshots in ${shots}): ${(error as Error).message}`, { cause: error });
  }
}
async function signIn(login: string): Promise<Page> {
  const context = await browser.createBrowserContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.setViewport({ width: 1366, height: 860 });
  await page.goto(`${base}/login`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('[data-test=sign-in]').click();
  await page.waitForFunction(() => location.pathname === '/todo');
  return page;
}
const text = (page: Page, selector = 'body') => page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText);
async function untilText(page: Page, wanted: string, selector = 'body', reload = false) {
  for (let i = 0; i < 120; i++) {
    if ((await text(page, selector).catch(() => '')).includes(wanted)) return;
    await new Promise((r) => setTimeout(r, 500));
    if (reload && i % 4 === 3) await page.reload({ waitUntil: 'networkidle0' });
  }
  throw new Error(`"${wanted}" did not appear in ${selector}`);
}
const fill = async (page: Page, selector: string, value: string) => {
  await page.locator(selector).fill('');
  await page.locator(selector).fill(value);
};
/** The option `label` of the select in `cell` (typing `search` first for a remote one), from the open dropdown only. */
async function choose(page: Page, cell: string, label: string, search?: string) {
  await page.locator(`${cell} .el-select__wrapper`).click();
  if (search) await page.keyboard.type(search);
  const option = `::-p-xpath(//div[contains(@class, "el-select__popper")][not(contains(@style, "display: none"))]`
    + `//li[contains(@class, "el-select-dropdown__item")][starts-with(normalize-space(.), "${label}")])`;
  // The dropdown slides in (and a remote one re-renders when its search answers): click until the select shows the choice.
  for (let attempt = 0; ; attempt++) {
    await page.waitForSelector(option, { visible: true });
    await new Promise((r) => setTimeout(r, 500));
    await page.locator(option).click();
    await new Promise((r) => setTimeout(r, 400));
    if ((await text(page, `${cell} .el-select__wrapper`)).includes(label)) return;
    if (attempt === 3) throw new Error(`${cell} did not take "${label}"`);
  }
}
/** A radio button of a group by its exact label. */
const radio = (group: string, label: string) => `::-p-xpath(//*[@data-test="${group}"]//label[normalize-space(.)="${label}"])`;
/**
 * The page at 1366 px, and its address at 375 px (a phone) in a tab of the same session: resizing the page itself
 * would swap the console's layout and lose an open dialog. Into test-screenshots/schemepages-<name>-{pc,phone}.png.
 */
async function shoot(page: Page, name: string) {
  await mkdir(shots, { recursive: true });
  await new Promise((r) => setTimeout(r, 400));
  await page.screenshot({ path: path.join(shots, `schemepages-${name}-pc.png`) as `${string}.png`, fullPage: true });
  const phone = await page.browserContext().newPage();
  await phone.setViewport({ width: 375, height: 740, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  await phone.goto(page.url(), { waitUntil: 'networkidle0' });
  await new Promise((r) => setTimeout(r, 600));
  await phone.screenshot({ path: path.join(shots, `schemepages-${name}-phone.png`) as `${string}.png`, fullPage: true });
  await phone.close();
}
async function startRound(dept: Page, scheme: string): Promise<string> {
  await dept.goto(`${base}/assessments/schemes`);
  await untilText(dept, scheme, '[data-test=scheme-table]');
  await dept.locator(`::-p-xpath(//tr[contains(., "${scheme}")]//button[contains(., "发起考核")])`).click();
  await untilText(dept, scheme, '[data-test=round-scheme]');
  await choose(dept, '[data-test=round-unit]', '高新区');
  await fill(dept, 'input[data-test=round-period]', '2026年度');
  await dept.locator('[data-test=start-round]').click();
  await dept.waitForFunction(() => /^\/assessments\/rounds\/[0-9a-f-]{36}$/.test(location.pathname));
  return dept.evaluate(() => location.pathname);
}

describe('nominations, named voters and 述职 through the pages (browser)', () => {
  it('runs a 最美网格员 nomination stage and a 述职评议 round to its results as each role', async () => {
    const dept = await signIn('orgdept');
    const beauty = await step('the department starts 最美网格员', async () => {
      const at = await startRound(dept, '最美网格员评选');
      await untilText(dept, '推荐提名', '[data-test=round-stage]');
      await untilText(dept, '暂无推荐', '[data-test=nomination-table]');
      return at;
    });

    const sec1 = await signIn('sec1');
    await step('the community nominates its grid workers', async () => {
      await sec1.goto(`${base}${beauty}`);
      await sec1.locator('[data-test=nominate]').click();
      await choose(sec1, '[data-test=nominate-unit]', '仙营社区第一网格');
      await choose(sec1, '[data-test=nominate-person]', '网格员赵');
      await fill(sec1, 'textarea[data-test=nominate-reason]', '好');
      await sec1.locator('[data-test=nominate-submit]').click();
      await untilText(sec1, '请填写推荐理由（5 到 500 字）', '.el-dialog');
      await shoot(sec1, 'nominate-dialog');
      await fill(sec1, 'textarea[data-test=nominate-reason]', '扎根网格八年，化解邻里纠纷三十余起');
      await sec1.locator('[data-test=nominate-submit]').click();
      await untilText(sec1, '已提交推荐', '[data-test=nomination-message]');
      // The closed dialog's overlay fades out: a click during the fade lands on it and opens nothing.
      await settleOverlays(sec1);
      await sec1.locator('[data-test=nominate]').click();
      await choose(sec1, '[data-test=nominate-unit]', '仙营社区第二网格');
      await choose(sec1, '[data-test=nominate-person]', '网格员钱');
      await fill(sec1, 'textarea[data-test=nominate-reason]', '疫情期间坚守一线，服务独居老人');
      await sec1.locator('[data-test=nominate-submit]').click();
      await untilText(sec1, '网格员钱', '[data-test=nomination-table]');
      expect(await text(sec1, '[data-test=nomination-table]')).toMatch(/网格员赵[\s\S]*社区推荐[\s\S]*待审核[\s\S]*网格员钱/);
    });

    await step('the department accepts one and refuses the other with a reason', async () => {
      await dept.reload();
      await untilText(dept, '网格员钱', '[data-test=nomination-table]');
      await dept.locator('[data-test=accept-网格员赵]').click();
      await untilText(dept, '已通过', '[data-test=nomination-status-网格员赵]');
      await settleOverlays(dept);
      await dept.locator('[data-test=refuse-网格员钱]').click();
      await dept.locator('[data-test=refuse-submit]').click();
      await untilText(dept, '不予通过须填写理由', '.el-dialog');
      await fill(dept, 'textarea[data-test=refuse-reason]', '事迹材料不全，请补充后参加下一年度评选');
      await dept.locator('[data-test=refuse-submit]').click();
      await untilText(dept, '未通过', '[data-test=nomination-status-网格员钱]');
      await untilText(dept, '事迹材料不全', '[data-test=nomination-table]');
      await shoot(dept, 'nomination-review');
      await harness.env.sleep(10 * DAY + 60_000);
      await untilText(dept, '评分中', '[data-test=round-stage]', true);
      const subjects = await text(dept, '[data-test=subject-table]');
      expect(subjects).toContain('网格员赵');
      expect(subjects).not.toContain('网格员钱');
    });

    const review = await step('the department starts 述职评议 and names a 党员代表', async () => {
      const at = await startRound(dept, '社区党组织书记年终述职评议');
      await untilText(dept, '评分中', '[data-test=round-stage]');
      await untilText(dept, '尚未设置投票人', '[data-test=voter-table-party_reps]');
      await dept.locator('[data-test=set-voters-party_reps]').click();
      await choose(dept, '[data-test=voter-select]', '王代表', '王');
      // Escape would close the dialog with the dropdown: click its title to close the dropdown.
      await dept.locator('::-p-xpath(//span[contains(@class, "el-dialog__title")][contains(., "设置党员代表")])').click();
      await dept.locator('[data-test=voters-submit]').click();
      await untilText(dept, '0 / 2', '[data-test=voted-rep1]');
      return at;
    });

    await step('the secretary files the 述职 with every 必答题', async () => {
      await sec1.goto(`${base}${review}`);
      await sec1.locator('[data-test="score-张书记-self"]').click();
      await fill(sec1, 'textarea[data-test=report-text-input]', '本年度，仙营社区党委围绕建强网格党支部、推进红色物业和为民服务，'.repeat(4));
      await fill(sec1, 'textarea[data-test=report-answer-input-0]', '建立网格党支部八个，党员联系户全覆盖');
      await fill(sec1, 'textarea[data-test=report-answer-input-2]', '明年推进小区业委会全覆盖');
      await sec1.locator('[data-test=submit-scores]').click();
      await untilText(sec1, '必答题不能为空', '[data-test=report-answer-error-1]');
      await shoot(sec1, 'report-filing');
      await fill(sec1, 'textarea[data-test=report-answer-input-1]', '老旧小区物业矛盾较多');
      await sec1.locator('[data-test=submit-scores]').click();
      await untilText(sec1, '述职报告已提交', '[data-test=round-message]');
    });

    const rep = await signIn('rep1');
    await step('the 党员代表 reads the 述职 and votes once on each', async () => {
      await rep.locator('::-p-xpath(//li[contains(., "我的投票")])').click();
      await untilText(rep, '社区党组织书记年终述职评议', '[data-test=ballot-rounds]');
      expect(await text(rep, '[data-test=ballot-rounds]')).toContain('0 / 2');
      await shoot(rep, 'ballot-list');
      await rep.locator('[data-test="open-ballot-社区党组织书记年终述职评议"]').click();
      await untilText(rep, '张书记', '[data-test="ballot-张书记"]');
      const stale = await rep.browserContext().newPage();
      await stale.setViewport({ width: 1366, height: 860 });
      await stale.goto(rep.url());
      await untilText(stale, '李书记', '[data-test="ballot-李书记"]');
      await rep.locator('[data-test="read-report-张书记"]').click();
      await untilText(rep, '老旧小区物业矛盾较多', '[data-test=report-dialog]');
      expect(await text(rep, '[data-test=report-dialog]')).toContain('必答题 2：网格化治理与为民服务中存在的突出问题');
      await shoot(rep, 'report-reading');
      await rep.keyboard.press('Escape');
      await rep.waitForSelector('[data-test=report-dialog]', { hidden: true });
      await settleOverlays(rep);
      await rep.locator(radio('choices-张书记-overall', '较好')).click();
      await rep.locator('[data-test="vote-张书记"]').click();
      await untilText(rep, '已投票', '[data-test="ballot-张书记"]');
      await rep.locator(radio('choices-李书记-overall', '好')).click();
      await rep.locator('[data-test="vote-李书记"]').click();
      await untilText(rep, '已投票', '[data-test="ballot-李书记"]');
      await shoot(rep, 'ballot');
      // The stale tab still offers the vote: the second one is refused, in Chinese.
      await stale.locator(radio('choices-张书记-overall', '差')).click();
      await stale.locator('[data-test="vote-张书记"]').click();
      await untilText(stale, '您已对该对象投过票', '[data-test=ballot-message]');
      await untilText(stale, '较好', '[data-test="ballot-张书记"]');
      // A 党员代表 reaches nothing else: the round's own page is not its.
      await rep.goto(`${base}${review}`);
      await untilText(rep, '我的投票');
      expect(await rep.$('[data-test=subject-table]')).toBeNull();
    });

    await step('the department sees the progress, votes, closes scoring and signs off', async () => {
      await dept.goto(`${base}${review}`);
      await untilText(dept, '已全部投票', '[data-test=voted-rep1]');
      await shoot(dept, 'round-voters');
      for (const name of ['张书记', '李书记']) {
        await settleOverlays(dept);
        await dept.locator(`[data-test="score-${name}-department"]`).click();
        await dept.locator(radio('choice-overall', '好')).click();
        await dept.locator('[data-test=submit-scores]').click();
        await untilText(dept, `已对 ${name} 投票`, '[data-test=round-message]');
      }
      await settleOverlays(dept);
      await dept.locator('[data-test="report-张书记"]').click();
      await untilText(dept, '建立网格党支部八个', '[data-test=report-dialog]');
      await dept.keyboard.press('Escape');
      // The dialog's overlay fades out: a click during the fade lands on it.
      await dept.waitForSelector('[data-test=report-dialog]', { hidden: true });
      await settleOverlays(dept);
      await dept.locator('[data-test=close-scoring]').click();
      await untilText(dept, '评分已结束', '[data-test=round-message]');
      await untilText(dept, '审核签批', '[data-test=round-stage]', true);
      await settleOverlays(dept);
      await dept.locator('[data-test=sign-off]').click();
      await untilText(dept, '公示中', '[data-test=round-stage]', true);
      const results = await text(dept, '[data-test=subject-table]');
      // 李书记: 好 by both (100); 张书记: 较好 by the representative (weight 60), 好 by the department (30): 86.67.
      expect(results).toMatch(/1\s+李书记[\s\S]*100\.00\s+好[\s\S]*2\s+张书记[\s\S]*86\.67\s+较好/);
      await shoot(dept, 'round-results');
    });
  }, 600_000);
});
