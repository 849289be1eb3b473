// A first-secretary posting through the web pages, in headless Chromium, as each role, on the
// time-skipping harness with a three-month posting: the dispatching unit's guarantees and visit,
// the secretary's check-in on a phone with location and photo, the community's confirmation from
// 待办, a month's close and the quarter (晒绩 on the phone, the street's score), and the residents'
// survey link with its QR code on the posting page at the year end. With POSTWEB_SHOTS=<dir>
// every page is saved at PC and phone size.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import { createPostingActivities } from '../../activities/posting.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Person } from '../../domain/entities/person.ts';
import { projectRoot } from '../../config/config.ts';
import { shanghaiDate } from '../../domain/time.ts';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const location: { pathname: string; href: string };

const DAY = 86_400_000;
const PASSWORD = 'Demo@2026';
const shots = path.join(projectRoot, 'test-screenshots');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let harness: CycleHarness;
let browser: Browser;
let base = '';
let postingId = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createPostingActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' })),
    resolveExecutablePath().then(launchBrowser),
  ]);
  harness = started;
  browser = launched;
  const { app } = harness;
  const em = app.orm.em.fork() as EntityManager;
  const unit = (code: string, name: string, level: string, parent: AdministrativeUnit | null, partyOrgName: string) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, path: '', depth: parent ? parent.depth + 1 : 0, partyOrgName } as never);
    u.path = `${parent?.path ?? ''}${u.id}/`;
    return u;
  };
  const district = unit('d1', '大方县', 'district', null, '中共大方县委');
  const street = unit('s1', '顺德街道', 'street', district, '顺德街道党工委');
  const community = unit('c1', '红旗社区', 'community', street, '红旗社区党委');
  const dispatching = em.create(Organization, { name: '县财政局', kind: 'resident_unit', unit: district, responsiblePeople: [] } as never);
  const person = em.create(Person, { name: '李明', unit: community, isPartyMember: true } as never);
  const passwordHash = await hashPassword(PASSWORD);
  const grant = (login: string, displayName: string, role: string, scope: { unit?: unknown; organization?: unknown }, who?: Person) => {
    const account = em.create(Account, { login, displayName, passwordHash, person: who ?? null } as never);
    em.create(RoleAssignment, { account, role, unit: scope.unit ?? null, organization: scope.organization ?? null } as never);
  };
  grant('dept', '大方县委组织部', 'org_department', { unit: district });
  grant('street', '顺德街道党工委', 'street_committee', { unit: street });
  grant('community', '红旗社区党委', 'community_committee', { unit: community });
  grant('unit', '县财政局', 'dispatching_unit', { organization: dispatching });
  grant('secretary', '李明', 'first_secretary', { unit: community }, person);
  await em.flush();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  // The department's cohort (created through the API: one posting of three months).
  const login = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'dept', password: PASSWORD } });
  const token = login.json().accessToken as string;
  const startsOn = shanghaiDate(await harness.env.currentTimeMs());
  const created = await app.server.inject({
    method: 'POST', url: '/postings/cohorts', headers: { authorization: `Bearer ${token}` },
    payload: { name: '城市社区第一书记（试点）', regionUnitId: district.id, startsOn, settings: { lengthMonths: 3 }, postings: [{ personId: person.id, communityId: community.id, dispatchingOrganizationId: dispatching.id }] },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  postingId = created.json().postings[0].id;
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
    await Promise.all(pages.map((p, i) => p.screenshot({ path: path.join(shots, `posting-${name.replace(/\W+/g, '_')}-${i}.png`) as `${string}.png`, fullPage: true }).catch(() => undefined)));
    throw new Error(`step "${name}" failed (screenshots in ${shots}): ${(error as Error).message}`, { cause: error });
  }
}

