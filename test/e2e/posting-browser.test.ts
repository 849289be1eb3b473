// A first-secretary posting through the web pages, in headless Chromium, as each role, on the
// time-skipping harness with a three-month posting: the department clerk creates the cohort on its
// page (a refused row named in Chinese, then one posting), the dispatching unit's guarantees and visit,
// the secretary's check-in on a phone with location and photo, the community's confirmation from
// 待办, a month's close and the quarter (晒绩 on the phone, the street's score), and the residents'
// survey link with its QR code on the posting page at the year end, a resident's answer on a
// phone through that link, the self-assessment and the organization's rating, the ranking, the
// three signatures of the joint final assessment, and the PDFs (monthly sheet, quarterly report,
// ranking, final form) downloaded from the pages and read. With POSTWEB_SHOTS=<dir>
// every page is saved at PC and phone size.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import {
  DESKTOP, PASSWORD, PHONE, choose, clickUntil, confirmDialog, downloadText, drawn, fill, look, openBrowser, reloadUntil, reloadUntilText, retype, text, waitText,
  type BrowserSession,
} from '../support/browser.ts';
import { createPostingActivities } from '../../activities/posting.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Person } from '../../domain/entities/person.ts';
import { shanghaiDate } from '../../domain/time.ts';

declare const location: { pathname: string; href: string };

const DAY = 86_400_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let harness: CycleHarness;
let browsing: BrowserSession;
let postingId = '';
let startsOn = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createPostingActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' })),
    openBrowser('posting'),
  ]);
  harness = started;
  browsing = launched;
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
  await browsing.serve(app.server);
  startsOn = shanghaiDate(await harness.env.currentTimeMs());
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await harness?.close();
});

const step = <T>(name: string, run: () => Promise<T>) => browsing.step(name, run);
// Check-ins ask for the phone's position: every page may have it.
const newPage = (phone = false) => browsing.newPage({ phone, permissions: ['geolocation'] });
const signIn = (login: string, phone = false) => browsing.signIn(login, { phone, permissions: ['geolocation'] });

/** With POSTWEB_SHOTS=<dir>: the page as it is, then at the other size (PC ↔ phone). */
async function shot(page: Page, name: string) {
  const dir = process.env.POSTWEB_SHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await drawn(page);
  const viewport = page.viewport()!;
  const phone = viewport.width < 500;
  await page.screenshot({ path: path.join(dir, `${name}-${phone ? 'phone' : 'pc'}.png`) as `${string}.png`, fullPage: true });
  await page.setViewport(phone ? DESKTOP : PHONE);
  await drawn(page);
  await page.screenshot({ path: path.join(dir, `${name}-${phone ? 'pc' : 'phone'}.png`) as `${string}.png`, fullPage: true });
  // Switching phone emulation reloads the page: wait until it has loaded again.
  await page.setViewport(viewport);
  await page.waitForNetworkIdle({ idleTime: 300 }).catch(() => undefined);
}

