// Issue 16's pages in headless Chromium: the department enters a year's holiday calendar (a
// make-up workday on a weekday is refused in Chinese under its line, a right one is saved and
// the missing-year warning goes), the street committee approves a secretary's trip from its
// list, the secretary sees it approved, and the department edits its issuer. A failing step
// saves a screenshot under test-screenshots/; WEB_DOC_SCREENSHOTS=1 also writes docs/web-*.png.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { seedPostingWorld, type PostingWorld } from '../support/fixtures.ts';
import { confirmDialog, docShot, openBrowser, text, waitText, type BrowserSession } from '../support/browser.ts';
import { Posting } from '../../domain/entities/posting.ts';

declare const document: { querySelector(selector: string): unknown };
declare const localStorage: { setItem(key: string, value: string): void };

let app: TestApp;
let world: PostingWorld;
let browsing: BrowserSession;
const pageErrors: string[] = [];

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestApp(), openBrowser('leave-calendar')]);
  app = started;
  browsing = launched;
  const em = app.orm.em.fork() as EntityManager;
  world = await seedPostingWorld(em, { postings: 1, startsOn: '2026-03-01' });
  await em.nativeUpdate(Posting, { id: world.postingIds[0]! }, { endsOn: '2027-02-28', phase: 'active' } as never);
  await browsing.serve(app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await app?.close();
});

const ok = async (login: string, method: string, url: string, payload?: unknown) => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: { authorization: `Bearer ${world.tokens[login]}` } });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} as ${login}: ${response.statusCode} ${response.body}`);
  return response.json() as Record<string, any>;
};

/** A page signed in as `login` (its API token stands in for a session). */
async function pageAs(login: string): Promise<Page> {
  const me = await ok(login, 'GET', '/auth/me');
  const page = await browsing.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
  await page.setViewport({ width: 1280, height: 800 });
  const stored = JSON.stringify({ accessToken: world.tokens[login], refreshToken: null, expiresAt: Date.now() + 3_600_000, me });
  await page.evaluateOnNewDocument((value: string) => localStorage.setItem('party-cycles.session', value), stored);
  return page;
}
/** One step (screenshots on failure); the error also carries the page's errors and the end of its text. */
async function step(page: Page, name: string, run: () => Promise<void>) {
  await browsing.step(name, async () => {
    try {
      await run();
    } catch (error) {
      const shown = await text(page).catch(() => '');
      throw new Error(`${(error as Error).message}\npage errors: ${pageErrors.join('; ')}\npage text: ${shown.slice(-600)}`, { cause: error });
    }
  });
}

describe('holiday calendars, leave approvals and the issuer in the browser', () => {
  it('the department enters 2027: a weekday make-up day is refused in Chinese, the right calendar saved', async () => {
    const page = await pageAs('dept');
    await step(page, 'holiday-calendars', async () => {
      await page.goto(`${browsing.base}/settings/holidays`);
      await waitText(page, '2027', '[data-test=missing-years]');
      await page.locator('textarea[data-test=calendar-holidays]').fill('2027-01-01\n2027-02-08\n2027-02-09');
      await page.locator('textarea[data-test=calendar-makeup]').fill('2027-02-05');
      await page.locator('[data-test=calendar-save]').click();
      await waitText(page, '第1行：调休上班日必须是周六或周日');
      await docShot(page, 'holiday-calendar-refused');
      expect((await ok('dept', 'GET', '/holiday-calendars')).missingYears).toEqual([2027]);
      await page.locator('textarea[data-test=calendar-makeup]').fill('2027-02-06');
      await page.locator('[data-test=calendar-save]').click();
      await page.waitForFunction(() => !document.querySelector('[data-test=missing-years]'));
      await waitText(page, '2月6日', '[data-test=calendars]');
      await docShot(page, 'holiday-calendars');
    });
    const saved = (await ok('dept', 'GET', '/holiday-calendars')).items.find((y: { year: number }) => y.year === 2027);
    expect(saved).toMatchObject({ holidays: ['2027-01-01', '2027-02-08', '2027-02-09'], makeupWorkdays: ['2027-02-06'], shipped: false });
  }, 120_000);

  it('the street approves a secretary\'s trip from its list, and the secretary sees it approved', async () => {
    const trip = await ok('sec1', 'POST', `/postings/${world.postingIds[0]}/absences`, { kind: 'trip', from: '2026-09-01', to: '2026-09-02', reason: '赴区民政局对接养老服务项目' });
    const street = await pageAs('street');
    await step(street, 'leave-approvals', async () => {
      await street.goto(`${browsing.base}/leave/approvals`);
      await waitText(street, '赴区民政局对接养老服务项目', '[data-test=approvals]');
      await docShot(street, 'leave-approvals');
      await street.locator(`[data-test=approve-${trip.id}]`).click();
      await confirmDialog(street);
      await street.waitForFunction((id: string) => !document.querySelector(`[data-test=approve-${id}]`), {}, trip.id);
    });
    expect((await ok('street', 'GET', `/postings/${world.postingIds[0]}/absences`)).items[0]).toMatchObject({ status: 'approved', decisionComment: '同意', decidedBy: 'street' });
    const secretary = await pageAs('sec1');
    await step(secretary, 'leave-request', async () => {
      await secretary.goto(`${browsing.base}/leave`);
      await waitText(secretary, '已批准', '[data-test=leave-list]');
      await docShot(secretary, 'leave-request');
    });
  }, 120_000);

  it('the department sets its full name; the page shows it configured', async () => {
    const page = await pageAs('dept');
    await step(page, 'issuer', async () => {
      await page.goto(`${browsing.base}/settings/issuer`);
      await page.waitForSelector('input[data-test=issuer-departmentName]');
      // Not configured yet: the name shown is derived (the warning tag the save must take away).
      await page.waitForSelector('.el-tag--warning');
      await page.locator('input[data-test=issuer-departmentName]').fill('中共毕节市大方县委组织部');
      await page.locator('input[data-test=issuer-contact]').fill('组织科 0857-1234567');
      await page.locator('[data-test=issuer-save]').click();
      await page.waitForFunction(() => !document.querySelector('.el-tag--warning'));
      await docShot(page, 'document-issuer');
    });
    expect((await ok('dept', 'GET', '/document-issuers')).items[0]).toMatchObject({ departmentName: '中共毕节市大方县委组织部', contact: '组织科 0857-1234567', configured: true });
  }, 120_000);
});
