// The star rating's 公示 objection page in headless Chromium on a 375 px phone screen, on the
// time-skipping harness: a round is rated and approved through the API, then a resident opens the
// public link without signing in, is told in Chinese that an empty objection cannot be sent, files
// a real one, and the organization department finds it on the organization's rating. A failing
// step saves a screenshot under test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { startCycleHarness, grantWithToken, type CycleHarness } from '../support/cycle-harness.ts';
import { createStarRatingActivities } from '../../activities/star-rating.ts';
import { docShot as shot, openBrowser, waitText, type BrowserSession } from '../support/browser.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { defaultStarRatingCatalog } from '../../domain/catalogs/star-rating.ts';
import { autoIndicatorsOf, indicatorsOf, manualIndicators } from '../../domain/star-rating/rules.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../domain/time.ts';

// Functions passed to page.evaluate run in the browser, where these exist.
declare const document: { documentElement: { scrollWidth: number } };

const ORG = '济宁鲁恒机械有限公司';
const manual = manualIndicators(indicatorsOf(defaultStarRatingCatalog), autoIndicatorsOf(indicatorsOf(defaultStarRatingCatalog)));
const tokens: Record<string, string> = {};
let harness: CycleHarness;
let browsing: BrowserSession;
let orgId = '';

beforeAll(async () => {
  const [started, launched] = await Promise.all([
    startCycleHarness((app) => createStarRatingActivities({ orm: app.orm })),
    openBrowser('star-objection'),
  ]);
  harness = started;
  browsing = launched;
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
  await browsing.serve(harness.app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
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
/** With WEB_DOC_SCREENSHOTS=1: the phone's screen as seen, into docs/. */
const docShot = (page: Page, name: string) => shot(page, name, { fullPage: false });

describe('the star-rating objection page on a phone', () => {
  it('refuses an empty objection in Chinese, takes a real one, and the department sees it', async () => {
    // A round rated and approved through the API: the 公示 opens with its public link.
    const Y = Number(shanghaiDate(await harness.env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);
    await ok('dept', 'POST', '/star-ratings/enrolments', { year: Y, rule: { mode: 'share', share: 1 }, settings: { publicationDays: 3 } });
    // The enrolment starts the organization's workflow: its status has a config once it runs.
    for (const deadline = Date.now() + 30_000; !(await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).status?.config;) {
      if (Date.now() > deadline) throw new Error('the rating did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    await ok('rep', 'POST', `/star-ratings/organizations/${orgId}/self-assessment`, { scores: {}, summary: '党建工作自评报告' });
    await ok('street', 'POST', `/star-ratings/organizations/${orgId}/preliminary-review`, { decision: 'pass', comments: '' });
    const scores = Object.fromEntries(manual.map((i) => [i.code, { points: i.maxPoints, comment: '' }]));
    await ok('evaluator', 'POST', `/star-ratings/organizations/${orgId}/scores`, { scores });
    await ok('evaluator', 'POST', `/star-ratings/organizations/${orgId}/scores/submit`);
    await skipTo(`${Y}-12-21`);
    await ok('dept', 'POST', `/star-ratings/organizations/${orgId}/approval`);
    const link = (await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).publication.objectionPath as string;

    const page = await browsing.newPage({ phone: true });
    await browsing.step('objection-phone', async () => {
      await page.goto(`${browsing.base}${link}`);
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
    });

    // The department finds it on the organization's rating, to answer before the award.
    const objections = (await ok('dept', 'GET', `/star-ratings/organizations/${orgId}`)).status.objections;
    const text = '该企业存在拖欠职工工资问题，请核查';
    expect(objections).toEqual([expect.objectContaining({ text, filedBy: 'public-link', answer: null })]);
  }, 240_000);
});