/** Opens a 待办 entry (the list fills in as the workflows move: reloaded until the entry is there). */
async function openTask(page: Page, label: string) {
  await reloadUntilText(page, label, '[data-test=todo]');
  await clickUntil(page, `::-p-xpath(//*[@data-test="todo"]//a[contains(., "${label}")])`, '[data-test=phase], [data-test=check-in-card]');
}
describe('a first-secretary posting in the browser', () => {
  it('runs the cohort, guarantees, check-ins, a quarter, the year end and the joint final assessment as each role', async () => {
    const dept = await step('the department clerk creates the cohort on its page', async () => {
      const page = await signIn('dept');
      await page.locator('[data-menu=postings]').click();
      await page.locator('[data-test=new-cohort]').click();
      await page.waitForSelector('[data-test=cohort-postings]');
      await fill(page, 'input[data-test=cohort-name]', '城市社区第一书记（试点）');
      await retype(page, '[data-test=cohort-starts-on] input', startsOn);
      await page.keyboard.press('Enter');
      await retype(page, '[data-setting=lengthMonths] input', '3');
      await page.keyboard.press('Tab');
      // A row left empty is named before anything is sent.
      await page.locator('[data-test=create-cohort]').click();
      await waitText(page, '请选择第一书记', '[data-test=cohort-postings]');
      await choose(page, '[data-cell=person-0]', '李明', '李明');
      await choose(page, '[data-cell=community-0]', '红旗社区');
      await choose(page, '[data-cell=dispatching-0]', '县财政局', '财政');
      // Weights that do not add up to 100 % are refused by the API, in Chinese.
      await retype(page, '[data-weight=self] input', '30');
      await page.keyboard.press('Tab');
      await page.locator('[data-test=create-cohort]').click();
      await confirmDialog(page);
      await waitText(page, '四项权重之和须为 100%');
      await look(page, 'posting-cohort-refused');
      await retype(page, '[data-weight=self] input', '20');
      await page.keyboard.press('Tab');
      await page.locator('[data-test=create-cohort]').click();
      await confirmDialog(page);
      await page.waitForFunction(() => location.pathname === '/first-secretaries' && location.href.includes('cohortId='));
      await reloadUntilText(page, '李明', '[data-test=postings]');
      await look(page, 'posting-cohort-list');
      await clickUntil(page, '[data-test=postings] [data-posting="李明"]', '[data-test=phase]');
      await page.waitForFunction(() => /\/first-secretaries\/[0-9a-f-]{36}/.test(location.pathname));
      postingId = new URL(page.url()).pathname.split('/').pop()!;
      return page;
    });
    await waitText(dept, `${startsOn} 至`);

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
      await page.goto(`${browsing.base}/m/posting`);
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

    await step('the community confirms the day from 待办', async () => {
      const page = await signIn('community');
      await openTask(page, '确认第一书记打卡（1 天）');
      await page.locator('#tab-attendance').click();
      await page.waitForSelector('[data-test=check-ins] [data-photo]');
      expect(await text(page, '[data-test=check-ins]')).toMatch(/27\.14000, 105\.61000/);
      await page.locator('[data-test=check-ins] [data-confirm]').click();
      await waitText(page, '已确认', '[data-test=check-ins]');
      await shot(page, 'posting-attendance');
    });

    // Three months pass: the months close (attendance sheets), the quarter's review opens and,
    // the posting being of three months, the year-end assessment with the residents' survey.
    await harness.env.sleep(95 * DAY);

    await step('the secretary files the quarter’s 晒绩 on the phone', async () => {
      await secretary.goto(`${browsing.base}/m/posting`);
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

    const survey = await step('the department sees the survey link with its QR poster', async () => {
      const page = dept;
      await page.goto(`${browsing.base}/first-secretaries/${postingId}?tab=yearEnd`);
      await reloadUntilText(page, '参与测评', '[data-test=survey]');
      await page.waitForSelector('[data-test=survey-qr] svg');
      const link = await page.$eval('[data-test=survey-link]', (a) => (a as unknown as { textContent: string }).textContent);
      expect(link).toMatch(/\/public\/posting-surveys\/pcl_/);
      await shot(page, 'posting-year-end');
      return new URL(link.trim()).pathname;
    });
    expect(await text(dept, '[data-test=survey-state]')).toContain('0 人参与测评');
    await finish(dept, survey);
  }, 900_000);
});

/** Everything after the survey link: a resident's answer, the year-end scores, the ranking, the signatures, the PDFs. */
async function finish(dept: Page, surveyPath: string) {
  await step('a resident answers the year-end survey on a phone through the link', async () => {
    const page = await newPage(true);
    await page.goto(`${browsing.base}${surveyPath}`);
    await waitText(page, '李明', 'body');
    await fill(page, '[data-test=survey-score] input', '80');
    await page.keyboard.press('Tab');
    await page.locator('[data-test=send-survey]').click();
    await page.waitForSelector('[data-test=survey-sent]');
    await look(page, 'posting-survey-phone');
    await dept.reload();
    await reloadUntilText(dept, '1 人参与测评', '[data-test=survey-state]');
  });

  await step('the secretary files the self-assessment and the department rates', async () => {
    const page = await signIn('secretary');
    await page.goto(`${browsing.base}/first-secretaries/${postingId}?tab=yearEnd`);
    await page.waitForSelector('[data-test=self-form]');
    await fill(page, '[data-test=self-score] input', '92');
    await fill(page, 'textarea[data-test=self-summary]', '全年走访群众 480 户，办实事 26 件');
    await page.locator('[data-test=submit-self]').click();
    await reloadUntilText(page, '92 分', '[data-test=year-end]');
    await dept.goto(`${browsing.base}/first-secretaries/${postingId}?tab=yearEnd`);
    await dept.waitForSelector('[data-test=org-form]');
    await fill(dept, '[data-test=org-score] input', '86');
    await dept.keyboard.press('Tab');
    await fill(dept, 'input[data-test=org-comment]', '扎根社区，成效明显');
    await dept.locator('[data-test=submit-org]').click();
    // One posting in the cohort: its result is the whole ranking.
    await reloadUntilText(dept, '第 1 名 / 1 人', '[data-test=year-end-rank]');
    await look(dept, 'posting-year-end-ranked');
  });
  const yearEnd = await text(dept, '[data-test=year-end]');
  expect(yearEnd).toContain('92 分');
  expect(yearEnd).toContain('80 分（1 人）');
  expect(yearEnd).toContain('86 分');
  const total = (await text(dept, '[data-test=year-end-total]')).trim();
  // The weights set on the cohort page (20/30/30/20 %) over self 92, residents 80, organization 86 and the routine score shown.
  const routine = Number((await text(dept, '[data-test=year-end]')).match(/日常考核（小考）\s*(\d+(?:\.\d+)?)/)![1]);
  expect(Number(total)).toBeCloseTo(0.2 * 92 + 0.3 * 80 + 0.3 * 86 + 0.2 * routine, 1);

  const signers = [['street', '街道党工委同意期满'], ['unit', '派出单位同意期满'], ['dept', '组织部同意期满']] as const;
  for (const [login, comment] of signers) {
    await step(`${login} signs the joint final assessment`, async () => {
      const page = login === 'dept' ? dept : await signIn(login);
      await page.goto(`${browsing.base}/first-secretaries/${postingId}?tab=final`);
      await reloadUntilText(page, '签署（', '[data-test=sign-form]');
      await fill(page, 'input[data-test=sign-comment]', comment);
      await page.locator('[data-test=sign]').click();
      await reloadUntilText(page, comment, '[data-test=signatures]');
    });
  }
  await reloadUntilText(dept, '通过', '[data-test=final-outcome]');
  await look(dept, 'posting-final-signed');

  await step('the posting’s and the cohort’s PDFs are downloaded and read', async () => {
    await dept.goto(`${browsing.base}/first-secretaries/${postingId}?tab=reports`);
    await reloadUntil(dept, '[data-download=final-assessment]');
    await look(dept, 'posting-reports');
    const finalForm = await downloadText(dept, '[data-download=final-assessment]');
    for (const wanted of ['李明', '红旗社区', '县财政局', '街道党工委同意期满', '派出单位同意期满', '组织部同意期满', total]) expect(finalForm).toContain(wanted);
    const quarterly = await downloadText(dept, '[data-download=quarterly-review]');
    for (const wanted of ['李明', '一季度走访群众120户，办实事8件', '工作扎实，群众认可', '88']) expect(quarterly).toContain(wanted);
    await dept.goto(`${browsing.base}/first-secretaries/dashboard`);
    await reloadUntil(dept, '[data-download=year-end-ranking]');
    await look(dept, 'posting-dashboard-reports');
    const ranking = await downloadText(dept, '[data-download=year-end-ranking]');
    for (const wanted of ['李明', '红旗社区', total]) expect(ranking).toContain(wanted);
    const sheet = await downloadText(dept, '[data-download=attendance-sheet]');
    for (const wanted of ['李明', '红旗社区', '顺德街道']) expect(sheet).toContain(wanted);
  });
}
