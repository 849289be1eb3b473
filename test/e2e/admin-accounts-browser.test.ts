// Accounts, evaluator assignments and catalogs (issue 17.6) in headless Chromium: the department
// grants 甲街道's committee the evaluator role and is refused, in Chinese naming the field, when
// it tries to grant a role to its own account; a street assigns its organizations to an
// evaluator in one go; the department publishes a new version of the dual-commitment catalog.
// Needs web/dist (npm run build:web). WEB_DOC_SCREENSHOTS=1 saves each page under docs/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PASSWORD, buildWorld, type World } from '../support/fixtures.ts';
import { docShot as shot, openBrowser, settleOverlays as settle, waitNoText, waitText, type BrowserSession } from '../support/browser.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { CatalogVersion } from '../../domain/entities/catalog-version.ts';

declare const document: { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> };

let app: TestApp;
let world: World;
let browsing: BrowserSession;

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestApp(), openBrowser('admin-accounts')]);
  app = started;
  browsing = launched;
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  for (const n of [1, 2, 3]) {
    em.create(Organization, { name: `考核企业${n}号`, kind: 'non_public_enterprise', unit: world.communityA, creditCode: null, partyOrgName: null, responsiblePeople: [], address: null } as never);
  }
  await em.flush();
  await browsing.serve(app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await app?.close();
});

/** The fixtures' accounts have the fixtures' password. */
const signIn = (login: string) => browsing.signIn(login, { password: PASSWORD });
/** With WEB_DOC_SCREENSHOTS=1: the window as seen, into docs/. */
const docShot = (page: Page, name: string) => shot(page, name, { fullPage: false });
const em = () => app.orm.em.fork() as EntityManager;
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
    await waitNoText(page, 'communityA', '[data-test=accounts]');
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
