// The administration pages in headless Chromium (issue 17.4/17.6): the department moves a
// community to another street on the administrative tree (with the confirmation), a street clerk
// imports organizations from an .xlsx file and sees them listed, sees only their street, and
// downloads the organizations as Excel, which opens with the imported rows. Needs web/dist
// (npm run build:web). WEB_DOC_SCREENSHOTS=1 saves each page under docs/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PASSWORD, buildWorld, type World } from '../support/fixtures.ts';
import { byHeader, readXlsx } from '../support/xlsx.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { projectRoot } from '../../config/config.ts';

declare const location: { pathname: string };
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
  fonts: { ready: Promise<unknown> };
};

let app: TestApp;
let world: World;
let browser: Browser;
let base = '';
let downloads = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestApp(), resolveExecutablePath().then(launchBrowser)]);
  app = started;
  browser = launched;
  world = await buildWorld(app);
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  downloads = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-downloads-'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
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

describe('administration pages', () => {
  it('the department moves a community to another street after confirming, and the tree shows it there', async () => {
    const page = await signIn('orgDept');
    await page.locator('[data-menu=admin-units]').click();
    await waitText(page, '甲社区', '[data-test=unit-tree]');
    await docShot(page, 'admin-units');
    await page.locator('[data-test=move-C-A]').click();
    await page.locator('[data-test=move-parent]').click();
    await page.locator('.el-select-dropdown__item ::-p-text(乙街道)').click();
    await page.locator('[data-test=move-save]').click();
    await waitText(page, '乙街道', '.el-message-box');
    await docShot(page, 'admin-unit-move');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await waitText(page, '已移动');
    const em = app.orm.em.fork();
    const moved = await em.findOneOrFail(AdministrativeUnit, { code: 'C-A' }, { populate: ['parent'] });
    expect(moved.parent?.getEntity().name).toBe('乙街道');
    // The tree shows 甲社区 under 乙街道 now: its node follows 乙街道's node.
    await page.waitForFunction(() => {
      const order = [...document.querySelectorAll('[data-unit]')].map((n) => n.getAttribute('data-unit'));
      return order.indexOf('C-A') > order.indexOf('S-B');
    });
    // Move it back so the street clerk below works in the world as built.
    await app.server.inject({ method: 'POST', url: `/units/${world.communityA.id}/move`, headers: { authorization: `Bearer ${world.tokens.orgDept}` }, payload: { parentId: world.streetA.id } });
  }, 120_000);

  it('a street clerk imports organizations from .xlsx with progress, sees only their street, and downloads the list as Excel', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('导入数据');
    sheet.addRow(['组织名称', '类型', '所属单位代码', '统一社会信用代码', '职工人数', '党员人数', '党组织类型', '党组织成立日期']);
    sheet.addRow(['鲁北重工有限公司', 'non_public_enterprise', 'C-A', '91370800MA3C000501', 88, 6, '党支部', new Date(Date.UTC(2018, 4, 4))]);
    sheet.addRow(['甲社区养老服务中心', 'social_organization', 'C-A', null, 12, 3, null, null]);
    const file = path.join(downloads, 'orgs.xlsx');
    await writeFile(file, Buffer.from(await book.xlsx.writeBuffer()));

    const page = await signIn('streetA');
    await page.locator('[data-menu=admin-organizations]').click();
    await waitText(page, '甲科技有限公司', '[data-test=orgs]');
    await page.locator('[data-test=import-orgs]').click();
    const input = await page.waitForSelector('[data-test=import-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.waitForSelector('[data-test=import-ok]');
    expect(await page.$eval('[data-test=import-job]', (e) => e.textContent)).toContain('导入成功，共 2 行');
    await docShot(page, 'admin-org-import');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-test=import-dialog]', { hidden: true });
    await waitText(page, '鲁北重工有限公司', '[data-test=orgs]');
    const listed = await page.$eval('[data-test=orgs]', (e) => e.textContent ?? '');
    expect(listed).toContain('甲社区养老服务中心');
    expect(listed).not.toContain('乙商贸有限公司');
    await docShot(page, 'admin-organizations');

    // Downloads of this browser context go to the folder (Chromium's own download behaviour).
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, browserContextId: (page.browserContext() as unknown as { id: string }).id });
    await page.locator('[data-test=export-orgs]').click();
    for (let i = 0; i < 300 && !(await readdir(downloads)).includes('组织名录.xlsx'); i++) await new Promise((r) => setTimeout(r, 100));
    const saved = (await readdir(downloads)).find((f) => f.endsWith('.xlsx') && f !== 'orgs.xlsx');
    expect(saved).toBe('组织名录.xlsx');
    const exported = await readXlsx(await readFile(path.join(downloads, saved!)));
    const names = byHeader(exported).map((r) => r['组织名称']);
    expect(names).toEqual(expect.arrayContaining(['鲁北重工有限公司', '甲社区养老服务中心', '甲科技有限公司']));
    expect(names).not.toContain('乙商贸有限公司');
    expect(byHeader(exported).find((r) => r['组织名称'] === '鲁北重工有限公司')).toMatchObject({ 职工人数: 88, 党组织类型: '党支部' });
  }, 120_000);

  it('people: the list with unit and organization names', async () => {
    const page = await signIn('streetA');
    await page.locator('[data-menu=admin-people]').click();
    await waitText(page, '王甲', '[data-test=people]');
    expect(await page.$eval('[data-test=people]', (e) => e.textContent ?? '')).toContain('甲科技有限公司');
    await docShot(page, 'admin-people');
  }, 60_000);
});
