// The star rating's department actions through HTTP on the devserver with time skipping and the
// real activities and database: the 公示's public objection link (lodged anonymously, length- and
// rate-limited, answered before the award), the settings changed after enrolment (field-named
// errors, audited, in force for rounds not yet started), ending an organization's rating with a
// written reason, and the audit rows the routes write.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, type CycleHarness } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { createStarRatingActivities } from '../../../activities/star-rating.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { EvaluatorAssignment } from '../../../domain/entities/evaluator-assignment.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { StarEnrolment } from '../../../domain/entities/star-rating.ts';
import { StarIncentiveGrant, StarPublicObjection } from '../../../domain/entities/star-tracking.ts';
import { defaultStarRatingCatalog } from '../../../domain/catalogs/star-rating.ts';
import { autoIndicatorsOf, indicatorsOf, manualIndicators } from '../../../domain/star-rating/rules.ts';
import { starRatingWorkflowId } from '../../../domain/star-rating/contracts.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../../domain/time.ts';
import { unitMaker } from '../../support/fixtures.ts';

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
const orgIds: string[] = [];

const manual = manualIndicators(indicatorsOf(defaultStarRatingCatalog), autoIndicatorsOf(indicatorsOf(defaultStarRatingCatalog)));

beforeAll(async () => {
  harness = await startCycleHarness((app) => createStarRatingActivities({ orm: app.orm }));
  ({ env, app } = harness);
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('d', '任城区', 'district', null);
  const street = unit('s', '济阳街道', 'street', district);
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => grantWithToken(em, tokens, login, role, scope);
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  const evaluator = grant('evaluator', 'evaluator', {});
  ['A鲁恒机械有限公司', 'B泰丰纺织有限公司'].forEach((name, i) => {
    const org = em.create(Organization, { name, kind: 'non_public_enterprise', unit: street, partyOrgName: `中共${name}支部委员会`, responsiblePeople: [] } as never);
    orgIds.push(org.id);
    grant(`rep${i}`, 'enterprise_rep', { organization: org });
    em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: org.id } as never);
  });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = async (login: string | null, method: string, url: string, payload?: unknown, ip = '10.0.0.1') => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, remoteAddress: ip, headers: login ? { authorization: `Bearer ${tokens[login]}` } : {} });
  return { status: response.statusCode, body: response.headers['content-type']?.includes('json') ? response.json() : response.rawPayload };
};
const ok = async (login: string | null, method: string, url: string, payload?: unknown) => {
  const res = await call(login, method, url, payload);
  if (res.status >= 300) throw new Error(`${method} ${url} as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, any>;
};
async function skipTo(date: string, hour = 2) {
  const target = startOfShanghaiDay(date) + hour * 3600_000;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}
async function rate(org: string, rep: string) {
  await ok(rep, 'POST', `/star-ratings/organizations/${org}/self-assessment`, { scores: {}, summary: '党建工作自评报告' });
  await ok('street', 'POST', `/star-ratings/organizations/${org}/preliminary-review`, { decision: 'pass', comments: '' });
  await ok('evaluator', 'POST', `/star-ratings/organizations/${org}/scores`, { scores: Object.fromEntries(manual.map((i) => [i.code, { points: i.maxPoints, comment: '' }])) });
  await ok('evaluator', 'POST', `/star-ratings/organizations/${org}/scores/submit`);
}
const audits = (action: string) => (app.orm.em.fork() as EntityManager).find(AuditEntry, { action }, { orderBy: { seq: 'asc' } });

describe('star rating: department actions and the public objection link', () => {
  it('takes public objections during 公示, changes settings for later rounds, and ends a rating with its reason', async () => {
    const Y = Number(shanghaiDate(await env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);
    const [o1, o2] = orgIds as [string, string];
    const enrolled = await ok('dept', 'POST', '/star-ratings/enrolments', { year: Y, rule: { mode: 'share', share: 1 }, settings: { publicationDays: 3, publicObjectionsPerHour: 2 } });
    expect(enrolled.enrolled).toEqual([o1, o2]);
    expect((await audits('star_rating.start'))[0]!.after).toMatchObject({ started: 2, failed: 0 });

    // The rounds have started (loaded their year's rules) before the department changes anything.
    for (const org of [o1, o2]) {
      while (!(await ok('dept', 'GET', `/star-ratings/organizations/${org}`)).status?.config) await new Promise((r) => setTimeout(r, 100));
    }

    // ---- Settings after enrolment: named errors, refused for other roles, audited with before/after.
    expect((await call('street', 'PATCH', '/star-ratings/settings', { settings: { trackingCap: 5 } })).status).toBe(403);
    const bad = await call('dept', 'PATCH', '/star-ratings/settings', {
      settings: { publicationDays: 0, thresholds: [{ stars: 1, minScore: 160, label: '一星' }], nope: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'body.settings.nope', rule: expect.any(String) }]);
    const bad2 = await call('dept', 'PATCH', '/star-ratings/settings', { settings: { publicationDays: 0, thresholds: [{ stars: 1, minScore: 160, label: '一星' }], scoringDue: '11-01' }, enrolment: { mode: 'share', share: 0.5 } });
    expect(bad2.status).toBe(400);
    expect(bad2.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.enrolment', 'body.settings.publicationDays', 'body.settings.scoringDue', 'body.settings.thresholds[0].minScore']);
    const thresholds = [{ stars: 1, minScore: 50, label: '一星' }, { stars: 2, minScore: 60, label: '二星' }, { stars: 3, minScore: 70, label: '三星' }, { stars: 4, minScore: 80, label: '四星' }, { stars: 5, minScore: 99.5, label: '五星' }];
    const changed = await ok('dept', 'PATCH', '/star-ratings/settings', { settings: { trackingCap: 5, thresholds } });
    expect(changed.settings).toMatchObject({ trackingCap: 5, publicationDays: 3, thresholds, enrolment: { mode: 'share', share: 1 } });
    expect((await ok('dept', 'GET', '/star-ratings/settings')).settings.trackingCap).toBe(5);
    const [settingsAudit] = await audits('star_rating.settings_change');
    expect(settingsAudit!.before).toMatchObject({ publicationDays: 3 });
    expect(settingsAudit!.before).not.toHaveProperty('trackingCap');
    expect(settingsAudit!.after).toMatchObject({ publicationDays: 3, trackingCap: 5, thresholds });
    // The running round keeps what it started with.
    const running = (await ok('dept', 'GET', `/star-ratings/organizations/${o1}`)).status;
    expect(running.config.trackingCap).toBe(10);
    expect(running.config.thresholds.find((t: { stars: number }) => t.stars === 5).minScore).not.toBe(99.5);

    // ---- Year Y: both rated (full marks on every manual indicator, no dual-commitment record or survey).
    await rate(o1, 'rep0');
    await rate(o2, 'rep1');
    await skipTo(`${Y}-12-21`);
    for (const org of [o1, o2]) await ok('dept', 'POST', `/star-ratings/organizations/${org}/approval`);
    expect((await audits('star_rating.approveStarProposal')).map((a) => a.entityId)).toEqual([`${o1}/${Y}`, `${o2}/${Y}`]);

    // 公示: the department sees the public link; anyone may object through it, without signing in.
    const view = await ok('dept', 'GET', `/star-ratings/organizations/${o1}`);
    expect(view.publication).toMatchObject({ year: Y, closed: false, objectionPath: expect.stringMatching(/^\/public\/star-objections\/pcl_/) });
    const link = view.publication.objectionPath as string;
    expect((await ok('rep0', 'GET', `/star-ratings/organizations/${o1}`)).publication.objectionPath).toBe(link);
    const page = await ok(null, 'GET', link);
    expect(page).toMatchObject({ organization: 'A鲁恒机械有限公司', year: Y, proposedStars: view.status.proposal.stars, publication: { open: true } });
    expect((await call(null, 'GET', '/public/star-objections/pcl_guessed_token_that_does_not_exist')).status).toBe(404);
    expect((await call(null, 'POST', link, { text: '   ' })).status).toBe(400);
    expect((await call(null, 'POST', link, { text: '异'.repeat(2001) })).status).toBe(400);
    const lodged = await ok(null, 'POST', link, { text: '该企业存在拖欠职工工资问题，请核查' });
    await ok(null, 'POST', link, { text: '补充：去年曾被劳动监察部门处理' });
    const limited = await call(null, 'POST', link, { text: '第三条' });
    expect([limited.status, limited.body.error]).toEqual([429, 'rate_limited']);
    expect((await call(null, 'POST', link, { text: '另一位群众的异议' }, '10.0.0.2')).status).toBe(201);
    const objections = (await ok('dept', 'GET', `/star-ratings/organizations/${o1}`)).status.objections;
    expect(objections).toHaveLength(3);
    expect(objections[0]).toMatchObject({ id: lodged.objectionId, text: '该企业存在拖欠职工工资问题，请核查', filedBy: 'public-link', answer: null });
    const em = app.orm.em.fork() as EntityManager;
    expect(await em.count(StarPublicObjection, { organization: o1, accepted: true })).toBe(3);
    expect(await audits('star_rating.public_objection')).toHaveLength(3);

    // The window closes by itself (3 days); the link refuses (409, or 410 once the link itself has expired on the wall clock); the award waits for the answers.
    await skipTo(`${Y}-12-25`);
    const late = await call(null, 'POST', link, { text: '迟到的异议' }, '10.0.0.3');
    expect([409, 410]).toContain(late.status);
    expect(late.body.error).toBe('window_closed');
    expect((await ok(null, 'GET', link)).publication.open).toBe(false);
    expect((await ok('dept', 'GET', `/star-ratings/organizations/${o1}`)).status.phase).toBe('publication');
    const o2Stars = (await ok('dept', 'GET', `/star-ratings/organizations/${o2}`)).currentStars as number;
    expect(o2Stars).toBeGreaterThan(0);
    for (const [i, o] of objections.entries()) {
      await ok('dept', 'POST', `/star-ratings/organizations/${o1}/objections/${o.id}/answer`, i === 0 ? { decision: 'upheld', stars: 2, reply: '经核查存在欠薪，调整为二星' } : { decision: 'dismissed', reply: '已并案核查' });
    }
    await skipTo(`${Y}-12-26`);
    const awarded = await ok('dept', 'GET', `/star-ratings/organizations/${o1}`);
    expect(awarded.currentStars).toBe(2);
    expect(awarded.history[0]).toMatchObject({ trigger: 'rating', outcome: 'awarded', to: 2, evidence: { objectionIds: objections.map((o: { id: string }) => o.id) } });
    expect(awarded.history[0].reason).toContain('收到异议3件');

    // ---- Ending o2's rating (the enterprise dissolved): refused for other roles and without a reason.
    expect((await call('street', 'POST', `/star-ratings/organizations/${o2}/end`, { reason: '企业注销' })).status).toBe(403);
    const noReason = await call('dept', 'POST', `/star-ratings/organizations/${o2}/end`, { reason: '' });
    expect([noReason.status, noReason.body.details[0].field]).toEqual([400, 'body.reason']);
    const ended = await ok('dept', 'POST', `/star-ratings/organizations/${o2}/end`, { reason: '企业已于本月注销登记' });
    expect(ended).toMatchObject({ organizationId: o2, ended: true });
    const again = await call('dept', 'POST', `/star-ratings/organizations/${o2}/end`, { reason: '再次终止' });
    expect([again.status, again.body.error]).toEqual([409, 'rating_ended']);
    const endedView = await ok('dept', 'GET', `/star-ratings/organizations/${o2}`);
    expect(endedView).toMatchObject({ currentStars: 0, ended: { reason: '企业已于本月注销登记' } });
    expect(endedView.history.at(-1)).toMatchObject({ trigger: 'ended', outcome: 'revoked', from: o2Stars, to: 0, decidedBy: 'dept' });
    expect(endedView.history.at(-1).reason).toContain('企业已于本月注销登记');
    expect(await em.count(StarIncentiveGrant, { organization: o2, withdrawnAt: null })).toBe(0);
    expect((await call('rep1', 'POST', `/star-ratings/organizations/${o2}/self-report`, { summary: 'x' })).status).toBe(409);
    expect((await audits('star_rating.ended')).map((a) => a.entityId)).toEqual([o2]);
    expect((await audits('star_rating.end_requested')).map((a) => a.entityId)).toEqual([o2]);
    expect((await env.client.workflow.getHandle(starRatingWorkflowId(o2)).describe()).status.name).toBe('COMPLETED');
    await harness.replay(starRatingWorkflowId(o2));
    // It no longer counts for the enrolment share, and the dashboards show it without a star.
    expect((await em.findOneOrFail(StarEnrolment, { organization: o2 })).endedAt).not.toBeNull();
    expect((await ok('dept', 'GET', '/star-ratings/incentives')).items.map((i: { organizationId: string }) => i.organizationId)).toEqual([o1]);

    // ---- Year Y+1: o1's new round loads the changed settings; a tracked event is audited when filed and when accepted.
    await skipTo(`${Y + 1}-01-03`);
    const next = (await ok('dept', 'GET', `/star-ratings/organizations/${o1}`)).status;
    expect([next.year, next.config.trackingCap, next.config.thresholds.at(-1).minScore]).toEqual([Y + 1, 5, 99.5]);
    const tracked = await ok('street', 'POST', `/star-ratings/organizations/${o1}/events`, { type: 'honour', occurredOn: `${Y + 1}-01-02`, summary: '获评市级先进基层党组织', evidenceFileIds: [] });
    expect((await audits('star_rating.track_event_filed')).map((a) => a.entityId)).toEqual([tracked.eventId]);
    expect(await audits('star_rating.track_event')).toHaveLength(1);
    await harness.replay(starRatingWorkflowId(o1));

    expect((await ok('dept', 'GET', '/audit/verify')).ok).toBe(true);
  }, 170_000);
});
