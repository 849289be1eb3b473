// Residents answer through one-time codes on a phone (issue 19), in headless Chromium on the time-skipping harness:
// the department opens a round of a scheme with a residents' survey question and vote, downloads the slips (Excel)
// from the round page, which then shows the residents' page link and QR; on a 375 px phone a resident types a wrong
// code (the error names 测评码 and the rule in Chinese), then a slip's code, sees whom it rates and the questions, is
// told which question is missing, answers and is thanked; the same code again is refused as used; the round page shows
// the response rate 1/30 (3.3%). A 四率 code survey (群众满意率) is answered the same way on its public page, whose link and QR
// poster the survey page shows. Screenshots of each page go to test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'puppeteer-core';
import { startCycleHarness, httpCaller, type CycleHarness } from '../support/cycle-harness.ts';
import { seedResidentsDistrict, startResidentsRound } from '../support/residents-round.ts';
import { byHeader, readXlsx } from '../support/xlsx.ts';
import { createAssessmentActivities } from '../../activities/assessment.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { look } from '../support/browser.ts';

declare const location: { pathname: string };

const PASSWORD = 'Demo@2026';
let harness: CycleHarness;
let browser: Browser;
let base = '';
const tokens: Record<string, string> = {};
let district = '';
let community = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createAssessmentActivities({ orm: app.orm })),
    resolveExecutablePath().then(launchBrowser),
  ]);
  harness = started;
  browser = launched;
  const { app } = harness;
  ({ district } = await seedResidentsDistrict(app, tokens, 'B'));
  const em = app.orm.em.fork() as EntityManager;
  const made = em.create(Account, { login: 'orgdept', displayName: '高新区委组织部', passwordHash: await hashPassword(PASSWORD) } as never);
  em.create(RoleAssignment, { account: made, role: 'org_department', unit: em.getReference(AdministrativeUnit, district), organization: null } as never);
  await em.flush();
  [{ id: community }] = await em.execute<{ id: string }[]>("select id from administrative_unit where code = 'BC'");
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const text = (page: Page, selector = 'body') => page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText);
async function untilText(page: Page, wanted: string, selector = 'body', reload = false) {
  for (let i = 0; i < 60; i++) {
    if ((await text(page, selector).catch(() => '')).includes(wanted)) return;
    await new Promise((r) => setTimeout(r, 500));
    if (reload) await page.reload();
  }
  throw new Error(`"${wanted}" did not appear in ${selector}: ${(await text(page, selector).catch(() => '')).slice(0, 300)}`);
}
async function signIn(login: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  page.setDefaultTimeout(30_000);
  await page.setViewport({ width: 1366, height: 860 });
  await page.goto(`${base}/login`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('[data-test=sign-in]').click();
  await page.waitForFunction(() => location.pathname === '/todo');
  return page;
}
async function phonePage(): Promise<Page> {
  const phone = await (await browser.createBrowserContext()).newPage();
  phone.setDefaultTimeout(30_000);
  await phone.setViewport({ width: 375, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  return phone;
}
/** Clicks the button that saves the slips and reads the Excel the browser saved. */
async function savedSlips(page: Page, selector: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-slips-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, browserContextId: (page.browserContext() as unknown as { id: string }).id });
  await page.locator(selector).click();
  let saved: string[] = [];
  for (let i = 0; i < 150 && !saved.some((f) => f.endsWith('.xlsx')); i++) {
    await new Promise((r) => setTimeout(r, 200));
    saved = await readdir(dir);
  }
  const file = saved.find((f) => f.endsWith('.xlsx'));
  if (!file) throw new Error('no Excel was saved');
  const rows = byHeader(await readXlsx(await readFile(path.join(dir, file))));
  await rm(dir, { recursive: true, force: true });
  return rows;
}
/** Types a code and answers: the rating's stars (1–5) and, when given, the vote's option. */
async function answer(phone: Page, code: string, stars: number, option?: string) {
  await phone.locator('[data-test=survey-code] input').fill(code);
  await phone.locator('[data-test=code-next]').click();
  await phone.waitForSelector('.survey-question');
  const rating = await phone.$('.survey-question .el-rate');
  await rating!.$$('.el-rate__item').then((items) => items[stars - 1]!.click());
  if (option) await phone.locator(`::-p-xpath(//label[contains(@class, "el-radio")][normalize-space(.)="${option}"])`).click();
}

describe('residents answer with one-time codes on a phone', () => {
  it('slips from the round page, a code on the phone page, the response rate back on the round page; the 四率 page likewise', async () => {
    const round = await startResidentsRound(harness.app, tokens, district);
    const dept = await signIn('orgdept');
    await dept.goto(`${base}/assessments/rounds/${round.id}`);
    await dept.waitForSelector('[data-test=residents-panel]');
    const rows = await savedSlips(dept, '[data-test=slips-issue]');
    await untilText(dept, '已为每个考核对象生成 30 个测评码', '[data-test=residents-message]');
    expect(rows).toHaveLength(60);
    const w1 = rows.filter((r) => r['考核对象'] === 'w1').map((r) => String(r['测评码']));
    expect(String(rows[0]!['作答网址（手机扫码或输入）'])).toBe(`${base}/public/assessment-residents/${round.id}`);
    await dept.waitForSelector('[data-test=public-qr] svg');
    await look(dept, 'residents-round-panel');

    const phone = await phonePage();
    await phone.goto(`${base}/public/assessment-residents/${round.id}`);
    await untilText(phone, '网格员群众评议');
    await look(phone, 'residents-phone-code');
    await phone.locator('[data-test=survey-code] input').fill('ABCD-EFGH');
    await phone.locator('[data-test=code-next]').click();
    await untilText(phone, '测评码：测评码不正确，请核对后重新输入', '[data-test=survey-error]');
    await look(phone, 'residents-phone-wrong-code');
    await phone.locator('[data-test=survey-code] input').fill(w1[0]!);
    await phone.locator('[data-test=code-next]').click();
    await untilText(phone, 'w1', '[data-test=survey-subject]');
    expect(await text(phone)).toContain('您对本网格网格员的工作是否满意？');
    await phone.locator('[data-test=send-survey]').click();
    await untilText(phone, '请回答第 1 题', '[data-test=survey-error]');
    const rating = await phone.$('.survey-question .el-rate');
    await rating!.$$('.el-rate__item').then((items) => items[3]!.click());
    await phone.locator('::-p-xpath(//label[contains(@class, "el-radio")][normalize-space(.)="较好"])').click();
    await look(phone, 'residents-phone-questions');
    await phone.locator('[data-test=send-survey]').click();
    await untilText(phone, '提交成功，感谢您的参与', '[data-test=survey-thanks]');
    await look(phone, 'residents-phone-thanks');
    // The same code once more: refused as used.
    await phone.reload();
    await phone.locator('[data-test=survey-code] input').fill(w1[0]!);
    await phone.locator('[data-test=code-next]').click();
    await untilText(phone, '该测评码已使用过，每个测评码只能作答一次', '[data-test=survey-error]');

    await dept.reload();
    await untilText(dept, '3.3%', '[data-test=rate-w1]');
    await look(dept, 'residents-round-rates');

    // 四率: 群众满意率 of the community, answered with a code on its public page, linked from the survey page.
    const issued = await httpCaller(harness.app, (l) => tokens[l])('dept', 'POST', `/surveys/party_org_satisfaction/${community}/codes`, { count: 1 });
    const code = (issued.body as { codes: { code: string }[] }).codes[0]!.code;
    await dept.goto(`${base}/questionnaires/party_org_satisfaction/${community}`);
    await untilText(dept, `/public/rate-surveys/party_org_satisfaction/${community}`, '[data-test=survey-public]');
    await look(dept, 'rate-survey-settings');
    await phone.goto(`${base}/public/rate-surveys/party_org_satisfaction/${community}`);
    await untilText(phone, '街道社区党组织群众满意度');
    await look(phone, 'rate-survey-phone-code');
    await answer(phone, code, 5);
    await look(phone, 'rate-survey-phone-questions');
    await phone.locator('[data-test=send-survey]').click();
    await untilText(phone, '提交成功，感谢您的参与', '[data-test=survey-thanks]');
    await look(phone, 'rate-survey-phone-thanks');
    const [counted] = await harness.app.orm.em.fork().getConnection().execute(
      `select count(*) n from survey_response x join survey v on v.id = x.survey_id where v.purpose = 'party_org_satisfaction' and v.subject_id = ?`, [community]);
    expect(Number(counted.n)).toBe(1);
  }, 300_000);
});
