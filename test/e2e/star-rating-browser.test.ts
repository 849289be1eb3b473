// A whole star rating (星级评定) through the web pages in headless Chromium, as each role, on the
// time-skipping harness: the department enrols (a refused deadline shown in Chinese beside its
// field) and meets its settings' field errors; the enterprise self-assesses with an evidence
// upload; the street passes 初审; the evaluator asks for more evidence, the enterprise answers, and
// the evaluator scores from the list; the department approves; a resident objects on a phone; the
// department answers; the award's plaque PDF is downloaded and read; the dashboard's count opens
// its list; a tracked serious event leads to a review decision; the department ends the rating.
// A failing step saves screenshots of every open page under test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import {
  PASSWORD, clickUntil, confirmDialog, docShot as shot, download, fill as fillIn, openBrowser, openTask as openTodo, settle, waitText,
  type BrowserSession,
} from '../support/browser.ts';
import { unitMaker } from '../support/fixtures.ts';
import { pdfText } from '../reports/pdf-text.ts';
import { createStarRatingActivities } from '../../activities/star-rating.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { StarRound } from '../../domain/entities/star-rating.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../domain/time.ts';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const location: { pathname: string };

const ORG = '济宁鲁恒机械有限公司';
let harness: CycleHarness;
let browsing: BrowserSession;
let orgId = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([startCycleHarness((app) => createStarRatingActivities({ orm: app.orm })), openBrowser('star')]);
  harness = started;
  browsing = launched;
  const em = harness.app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('d', '任城区', 'district', null);
  const street = unit('s', '济阳街道', 'street', district);
  const community = unit('c', '东社区', 'community', street);
  const org = em.create(Organization, { name: ORG, kind: 'non_public_enterprise', unit: community, partyOrgName: '中共鲁恒机械支部委员会', responsiblePeople: [] } as never);
  orgId = org.id;
  const passwordHash = await hashPassword(PASSWORD);
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => {
    const account = em.create(Account, { login, displayName: login, passwordHash } as never);
    em.create(RoleAssignment, { account, role, unit: scope.unit ?? null, organization: scope.organization ?? null } as never);
    return account;
  };
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  grant('rep', 'enterprise_rep', { organization: org });
  em.create(EvaluatorAssignment, { account: grant('evaluator', 'evaluator', {}), subjectType: 'organization', subjectId: org.id } as never);
  await em.flush();
  await browsing.serve(harness.app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await harness?.close();
});

