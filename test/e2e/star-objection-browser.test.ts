// The star rating's 公示 objection page in headless Chromium on a 375 px phone screen, on the
// time-skipping harness: a round is rated and approved through the API, then a resident opens the
// public link without signing in, is told in Chinese that an empty objection cannot be sent, files
// a real one, and the organization department finds it on the organization's rating. A failing
// step saves a screenshot under test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Browser, Page } from 'puppeteer-core';
import { startCycleHarness, grantWithToken, type CycleHarness } from '../support/cycle-harness.ts';
import { createStarRatingActivities } from '../../activities/star-rating.ts';
import { launchBrowser, resolveExecutablePath } from '../../reports/browser.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { defaultStarRatingCatalog } from '../../domain/catalogs/star-rating.ts';
import { autoIndicatorsOf, indicatorsOf, manualIndicators } from '../../domain/star-rating/rules.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../domain/time.ts';
import { projectRoot } from '../../config/config.ts';

// Functions passed to page.evaluate run in the browser, where these exist.
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  documentElement: { scrollWidth: number };
  fonts: { ready: Promise<unknown> };
};

const ORG = '济宁鲁恒机械有限公司';
const shots = path.join(projectRoot, 'test-screenshots');
const manual = manualIndicators(indicatorsOf(defaultStarRatingCatalog), autoIndicatorsOf(indicatorsOf(defaultStarRatingCatalog)));
const tokens: Record<string, string> = {};
let harness: CycleHarness;
let browser: Browser;
let orgId = '';
let base = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createStarRatingActivities({ orm: app.orm })),
    resolveExecutablePath().then(launchBrowser),
  ]);
  harness = started;
  browser = launched;
  const em = harness.app.orm.em.fork() as EntityManager;
  const unit = (code: string, name: string, level: string, parent: AdministrativeUnit | null) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, path: '', depth: parent ? parent.depth + 1 : 0, partyOrgName: name } as never);
    u.path = `${parent?.path ?? ''}${u.id}/`;
    return u;
  };
  const district = unit('d', '任城区', 'district', null);
  const street = unit('s', '济阳街道', 'street', district);
  const org = em.create(Organization, {
    name: ORG, kind: 'non_public_enterprise', unit: street, partyOrgName: '中共鲁恒机械支部委员会', responsiblePeople: [],
  } as never);
  orgId = org.id;
  grantWithToken(em, tokens, 'dept', 'org_department', { unit: district });
  grantWithToken(em, tokens, 'street', 'street_committee', { unit: street });
  grantWithToken(em, tokens, 'rep', 'enterprise_rep', { organization: org });
  const evaluator = grantWithToken(em, tokens, 'evaluator', 'evaluator', {});
  em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: org.id } as never);
  await em.flush();
  await harness.app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(harness.app.server.server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const ok = async (login: string, method: string, url: string, payload?: unknown) => {
  const headers = { authorization: `Bearer ${tokens[login]}` };
  const response = await harness.app.server.inject({ method: method as never, url, payload: payload as never, headers });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} as ${login}: ${response.statusCode} ${response.body}`);
  return response.json() as Record<string, any>;
};
async function skipTo(date: string) {
  const target = startOfShanghaiDay(date) + 2 * 3600_000;
  const now = await harness.env.currentTimeMs();
  if (target > now) await harness.env.sleep(target - now);
}
/** With WEB_DOC_SCREENSHOTS=1 the page is also saved in docs/ (once the Chinese font subsets it uses are in). */
async function docShot(page: Page, name: string) {
  if (!process.env.WEB_DOC_SCREENSHOTS) return;
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: path.join(projectRoot, 'docs', `web-${name}.png`) as `${string}.png` });
}
const waitText = (page: Page, wanted: string, selector = 'body') =>
  page.waitForFunction((s, w) => Boolean(document.querySelector(s)?.textContent?.includes(w)), {}, selector, wanted);

describe('the star-rating objection page on a phone', () => {
  it('refuses an empty objection in Chinese, takes a real one, and the department sees it', async () => {
    // A round rated and approved through the API: the 公示 opens with its public link.
    const Y = Number(shanghaiDate(await harness.env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);
    await ok('dept', 'POST', '/star-ratings/enrolments', { year: Y, rule: { mode: 'share', share: 1 }, settings: { publicationDays: 3 } });
    while (!(await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).status?.config) await new Promise((r) => setTimeout(r, 100));
    await ok('rep', 'POST', `/star-ratings/organizations/${orgId}/self-assessment`, { scores: {}, summary: '党建工作自评报告' });
    await ok('street', 'POST', `/star-ratings/organizations/${orgId}/preliminary-review`, { decision: 'pass', comments: '' });
    const scores = Object.fromEntries(manual.map((i) => [i.code, { points: i.maxPoints, comment: '' }]));
    await ok('evaluator', 'POST', `/star-ratings/organizations/${orgId}/scores`, { scores });
    await ok('evaluator', 'POST', `/star-ratings/organizations/${orgId}/scores/submit`);
    await skipTo(`${Y}-12-21`);
    await ok('dept', 'POST', `/star-ratings/organizations/${orgId}/approval`);
    const link = (await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).publication.objectionPath as string;

    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.setViewport({ width: 375, height: 740, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${base}${link}`);
      await waitText(page, ORG, 'h1');
      await page.waitForSelector('[data-test=objection-form] textarea');
      // Nothing wider than the phone's screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      // Only spaces: refused in Chinese under the field, nothing sent.
      await page.locator('[data-test=objection-form] textarea').fill('   ');
      await page.locator('[data-test=send-objection]').click();
      await waitText(page, '请填写内容', '[data-test=objection-form] .field-error');
      await docShot(page, 'objection-refused-phone');
      expect((await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).status.objections).toEqual([]);
      // A real objection goes through and the page thanks the resident.
      await page.locator('[data-test=objection-form] textarea').fill('该企业存在拖欠职工工资问题，请核查');
      await page.locator('[data-test=send-objection]').click();
      await page.waitForSelector('[data-test=objection-sent]');
      await docShot(page, 'objection-phone');
    } catch (error) {
      await mkdir(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'star-objection-phone.png') as `${string}.png`, fullPage: true }).catch(() => undefined);
      throw error;
    }

    // The department finds it on the organization's rating, to answer before the award.
    const objections = (await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).status.objections;
    const text = '该企业存在拖欠职工工资问题，请核查';
    expect(objections).toEqual([expect.objectContaining({ text, filedBy: 'public-link', answer: null })]);
  }, 240_000);
});
