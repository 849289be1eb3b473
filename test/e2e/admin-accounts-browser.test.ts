// Accounts, evaluator assignments and catalogs (issue 17.6) in headless Chromium: the department
// grants 甲街道's committee the evaluator role and is refused, in Chinese naming the field, when
// it tries to grant a role to its own account; a street assigns its organizations to an
// evaluator in one go; the department publishes a new version of the dual-commitment catalog.
// Needs web/dist (npm run build:web). WEB_DOC_SCREENSHOTS=1 saves each page under docs/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PASSWORD, buildWorld, type World } from '../support/fixtures.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { CatalogVersion } from '../../domain/entities/catalog-version.ts';
import { projectRoot } from '../../config/config.ts';

declare const location: { pathname: string };
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
  fonts: { ready: Promise<unknown> };
};

let app: TestApp;
let world: World;
let browser: Browser;
let base = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestApp(), resolveExecutablePath().then(launchBrowser)]);
  app = started;
  browser = launched;
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  for (const n of [1, 2, 3]) {
    em.create(Organization, { name: `考核企业${n}号`, kind: 'non_public_enterprise', unit: world.communityA, creditCode: null, partyOrgName: null, responsiblePeople: [], address: null } as never);
  }
  await em.flush();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signIn(login: string): Promise<Page> {
  const context = await browser.createBrowserContext();
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
async function waitText(page: Page, wanted: string, selector = 'body') {
  try {
    await page.waitForFunction((s, w) => Boolean(document.querySelector(s)?.textContent?.includes(w)), {}, selector, wanted);
  } catch (error) {
    const body = await page.evaluate(() => document.querySelector('body')?.textContent ?? '');
    throw new Error(`"${wanted}" not in ${selector} at ${page.url()}; the page says: ${body.slice(0, 600)}`, { cause: error });
  }
}
async function docShot(page: Page, name: string) {
  if (!process.env.WEB_DOC_SCREENSHOTS) return;
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: path.join(projectRoot, 'docs', `web-${name}.png`) as `${string}.png` });
}
const em = () => app.orm.em.fork() as EntityManager;
/** Waits until no dialog or its fading overlay covers the page (a click there would land on the overlay). */
async function settle(page: Page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.el-overlay')].every((o) => (o as unknown as { style: { display: string } }).style.display === 'none'));
}
/** Picks the option of the open select (Element Plus's dropdown) whose text is exactly `text`, scrolled into view first. */
async function pick(page: Page, text: string) {
  await page.waitForFunction((t) => {
    type Option = { textContent: string | null; offsetParent: unknown; scrollIntoView(a: object): void; click(): void };
    const option = ([...document.querySelectorAll('.el-select-dropdown__item')] as unknown as Option[]).find((o) => o.textContent?.trim() === t && o.offsetParent !== null);
    if (!option) return false;
    option.scrollIntoView({ block: 'center' });
    option.click();
    return true;
  }, {}, text);
}

describe('accounts and role grants', () => {
  it('the department grants a street committee account the evaluator role, and is refused in Chinese for its own account', async () => {
    const page = await signIn('orgDept');
    await page.locator('[data-menu=admin-accounts]').click();
    await waitText(page, 'streetA', '[data-test=accounts]');
    await page.$eval('[data-test=grant-streetA]', (b) => (b as unknown as { click(): void }).click());
    await page.locator('[data-test=grant-role]').click();
    // Roles above the department's own are listed but cannot be picked.
    await waitText(page, '组织部（无权授予）');
    await pick(page, '考核组');
    await docShot(page, 'admin-account-grant');
    await page.locator('[data-test=grant-save]').click();
    await page.waitForSelector('[data-role="streetA:evaluator"]');
    await settle(page);
    expect(await em().count(RoleAssignment, { account: world.accounts.streetA, role: 'evaluator' })).toBe(1);

    // Its own account: the API refuses (nobody grants themselves more), the dialog says why.
    await page.$eval('[data-test=grant-orgDept]', (b) => (b as unknown as { click(): void }).click());
    await page.locator('[data-test=grant-role]').click();
    await pick(page, '考核组');
    await page.locator('[data-test=grant-save]').click();
    await page.waitForSelector('[data-test=grant-refusal]');
    const refusal = await page.$eval('[data-test=grant-refusal]', (e) => e.textContent ?? '');
    expect(refusal).toContain('您的角色无权进行此操作');
    expect(refusal).toContain('账号：不能修改自己账号的角色、启用状态或密码');
    await docShot(page, 'admin-account-refusal');
    expect(await em().count(RoleAssignment, { account: world.accounts.orgDept, role: 'evaluator' })).toBe(0);
    await page.keyboard.press('Escape');
    await settle(page);

    // The list narrows to one role.
    await page.locator('[data-test=account-role]').click();
    await pick(page, '街道党工委');
    await page.waitForFunction(() => !document.querySelector('[data-test=accounts]')?.textContent?.includes('communityA'));
    await waitText(page, 'streetB', '[data-test=accounts]');
    await docShot(page, 'admin-accounts');
  }, 180_000);
});

describe('evaluator assignments', () => {
  it('a street assigns every organization it ticks to one evaluator in one go; the one already assigned is counted', async () => {
    const page = await signIn('streetA');
    await page.locator('[data-menu=admin-evaluators]').click();
    await waitText(page, 'evaluatorA', '[data-test=evaluators]');
    await waitText(page, '甲科技有限公司', '[data-test=assignments]');
    await page.locator('[data-test=bulk-assign]').click();
    await waitText(page, '考核企业3号', '[data-test=assign-orgs]');
    await page.locator('[data-test=assign-evaluator]').click();
    await pick(page, 'evaluatorA（evaluatorA）');
    await page.locator('[data-test=assign-page]').click();
    await waitText(page, '已选 4 个组织', '[data-test=assign-selected]');
    await docShot(page, 'admin-evaluator-assign');
    await page.locator('[data-test=assign-save]').click();
    await waitText(page, '已分配 3 个组织，1 个此前已分配');
    await waitText(page, '考核企业2号', '[data-test=assignments]');
    expect(await em().count(EvaluatorAssignment, { account: world.accounts.evaluatorA })).toBe(4);
    await docShot(page, 'admin-evaluators');
  }, 120_000);
});

describe('catalogs and their versions', () => {
  it('the department publishes a new version of the dual-commitment catalog from the shown one', async () => {
    const page = await signIn('orgDept');
    await page.locator('[data-menu=admin-catalogs]').click();
    await waitText(page, '思想政治引领', '[data-test=catalog-detail]');
    await docShot(page, 'admin-catalogs');
    await page.locator('[data-test=new-version]').click();
    const first = await page.waitForSelector('[data-test=catalog-editor] .item input');
    await first!.click({ count: 3 });
    await first!.type('组织职工学习党的创新理论，每季度不少于一次');
    await page.locator('[data-test=catalog-publish]').click();
    await waitText(page, '已发布第 2 版');
    await waitText(page, '每季度不少于一次', '[data-test=catalog-detail]');
    const latest = await em().findOneOrFail(CatalogVersion, { kind: 'dual_commitment' }, { orderBy: { version: 'desc' } });
    expect(latest.version).toBe(2);
    expect(JSON.stringify(latest.content)).toContain('每季度不少于一次');
  }, 120_000);
});