const step = <T>(name: string, run: () => Promise<T>) => browsing.step(name, run);
const newPage = (phone = false) => browsing.newPage({ phone });
const signIn = (login: string) => browsing.signIn(login);
/** With WEB_DOC_SCREENSHOTS=1 the pages are also saved in docs/ (web-star-*.png). */
const docShot = (page: Page, name: string) => shot(page, `star-${name}`);
/** Types into the field marked `mark` (Element Plus puts the mark on the input itself or on its wrapper). */
const fill = (page: Page, mark: string, value: string) => fillIn(page, `input${mark}, textarea${mark}, ${mark} input, ${mark} textarea`, value);
async function pick(page: Page, selector: string, option: string) {
  await page.locator(selector).click();
  await page.locator(`::-p-xpath(//li[contains(@class,"el-select-dropdown__item")][contains(., "${option}")])`).click();
  await page.keyboard.press('Escape');
  await settle(page);
}
/** Opens a 待办 item on its rating page. */
const openTask = (page: Page, label: string) => openTodo(page, label, '[data-test=star-phase]');
const phase = (page: Page, label: string) => waitText(page, label, '[data-test=star-phase]');
async function skipTo(date: string) {
  const target = startOfShanghaiDay(date) + 2 * 3600_000;
  const now = await harness.env.currentTimeMs();
  if (target > now) await harness.env.sleep(target - now);
}
/** Waits until the organization's latest round is in one of the `wanted` phases (the workflow writes it). */
async function phaseInDb(...wanted: string[]) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const round = await harness.app.orm.em.fork().findOne(StarRound, { organization: orgId }, { orderBy: { year: 'desc' } });
    if (round?.phase && wanted.includes(round.phase)) return;
    if (Date.now() > deadline) throw new Error(`the rating did not reach ${wanted.join(' or ')} (it is ${round?.phase})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a whole star rating in the browser', () => {
  it('runs enrolment to award, review and end as each role, with Chinese field errors, the public objection and the plaque PDF', async () => {
    const Y = Number(shanghaiDate(await harness.env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);

    const dept = await step('enrol with a refused deadline', async () => {
      const page = await signIn('dept');
      await page.locator('[data-menu=star-enrolment]').click();
      await waitText(page, '只增不减', '[data-test=share-rule]');
      await pick(page, '[data-test=enrol-year]', `${Y} 年`);
      await page.locator('.el-collapse-item__header').click();
      await fill(page, '[data-enrol-setting=preliminaryDue]', '10-01');
      await page.locator('[data-test=enrol]').click();
      await waitText(page, '须晚于自评截止日', '[data-test=enrol-form]');
      await docShot(page, 'enrolment-refused');
      await fill(page, '[data-enrol-setting=preliminaryDue]', '');
      await page.locator('[data-test=enrol]').click();
      await waitText(page, '1', '[data-test=enrolled-now]');
      return page;
    });
    await phaseInDb('self_assessment');

    await step('settings refuse a bad deadline and event code in Chinese', async () => {
      await dept.locator('[data-menu=star-settings]').click();
      await dept.waitForSelector('[data-test=save-settings]');
      await fill(dept, '[data-setting=scoringDue]', '09-01');
      await fill(dept, '[data-type-code="0"]', 'Bad Code');
      await dept.locator('[data-test=save-settings]').click();
      await waitText(dept, '须晚于初审截止日', '[data-test=settings-form]');
      await waitText(dept, '代码只能用小写字母', '[data-test=event-types]');
      await docShot(dept, 'settings-refused');
      await dept.reload();
      await dept.waitForSelector('[data-test=save-settings]');
    });

    const evidence = path.join(os.tmpdir(), `党建台账-${process.pid}.pdf`);
    await writeFile(evidence, '%PDF-1.4 党建台账\n%%EOF\n');
    const rep = await step('self-assessment with evidence', async () => {
      const page = await signIn('rep');
      await openTask(page, '星级评定：提交自评和佐证材料');
      const input = await page.waitForSelector('[data-test=evidence-upload] input[type=file]');
      await (input as never as { uploadFile(...files: string[]): Promise<void> }).uploadFile(evidence);
      await waitText(page, path.basename(evidence), '[data-test=star-evidence]');
      await page.locator('[data-test=submit-self]').click();
      await waitText(page, '请填写自评报告');
      await fill(page, '[data-test=self-summary]', '支部按期开展三会一课，职工之家建设完成');
      await docShot(page, 'self-assessment');
      await page.locator('[data-test=submit-self]').click();
      await phase(page, '街道/社区初审');
      return page;
    });

    await step('初审 by the street', async () => {
      const page = await signIn('street');
      await openTask(page, '星级评定：初审');
      await waitText(page, path.basename(evidence), '[data-test=star-evidence]');
      await page.locator('[data-test=submit-preliminary]').click();
      await phase(page, '考核组评分');
    });

    const evaluator = await step('the evaluator asks for evidence from the list', async () => {
      const page = await signIn('evaluator');
      await page.locator('[data-menu=star-ratings]').click();
      // The list loads again once its filter is set: click until the rating opens.
      await clickUntil(page, `[data-score="${ORG}"]`, '[data-test=score-table]');
      await fill(page, '[data-test=request-text]', '请补充全年三会一课记录');
      await page.locator('[data-test=send-request]').click();
      await waitText(page, '待补充');
      return page;
    });

    await step('the enterprise answers the evidence request', async () => {
      await rep.reload();
      await rep.waitForSelector('[data-test=answer-request]');
      await pick(rep, '[data-test=answer-files]', path.basename(evidence));
      await fill(rep, '[data-test=answer-note]', '已上传全年记录');
      await rep.locator('[data-test=answer-request]').click();
      await rep.waitForFunction(() => !document.querySelector('[data-test=answer-request]'));
    });

    await step('the evaluator scores every indicator and submits', async () => {
      await evaluator.reload();
      await evaluator.waitForSelector('[data-test=score-table]');
      await waitText(evaluator, '已补充');
      const inputs = await evaluator.$$('[data-points] input');
      expect(inputs.length).toBeGreaterThan(3);
      // More than the maximum: the field keeps the indicator's maximum.
      for (const input of inputs) {
        await input.click({ count: 3 });
        await input.type('100');
        await evaluator.keyboard.press('Tab');
      }
      await docShot(evaluator, 'scoring');
      await evaluator.locator('[data-test=submit-next]').click();
      await evaluator.waitForFunction(() => location.pathname === '/stars');
      await evaluator.waitForSelector('[data-test=ratings]');
    });
    await phaseInDb('approval', 'scoring');

    await skipTo(`${Y}-12-21`);
    await phaseInDb('approval');
    const objectionPath = await step('the department approves', async () => {
      await dept.goto(`${browsing.base}/todo`);
      await openTask(dept, '星级评定：部务会审定');
      await dept.waitForSelector('[data-test=proposal-lines]');
      await dept.locator('[data-test=approve]').click();
      await confirmDialog(dept);
      await waitText(dept, '公示中');
      return dept.$eval('[data-test=objection-link]', (e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('href'));
    });

    await step('a resident objects on a phone', async () => {
      const phone = await newPage(true);
      await phone.goto(`${browsing.base}${objectionPath}`);
      await phone.locator('[data-test=objection-form] textarea').fill('该企业曾拖欠职工工资，请核查');
      await phone.locator('[data-test=send-objection]').click();
      await phone.waitForSelector('[data-test=objection-sent]');
    });

    await step('the department answers the objection', async () => {
      await dept.reload();
      await waitText(dept, '该企业曾拖欠职工工资', '[data-test=objections]');
      await fill(dept, '[data-test=objection-reply]', '经核查已结清，异议不成立');
      await docShot(dept, 'publication');
      await dept.locator('[data-test=answer-objection]').click();
      await waitText(dept, '异议不成立', '[data-test=objections]');
    });

    await skipTo(`${Y}-12-29`);
    await phaseInDb('awarded');
    await step('the award and its plaque PDF', async () => {
      await dept.goto(`${browsing.base}/stars/${orgId}?tab=overview`);
      await waitText(dept, '授星', '[data-test=star-history]');
      await dept.waitForSelector(`[data-plaque="${Y}"]`);
      await docShot(dept, 'rating');
      const { name, bytes } = await download(dept, `[data-plaque="${Y}"]`);
      expect(name).toBe(`授牌证书-${ORG}-${Y}.pdf`);
      const plaque = await pdfText(bytes);
      expect(plaque).toContain(ORG);
      expect(plaque).toContain(String(Y));
    });

    await step('the dashboard count opens its list', async () => {
      const stars = Number((await dept.$eval('[data-test=current-stars]', (e) => e.textContent ?? '')).match(/(\d) 星/)?.[1]);
      expect(stars).toBeGreaterThan(0);
      await dept.locator('[data-menu=star-dashboard]').click();
      await dept.waitForSelector('[data-test=star-chart] canvas');
      await waitText(dept, '1', `[data-count="${Y}-${stars}"]`);
      await docShot(dept, 'dashboard');
      await dept.locator(`[data-count="${Y}-${stars}"]`).click();
      await dept.waitForFunction(() => location.pathname === '/stars');
      await waitText(dept, ORG, '[data-test=ratings]');
      await docShot(dept, 'list');
    });

    await skipTo(`${Y + 1}-02-01`);
    await step('a serious event recorded by the street starts a review the department decides', async () => {
      const street = await signIn('street');
      await street.goto(`${browsing.base}/stars/${orgId}?tab=events`);
      await street.waitForSelector('[data-test=record-event]');
      await pick(street, '[data-test=event-type]', '较大及以上安全生产事故');
      await fill(street, '[data-test=event-date]', `${Y + 1}-01-20`);
      await street.keyboard.press('Enter');
      await settle(street);
      await fill(street, '[data-test=event-summary]', '仓库火灾造成人员受伤');
      await street.locator('[data-test=record-event]').click();
      await waitText(street, '仓库火灾造成人员受伤', '[data-test=events]');

      await dept.goto(`${browsing.base}/todo`);
      await openTask(dept, '星级评定：复审决定');
      await fill(dept, '[data-test=review-reason]', '发生较大安全生产事故，下调一星');
      await dept.locator('[data-test=decide-review]').click();
      await waitText(dept, '决定：');
      await skipTo(`${Y + 1}-02-05`);
      await dept.goto(`${browsing.base}/stars/${orgId}?tab=overview`);
      await waitText(dept, '降星', '[data-test=star-history]');
      await waitText(dept, '发生较大安全生产事故，下调一星', '[data-test=star-history]');
    });

    await step('the department ends the rating with a reason', async () => {
      await dept.goto(`${browsing.base}/stars/${orgId}?tab=end`);
      await dept.locator('[data-test=end-rating]').click();
      await waitText(dept, '请写明终止的理由');
      await fill(dept, '[data-test=end-reason]', '企业已注销登记');
      await dept.locator('[data-test=end-rating]').click();
      await confirmDialog(dept);
      await waitText(dept, '企业已注销登记', '[data-test=ended]');
    });
    await rm(evidence, { force: true });
  }, 300_000);
});
