// The administration pages in headless Chromium (issue 17.4/17.6): the department moves a
// community to another street on the administrative tree (with the confirmation), a street clerk
// imports organizations from an .xlsx file and sees them listed, sees only their street, and
// downloads the organizations as Excel, which opens with the imported rows. Needs web/dist
// (npm run build:web). WEB_DOC_SCREENSHOTS=1 saves each page under docs/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PASSWORD, buildWorld, type World } from '../support/fixtures.ts';
import { byHeader, readXlsx } from '../support/xlsx.ts';
import { confirmDialog, docShot as shot, download, openBrowser, waitText, type BrowserSession } from '../support/browser.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';

declare const document: { querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }> };

let app: TestApp;
let world: World;
let browsing: BrowserSession;
let files = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestApp(), openBrowser('admin')]);
  app = started;
  browsing = launched;
  world = await buildWorld(app);
  await browsing.serve(app.server);
  files = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-import-'));
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await app?.close();
  if (files) await rm(files, { recursive: true, force: true });
});

/** The fixtures' accounts have the fixtures' password. */
const signIn = (login: string) => browsing.signIn(login, { password: PASSWORD });
/** With WEB_DOC_SCREENSHOTS=1: the window as seen, into docs/. */
const docShot = (page: Page, name: string) => shot(page, name, { fullPage: false });

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
    await confirmDialog(page, { saying: '乙街道' });
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
    const file = path.join(files, 'orgs.xlsx');
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

    const saved = await download(page, '[data-test=export-orgs]');
    expect(saved.name).toBe('组织名录.xlsx');
    const exported = await readXlsx(saved.bytes);
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