/** With POSTWEB_SHOTS=<dir>: the page as it is, then at the other size (PC ↔ phone). */
async function shot(page: Page, name: string) {
  const dir = process.env.POSTWEB_SHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await new Promise((r) => setTimeout(r, 400));
  const viewport = page.viewport()!;
  const phone = viewport.width < 500;
  await page.screenshot({ path: path.join(dir, `${name}-${phone ? 'phone' : 'pc'}.png`) as `${string}.png`, fullPage: true });
  await page.setViewport(phone ? { width: 1366, height: 860 } : { width: 375, height: 740, isMobile: true, hasTouch: true });
  await new Promise((r) => setTimeout(r, 400));
  await page.screenshot({ path: path.join(dir, `${name}-${phone ? 'pc' : 'phone'}.png`) as `${string}.png`, fullPage: true });
  // Switching phone emulation reloads the page: wait until it has loaded again.
  await page.setViewport(viewport);
  await page.waitForNetworkIdle({ idleTime: 300 }).catch(() => undefined);
}

async function newPage(phone = false): Promise<Page> {
  const context = await browser.createBrowserContext();
  contexts.push(context);
  await context.overridePermissions(base, ['geolocation']);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.setViewport(phone ? { width: 375, height: 740, isMobile: true, hasTouch: true } : { width: 1366, height: 860 });
  return page;
}
async function signIn(login: string, phone = false): Promise<Page> {
  const page = await newPage(phone);
  await page.goto(`${base}/login`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('[data-test=sign-in]').click();
  await page.waitForFunction(() => location.pathname === '/todo');
  return page;
}
const text = (page: Page, selector = 'body') => page.$eval(selector, (e) => (e as unknown as { innerText: string }).innerText);
const waitText = (page: Page, wanted: string, selector = 'body', timeout = 30_000) =>
  page.waitForFunction((s, w) => Boolean(document.querySelector(s)?.textContent?.includes(w)), { timeout }, selector, wanted);
async function fill(page: Page, selector: string, value: string) {
  const input = await page.waitForSelector(selector, { visible: true });
  await input!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await input!.type(value);
}
/** Reloads until `wanted` is in `selector` (the workflows move in the background). */
async function reloadUntilText(page: Page, wanted: string, selector = 'body', tries = 60) {
  for (let i = 0; i < tries; i++) {
    if (await waitText(page, wanted, selector, 1000).then(() => true, () => false)) return;
    await page.reload();
  }
  throw new Error(`"${wanted}" did not appear in ${selector}`);
}
async function openTask(page: Page, label: string) {
  await reloadUntilText(page, label, '[data-test=todo]');
  // The list may render again while it loads the postings' details: click until the page opens.
  for (let attempt = 0; ; attempt++) {
    await page.locator(`::-p-xpath(//*[@data-test="todo"]//a[contains(., "${label}")])`).click();
    if (await page.waitForSelector('[data-test=phase], [data-test=check-in-card]', { timeout: 3000 }).then(() => true, () => false)) break;
    if (attempt === 3) throw new Error(`the task "${label}" did not open its page`);
  }
}
describe('a first-secretary posting in the browser', () => {
  it('runs guarantees, check-ins, a quarter and the year end\'s survey link as each role', async () => {
    const unit = await step('the dispatching unit records the guarantees and a visit', async () => {
      const page = await signIn('unit');
      await openTask(page, '落实第一书记保障');
      await page.locator('#tab-guarantees').click();
      await waitText(page, '人身意外保险未落实', '[data-test=guarantees]');
      await shot(page, 'posting-guarantees');
      await fill(page, '[data-test=insurance-input] input', '1000000');
      await fill(page, '[data-test=funds-input] input', '20000');
      await page.locator('[data-test=save-guarantees]').click();
      await reloadUntilText(page, '保障已落实', '[data-test=guarantees]');
      await fill(page, 'input[data-test=visit-visitor]', '陈局长');
      await fill(page, 'input[data-test=visit-position]', '局长');
      await fill(page, 'input[data-test=visit-purpose]', '到社区调研指导');
      await page.locator('[data-test=add-visit]').click();
      await reloadUntilText(page, '陈局长', '[data-test=head-visits]');
      return page;
    });
    expect(await text(unit, '[data-test=funds]')).toContain('20,000');

    const secretary = await step('the secretary checks in on a phone with location and a photo', async () => {
      const page = await signIn('secretary', true);
      await page.setGeolocation({ latitude: 27.14, longitude: 105.61, accuracy: 15 });
      await page.goto(`${base}/m/posting`);
      await reloadUntilText(page, '今日打卡', '[data-test=check-in-card]');
      await page.waitForSelector('textarea[data-test=check-in-note]');
      await shot(page, 'posting-mobile-before');
      await fill(page, 'textarea[data-test=check-in-note]', '走访困难群众三户，召开居民议事会');
      await page.locator('[data-test=use-location]').click();
      await waitText(page, '27.14000', '[data-test=location-text]');
      const photo = path.join(os.tmpdir(), `check-in-${process.pid}.png`);
      await writeFile(photo, PNG);
      const input = await page.$('[data-test=check-in-photo]');
      await (input as unknown as { uploadFile(f: string): Promise<void> }).uploadFile(photo);
      await page.locator('[data-test=submit-check-in]').click();
      await waitText(page, '今日已打卡', '[data-test=check-in-card]');
      await shot(page, 'posting-mobile-checked-in');
      return page;
    });
    await secretary.waitForSelector('[data-test=attendance-calendar] .st-pending');

    const community = await step('the community confirms the day from 待办', async () => {
      const page = await signIn('community');
      await openTask(page, '确认第一书记打卡（1 天）');
      await page.locator('#tab-attendance').click();
      await page.waitForSelector('[data-test=check-ins] [data-photo]');
      expect(await text(page, '[data-test=check-ins]')).toMatch(/27\.14000, 105\.61000/);
      await page.locator('[data-test=check-ins] [data-confirm]').click();
      await waitText(page, '已确认', '[data-test=check-ins]');
      await shot(page, 'posting-attendance');
      return page;
    });

    // Three months pass: the months close (attendance sheets), the quarter's review opens and,
    // the posting being of three months, the year-end assessment with the residents' survey.
    await harness.env.sleep(95 * DAY);

    await step('the secretary files the quarter’s 晒绩 on the phone', async () => {
      await secretary.goto(`${base}/m/posting`);
      await reloadUntilText(secretary, '晒绩', '[data-test=mobile-work-report]');
      await fill(secretary, '[data-test=mobile-work-report] textarea[data-test=work-summary]', '一季度走访群众 120 户，办实事 8 件');
      await fill(secretary, '[data-test=mobile-work-report] textarea[data-test=work-achievements]', '建成便民服务站');
      await secretary.locator('[data-test=submit-work-report]').click();
      await secretary.waitForSelector('.el-message--success, [data-test=mobile-work-report] .field-error');
      const refused = await secretary.$('[data-test=mobile-work-report] .field-error');
      if (refused) throw new Error(`晒绩 refused: ${await text(secretary, '[data-test=mobile-work-report] .field-error')}`);
      await reloadUntilText(secretary, '待街道评分');
      await shot(secretary, 'posting-mobile-quarter');
    });

    await step('the street scores the quarter', async () => {
      const page = await signIn('street');
      await openTask(page, '第 1 季度述评评分');
      await page.locator('#tab-quarters').click();
      await shot(page, 'posting-quarters');
      await page.waitForSelector('input[data-test=quarter-comment]');
      await fill(page, '[data-test=quarter-score] input', '88');
      await fill(page, 'input[data-test=quarter-comment]', '工作扎实，群众认可');
      await page.locator('[data-test=score-quarter]').click();
      await reloadUntilText(page, '工作扎实', '[data-test=quarters]');
    });

    const dept = await step('the department sees the survey link with its QR poster; a resident answers on a phone', async () => {
      const page = await signIn('dept');
      await page.goto(`${base}/first-secretaries/${postingId}?tab=yearEnd`);
      await reloadUntilText(page, '参与测评', '[data-test=survey]');
      await page.waitForSelector('[data-test=survey-qr] svg');
      const link = await page.$eval('[data-test=survey-link]', (a) => (a as unknown as { textContent: string }).textContent);
      expect(link).toMatch(/\/public\/posting-surveys\/pcl_/);
      await shot(page, 'posting-year-end');
      return page;
    });
    expect(await text(dept, '[data-test=survey-state]')).toContain('0 人参与测评');
    await community.goto(`${base}/todo`);
    // Not driven here yet (see the report of issue 17.2): the resident's answer on a phone (the
    // public page's reload at another viewport is served the JSON from the browser cache: the
    // answer needs Vary: Accept), self-assessment, organization rating, ranking, the three
    // signatures, and the PDFs read from the posting's reports and the dashboard.
  }, 420_000);
});
