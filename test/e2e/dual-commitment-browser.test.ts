// The whole dual commitments cycle through the web pages, in headless Chromium (the project's
// own, through puppeteer-core), as each role, on the time-skipping harness: start, a draft with
// a refused field shown in Chinese, return, revision, approval, the public page on a phone with
// feedback, evidence upload, status, self-evaluation, the staff survey on a phone, scoring,
// sign-off, countersignature and the filed record PDF opened. A failing step saves screenshots
// of every open page under test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { addDays } from 'date-fns/addDays';
import { startCycleHarness, type CycleHarness } from '../support/cycle-harness.ts';
import {
  PASSWORD, confirmDialog, docShot, download, fill, openBrowser, openTask as openTodo, pickDate, reloadUntil as reloadUntilShown, settle, text, waitText,
  type BrowserSession,
} from '../support/browser.ts';
import { createDualCommitmentActivities } from '../../activities/dual-commitment.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { shanghaiDate } from '../../domain/time.ts';

// Functions passed to page.evaluate run in the browser, where these exist.
declare const document: { querySelector(selector: string): { textContent: string | null } | null; documentElement: { scrollWidth: number } };
declare const location: { pathname: string; href: string };
declare const window: { scrollTo(x: number, y: number): void };

const DAY = 86_400_000;
const ORG = '济宁鲁恒机械有限公司';

let harness: CycleHarness;
let browsing: BrowserSession;

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createDualCommitmentActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' })),
    openBrowser('dual-commitment'),
  ]);
  harness = started;
  browsing = launched;
  const { app } = harness;
  const em = app.orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'd1', name: '测试区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共测试区委' } as never);
  district.path = `${district.id}/`;
  const street = em.create(AdministrativeUnit, { code: 's1', name: '东街道', level: 'street', parent: district, path: '', depth: 1, partyOrgName: '东街道党工委' } as never);
  street.path = `${district.path}${street.id}/`;
  const community = em.create(AdministrativeUnit, { code: 'c1', name: '东社区', level: 'community', parent: street, path: '', depth: 2, partyOrgName: '东社区党委' } as never);
  community.path = `${street.path}${community.id}/`;
  const org = em.create(Organization, { name: ORG, kind: 'non_public_enterprise', unit: community, partyOrgName: '中共鲁恒机械支部委员会', responsiblePeople: [] } as never);
  const passwordHash = await hashPassword(PASSWORD);
  const grant = (login: string, displayName: string, role: string, scope: { unit?: unknown; organization?: unknown }) => {
    const account = em.create(Account, { login, displayName, passwordHash } as never);
    em.create(RoleAssignment, { account, role, unit: scope.unit ?? null, organization: scope.organization ?? null } as never);
    return account;
  };
  grant('dept', '测试区委组织部', 'org_department', { unit: district });
  grant('street', '东街道党工委', 'street_committee', { unit: street });
  grant('community', '东社区党委', 'community_committee', { unit: community });
  grant('rep', '鲁恒机械负责人', 'enterprise_rep', { organization: org });
  grant('party', '鲁恒机械党支部', 'enterprise_party_org', { organization: org });
  em.create(EvaluatorAssignment, { account: grant('evaluator', '考核组一', 'evaluator', {}), subjectType: 'organization', subjectId: org.id } as never);
  await em.flush();
  await browsing.serve(app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await harness?.close();
});

const step = <T>(name: string, run: () => Promise<T>) => browsing.step(name, run);
const newPage = (phone = false) => browsing.newPage({ phone });
const signIn = (login: string, phone = false) => browsing.signIn(login, { phone });
/** Opens a 待办 entry on its set's page. */
const openTask = (page: Page, label: string) => openTodo(page, label, '[data-test=gate]');
/** Reloads the set's page until `selector` shows up (the workflow and reports work in the background). */
async function reloadUntil(page: Page, selector: string) {
  await reloadUntilShown(page, selector);
  await page.waitForSelector('[data-test=gate]');
}

describe('the dual commitments cycle in the browser', () => {
  it('runs start to filed record as each role, with Chinese field errors and the public pages on a phone', async () => {
    const now = await harness.env.currentTimeMs();
    // Seven weeks of the cycle must fit in one calendar year: late in December, next year's.
    const sameYear = shanghaiDate(addDays(new Date(now), 14)).slice(0, 4) === shanghaiDate(new Date(now)).slice(0, 4);
    const start = sameYear ? new Date(now) : new Date(`${Number(shanghaiDate(new Date(now)).slice(0, 4)) + 1}-01-02T04:00:00Z`);
    const day = (n: number) => shanghaiDate(addDays(start, n));
    const year = Number(day(0).slice(0, 4));

    const dept = await step('start the cycle', async () => {
      const page = await signIn('dept');
      await page.locator('[data-menu=cycle-start]').click();
      await page.waitForSelector('[data-test=submit-start]');
      if (year !== new Date().getFullYear()) {
        await page.locator('[data-test=year]').click();
        await page.locator(`::-p-xpath(//li[contains(@class,"el-select-dropdown__item")][contains(., "${year} 年")])`).click();
      }
      await docShot(page, 'cycle-start');
      await page.locator('[data-test=scope-list]').click();
      await page.locator('[data-test=organizations]').click();
      await page.keyboard.type('鲁恒');
      await page.locator(`::-p-xpath(//li[contains(@class,"el-select-dropdown__item")][contains(., "${ORG}")])`).click();
      await page.mouse.click(5, 5);
      await settle(page);
      // A refused rule comes back next to its field, in Chinese: evaluation cannot end before it starts.
      await pickDate(page, '[data-test=submissionDeadline]', day(2));
      await pickDate(page, '[data-test=practiceEnd]', day(6));
      await pickDate(page, '[data-test=evaluationStart]', day(7));
      await pickDate(page, '[data-test=evaluationEnd]', day(7));
      await fill(page, '[data-test=publicationDays] input', '1');
      await page.locator('[data-test=submit-start]').click();
      await confirmDialog(page);
      await waitText(page, '须晚于评诺开始日');
      await pickDate(page, '[data-test=evaluationEnd]', day(12));
      await page.locator('[data-test=submit-start]').click();
      await confirmDialog(page);
      await page.waitForFunction(() => /^\/cycles\/[0-9a-f-]{36}$/.test(location.pathname));
      await waitText(page, '已启动 1 / 1', '[data-test=start-progress]');
      // Counts per gate: the ECharts bars are drawn, and the table's number opens that gate's sets of the cycle.
      await page.waitForSelector('[data-test=gate-chart] canvas');
      await waitText(page, '1', '[data-test=gate-count-set]');
      await docShot(page, 'dashboard');
      const cycleId = (await page.evaluate(() => location.pathname)).split('/')[2];
      await page.locator('[data-test=gate-count-set]').click();
      await page.waitForFunction((id) => location.href.endsWith(`/sets?cycle=${id}&gate=set`), {}, cycleId);
      await waitText(page, ORG, '[data-test=sets]');
      return page;
    });

    await step('draft with a refused field, then submit', async () => {
      const page = await signIn('rep');
      await openTask(page, '编制并提交双向承诺');
      await page.locator('[data-test=add-custom-party]').click();
      await page.locator('[data-test=add-custom-enterprise]').click();
      const item = async (key: string, fields: Record<string, string>) => {
        for (const [field, value] of Object.entries(fields)) {
          if (field === 'deadline') await pickDate(page, `[data-item=${key}] [data-field=deadline]`, value);
          else await fill(page, `[data-item=${key}] [data-field=${field}]`, value);
        }
      };
      await item('p1', { title: '形势政策宣讲', content: '每季度组织职工宣讲', indicator: '宣讲≥4次', deadline: day(4), responsible: '王建国' });
      await item('e1', { title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用', indicator: '面积≥30平方米', deadline: day(5), responsible: '李总' });
      await page.locator('[data-test=save-draft]').click();
      await waitText(page, '必填：承诺目标要看得见', '[data-item=p1]');
      await docShot(page, 'draft');
      expect(await text(page, '[data-item=e1]')).not.toContain('必填');
      await fill(page, '[data-item=p1] [data-field=target]', '全年宣讲4次，职工知晓率90%');
      await page.locator('[data-test=submit-draft]').click();
      await confirmDialog(page);
      await waitText(page, '待审核', '[data-test=set-status]');
    });

    await step('the community returns it with comments', async () => {
      const page = await signIn('community');
      await waitText(page, '审核承诺书', '[data-test=todo]');
      await docShot(page, 'todo');
      await openTask(page, '审核承诺书');
      await fill(page, '[data-test=review-comments]', '请细化企业承诺指标');
      await page.locator('[data-test=return]').click();
      await waitText(page, '已退回', '[data-test=set-status]');
    });

    await step('the Party branch revises and resubmits', async () => {
      const page = await signIn('party');
      await openTask(page, '按审核意见修改承诺并重新提交');
      await waitText(page, '请细化企业承诺指标', '[data-test=returned-comments]');
      await fill(page, '[data-item=e1] [data-field=indicator]', '面积≥40平方米，每周开放');
      await page.locator('[data-test=submit-draft]').click();
      await confirmDialog(page);
      await waitText(page, '待审核', '[data-test=set-status]');
    });

    await step('the Party branch reads its set on a phone: the menu is behind ☰, nothing wider than the screen', async () => {
      const page = await signIn('party', true);
      expect(await page.$('.aside')).toBeNull();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await page.locator('[data-test=menu-button]').click();
      await page.locator('[data-menu=sets]').click();
      await page.waitForFunction(() => location.pathname === '/sets');
      await waitText(page, ORG);
      await page.waitForSelector('.menu-drawer [data-menu=sets]', { hidden: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    });

    const street = await step('the street approves; the versions differ side by side', async () => {
      const page = await signIn('street');
      await openTask(page, '审核承诺书');
      await page.locator('[data-test=approve]').click();
      await confirmDialog(page);
      await page.waitForFunction(() => document.querySelector('[data-test=gate]')?.textContent !== '定诺');
      await page.locator('#tab-versions').click();
      await waitText(page, '面积≥40平方米，每周开放', '[data-test=diff]');
      expect(await text(page, '[data-test=diff]')).toContain('修改');
      expect(await text(page, '[data-test=versions]')).toContain('请细化企业承诺指标');
      return page;
    });

    const publicPath = await step('the public page on a phone takes feedback', async () => {
      await reloadUntil(street, '[data-test=public-link]');
      const href = await street.$eval('[data-test=public-link]', (a) => a.getAttribute('href')!);
      const phone = await newPage(true);
      await phone.goto(`${browsing.base}${href}`);
      await waitText(phone, ORG);
      await waitText(phone, '全年宣讲4次，职工知晓率90%');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await phone.locator('[data-test=send-feedback]').click();
      await waitText(phone, '请填写内容');
      await fill(phone, '[data-test=feedback-form] textarea', '希望宣讲安排在午休时间');
      await phone.locator('[data-test=send-feedback]').click();
      await waitText(phone, '感谢您的监督', '[data-test=feedback-sent]');
      await phone.evaluate(() => window.scrollTo(0, 0));
      await docShot(phone, 'public-phone');
      return href;
    });
    expect(publicPath).toMatch(/^\/public\/commitments\//);

    await step('evidence upload and item status, each side its own', async () => {
      const evidence = path.join(os.tmpdir(), `宣讲记录-${process.pid}.pdf`);
      await writeFile(evidence, '%PDF-1.4 宣讲记录\n%%EOF\n');
      const party = await signIn('party');
      await openTask(party, '上报承诺落实情况');
      await waitText(party, '希望宣讲安排在午休时间', '[data-test=feedback]');
      const input = await party.waitForSelector('[data-upload=p1] input[type=file]');
      await (input as never as { uploadFile(...files: string[]): Promise<void> }).uploadFile(evidence);
      await waitText(party, path.basename(evidence), '[data-practice=p1] .evidence-list');
      await fill(party, '[data-description=p1]', '已完成4次宣讲');
      await party.locator('[data-file=p1]').click();
      await party.waitForFunction(() => document.querySelector('[data-practice=p1] [data-test=item-status]')?.textContent === '已完成');
      expect(await party.$('[data-file=e1]')).toBeNull();

      const rep = await signIn('rep');
      await openTask(rep, '上报承诺落实情况');
      await rep.locator('[data-status=e1] label:nth-of-type(2)').click();
      await fill(rep, '[data-description=e1]', '活动室装修中');
      await rep.locator('[data-file=e1]').click();
      await waitText(rep, '部分完成或未完成时必须说明原因', '[data-practice=e1]');
      await fill(rep, '[data-reason=e1]', '场地改造延期');
      await rep.locator('[data-file=e1]').click();
      await rep.waitForFunction(() => document.querySelector('[data-practice=e1] [data-test=item-status]')?.textContent === '部分完成');
    });

    await harness.env.sleep(8 * DAY);

    await step('self-evaluations and the staff survey on a phone', async () => {
      for (const [login, side] of [['party', 'party'], ['rep', 'enterprise']] as const) {
        const page = await signIn(login);
        await openTask(page, '填写自评');
        await fill(page, `[data-self=${side}] textarea`, side === 'party' ? '较好完成' : '基本完成');
        await page.locator(`[data-self=${side}] .el-button--primary`).click();
        await waitText(page, '已提交自评', `[data-self=${side}]`);
        if (side === 'enterprise') {
          const survey = await page.$eval('[data-test=survey-link]', (a) => a.getAttribute('href')!);
          const phone = await newPage(true);
          await phone.goto(`${browsing.base}${survey}`);
          await waitText(phone, ORG);
          await phone.locator('[data-test=rating] .el-rate__item:nth-of-type(5)').click();
          await phone.locator('[data-test=send-survey]').click();
          await waitText(phone, '提交成功', '[data-test=survey-sent]');
        }
      }
    });

    await step('the evaluator scores and signs off', async () => {
      const page = await signIn('evaluator');
      await openTask(page, '逐项评分并签署考核意见');
      await fill(page, '[data-score=p1] input', '95');
      await fill(page, '[data-score=e1] input', '75');
      await fill(page, '[data-remark=e1]', '延期');
      await page.locator('[data-test=sign-off]').click();
      await confirmDialog(page);
      await waitText(page, '已签署考核意见', '[data-test=scoring]');
      await docShot(page, 'scoring');
    });

    await step('the department countersigns and opens the filed record', async () => {
      await dept.goto(`${browsing.base}/todo`);
      await openTask(dept, '审核会签并备案');
      await dept.locator('[data-test=countersign]').click();
      await confirmDialog(dept);
      await reloadUntil(dept, '[data-test=result]');
      // self 90 × 20% + staff 100 × 30% + evaluator 85 × 50%
      await waitText(dept, '90.5', '[data-test=result]');
      await dept.locator('#tab-versions').click();
      await docShot(dept, 'versions');
      await dept.locator('#tab-reports').click();
      await reloadUntil(dept, '[data-open=evaluation-record]');
      if (!(await dept.$('#tab-reports.is-active'))) await dept.locator('#tab-reports').click();
      // 在浏览器中打开 opens a window on the PDF; headless Chromium has no viewer, so the bytes are
      // checked through 下载, which saves the same PDF.
      const opened = new Promise((resolve) => dept.browserContext().once('targetcreated', resolve));
      await dept.locator('[data-open=evaluation-record]').click();
      await opened;
      const saved = await download(dept, '[data-download=evaluation-record]');
      expect(saved.name).toBe(`${ORG}-${year}-评诺备案表.pdf`);
      expect(saved.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    });
  }, 240_000);
});
