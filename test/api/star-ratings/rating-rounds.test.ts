// The star rating through HTTP on the devserver with time skipping, with the real activities,
// database and PDF renderer: a department enrols a growing share of its jurisdiction, runs
// two rating rounds (with the review year between), answers an objection, records a serious
// event, reads the dashboards, and downloads the plaques and the rating lists.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, type CycleHarness } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { createStarRatingActivities } from '../../../activities/star-rating.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Account } from '../../../domain/entities/account.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import { EvaluatorAssignment } from '../../../domain/entities/evaluator-assignment.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CommitmentFeedback, CommitmentSet } from '../../../domain/entities/commitment.ts';
import { StarIncentiveGrant, StarTrackingEvent } from '../../../domain/entities/star-tracking.ts';
import { defaultStarRatingCatalog } from '../../../domain/catalogs/star-rating.ts';
import { autoIndicatorsOf, indicatorsOf, manualIndicators } from '../../../domain/star-rating/rules.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../../domain/time.ts';
import { unitMaker } from '../../support/fixtures.ts';


let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
const orgIds: string[] = [];
let districtId = '';

const manual = manualIndicators(indicatorsOf(defaultStarRatingCatalog), autoIndicatorsOf(indicatorsOf(defaultStarRatingCatalog)));
const ORG_NAMES = ['A鲁恒机械有限公司', 'B泰丰纺织有限公司', 'C宏达物流有限公司', 'D瑞康医药有限公司', 'E阳光社工服务中心'];

beforeAll(async () => {
  harness = await startCycleHarness((app) => createStarRatingActivities({ orm: app.orm }));
  ({ env, app } = harness);

  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('d', '任城区', 'district', null);
  districtId = district.id;
  const streetA = unit('sa', '济阳街道', 'street', district);
  const streetB = unit('sb', '南张街道', 'street', district);
  const community = unit('ca', '东社区', 'community', streetA);
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => grantWithToken(em, tokens, login, role, scope);
  grant('dept', 'org_department', { unit: district });
  grant('streetA', 'street_committee', { unit: streetA });
  grant('streetB', 'street_committee', { unit: streetB });
  const evaluator = grant('evaluator', 'evaluator', {});
  ORG_NAMES.forEach((name, i) => {
    const org = em.create(Organization, { name, kind: i === 4 ? 'social_organization' : 'non_public_enterprise', unit: i % 2 === 0 ? community : streetB, partyOrgName: `中共${name}支部委员会`, responsiblePeople: [] } as never);
    orgIds.push(org.id);
    grant(`rep${i}`, 'enterprise_rep', { organization: org });
    em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: org.id } as never);
  });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = async (login: string, method: string, url: string, payload?: unknown) => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: { authorization: `Bearer ${tokens[login]}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.includes('json') ? response.json() : response.rawPayload };
};
const ok = async (login: string, method: string, url: string, payload?: unknown) => {
  const res = await call(login, method, url, payload);
  if (res.status >= 300) throw new Error(`${method} ${url} as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, any>;
};
async function skipTo(date: string, hour = 2) {
  const target = startOfShanghaiDay(date) + hour * 3600_000;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

/** A filed dual-commitment result and staff survey for an organization's year, as the dual commitments cycle leaves them. */
async function fileDualCommitment(orgId: string, year: number, totalScore: number, ratings: number[]) {
  const em = app.orm.em.fork() as EntityManager;
  const cycle = em.create(Cycle, { type: 'dual_commitment', year, name: `${year}双向承诺`, scope: { unitIds: [] }, settings: {}, status: 'completed' } as never);
  const set = em.create(CommitmentSet, { cycle, organization: orgId, year, workflowId: `dual-commitment/${orgId}/${year}`, gate: 'filed', status: 'approved', totalScore, grade: '良好', filedAt: new Date() } as never);
  for (const rating of ratings) em.create(CommitmentFeedback, { set, kind: 'satisfaction', rating, clientHash: 'h'.repeat(64) } as never);
  await em.flush();
}

async function rate(org: string, rep: string, street: string, fraction: number) {
  await ok(rep, 'POST', `/star-ratings/organizations/${org}/self-assessment`, { scores: { 'D1-1': 9 }, summary: '党建工作自评报告' });
  await ok(street, 'POST', `/star-ratings/organizations/${org}/preliminary-review`, { decision: 'pass', comments: '' });
  const scores = Object.fromEntries(manual.map((i) => [i.code, { points: Math.round(i.maxPoints * fraction * 10) / 10, comment: '台账齐全' }]));
  await ok('evaluator', 'POST', `/star-ratings/organizations/${org}/scores`, { scores });
  await ok('evaluator', 'POST', `/star-ratings/organizations/${org}/scores/submit`);
}

describe('star rating through HTTP', () => {
  it('runs two rating rounds for a jurisdiction end to end, with dashboards, plaques and lists', async () => {
    const Y = Number(shanghaiDate(await env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);
    const [o1, o2, o3] = orgIds as [string, string, string];

    // Enrolment: 40% of five eligible organizations; an enterprise cannot enrol.
    expect((await call('rep0', 'POST', '/star-ratings/enrolments', { year: Y, rule: { mode: 'share', share: 0.4 } })).status).toBe(403);
    const enrolled = await ok('dept', 'POST', '/star-ratings/enrolments', { year: Y, rule: { mode: 'share', share: 0.4 } });
    expect(enrolled).toMatchObject({ eligible: 5, alreadyEnrolled: 0, targetTotal: 2, enrolled: [o1, o2] });

    // Year Y: o1 has a filed dual-commitment result and survey; o2 has none.
    await fileDualCommitment(o1, Y, 80, [5, 4, 4, 3]);
    expect((await call('streetA', 'POST', `/star-ratings/organizations/${o1}/self-assessment`, { scores: {}, summary: 'x' })).status).toBe(403);
    await rate(o1, 'rep0', 'streetA', 0.85);
    // 初审 of o2 belongs to its own street: another street does not even see it.
    await ok('rep1', 'POST', `/star-ratings/organizations/${o2}/self-assessment`, { scores: {}, summary: '自评' });
    expect((await call('streetA', 'POST', `/star-ratings/organizations/${o2}/preliminary-review`, { decision: 'pass', comments: '' })).status).toBe(404);
    await ok('streetB', 'POST', `/star-ratings/organizations/${o2}/preliminary-review`, { decision: 'pass', comments: '' });
    const req = await ok('evaluator', 'POST', `/star-ratings/organizations/${o2}/evidence-requests`, { indicatorCode: 'D1-4', request: '请补充三会一课记录' });
    const requestId = req.evidenceRequests[0].id as string;
    await ok('evaluator', 'POST', `/star-ratings/organizations/${o2}/scores`, { scores: Object.fromEntries(manual.map((i) => [i.code, { points: i.maxPoints, comment: '' }])) });
    expect((await call('evaluator', 'POST', `/star-ratings/organizations/${o2}/scores/submit`)).status).toBe(409);
    await ok('rep1', 'POST', `/star-ratings/organizations/${o2}/evidence-requests/${requestId}/answer`, { note: '已补充', evidenceFileIds: [] });
    await ok('evaluator', 'POST', `/star-ratings/organizations/${o2}/scores/submit`);

    // The list the pages read: each caller sees the ratings it holds a role over, filtered and paginated.
    const listed = async (login: string, query = '') => (await ok(login, 'GET', `/star-ratings/organizations?limit=50&offset=0${query}`)) as any;
    expect((await listed('dept')).items.map((i: { name: string }) => i.name)).toEqual([ORG_NAMES[0], ORG_NAMES[1]]);
    expect((await listed('streetB')).items.map((i: { organizationId: string }) => i.organizationId)).toEqual([o2]);
    expect((await listed('rep0')).items.map((i: { organizationId: string }) => i.organizationId)).toEqual([o1]);
    expect((await listed('evaluator')).total).toBe(2);
    const paged = await ok('dept', 'GET', '/star-ratings/organizations?limit=1&offset=1');
    expect([paged.total, paged.items.map((i: { organizationId: string }) => i.organizationId)]).toEqual([2, [o2]]);
    const streetBId = (await app.orm.em.fork().findOneOrFail(Organization, { id: o2 }, { populate: ['unit'] })).unit.id;
    expect((await listed('dept', `&unitId=${streetBId}`)).items.map((i: { organizationId: string }) => i.organizationId)).toEqual([o2]);
    expect((await listed('dept', `&year=${Y - 1}`)).total).toBe(0);
    const row2 = (await listed('dept', `&q=${encodeURIComponent('泰丰')}&year=${Y}`)).items;
    expect(row2).toEqual([expect.objectContaining({
      organizationId: o2, year: Y, roundKind: 'rating', selfAssessed: true, preliminary: 'pass', scoresSubmitted: true, openEvidenceRequests: 0, stars: 0,
    })]);
    expect(row2[0].due).toMatch(new RegExp(`^${Y}-12-`));
    expect((await call('dept', 'GET', '/star-ratings/organizations?phase=nonsense')).status).toBe(400);

    await skipTo(`${Y}-12-21`);
    const proposal1 = (await ok('dept', 'GET', `/star-ratings/organizations/${o1}`)).status.proposal;
    // 61.2 from the evaluator, 80% of 18 from the commitments, 75% satisfied staff of 10.
    expect([proposal1.total, proposal1.stars]).toEqual([83.1, 4]);
    const proposal2 = (await ok('dept', 'GET', `/star-ratings/organizations/${o2}`)).status.proposal;
    expect(proposal2.lines.find((l: { code: string }) => l.code === 'D2-1').source).toBe('missing');
    expect([proposal2.total, proposal2.stars]).toEqual([72, 3]);
    for (const org of [o1, o2]) await ok('dept', 'POST', `/star-ratings/organizations/${org}/approval`);
    const objected = await ok('streetB', 'POST', `/star-ratings/organizations/${o2}/objections`, { text: '该企业党建活动记录不实' });
    await skipTo(`${Y}-12-29`);
    expect((await call('rep1', 'POST', `/star-ratings/organizations/${o2}/objections`, { text: '迟到' })).status).toBe(409);
    // Another enterprise cannot even see o2's rating.
    expect((await call('rep0', 'POST', `/star-ratings/organizations/${o2}/objections`, { text: 'x' })).status).toBe(404);
    await ok('dept', 'POST', `/star-ratings/organizations/${o2}/objections/${objected.objections[0].id}/answer`, { decision: 'dismissed', reply: '经核查记录属实，异议不成立' });
    await skipTo(`${Y}-12-30`);

    const view1 = await ok('rep0', 'GET', `/star-ratings/organizations/${o1}`);
    expect(view1.currentStars).toBe(4);
    expect(view1.history).toEqual([expect.objectContaining({ year: Y, trigger: 'rating', outcome: 'awarded', from: 0, to: 4, decidedBy: 'dept', plaque: `/star-ratings/organizations/${o1}/plaques/${Y}` })]);
    expect(view1.incentives.length).toBeGreaterThan(0);
    expect(view1.incentives.every((m: { minStars: number }) => m.minStars <= 4)).toBe(true);
    const plaque = await call('rep0', 'GET', `/star-ratings/organizations/${o1}/plaques/${Y}`);
    expect(plaque.status).toBe(200);
    const plaqueText = await pdfText(plaque.body as Buffer);
    expect(plaqueText).toContain(ORG_NAMES[0]);
    expect(plaqueText).toContain(String(Y));

    const list = await ok('dept', 'POST', '/star-ratings/lists', { year: Y, kind: '评定' });
    expect(list.entries).toBe(2);
    const listPdf = await call('dept', 'GET', list.download);
    const listText = await pdfText(listPdf.body as Buffer);
    expect(listText).toContain(ORG_NAMES[0]);
    expect(listText).toContain(ORG_NAMES[1]);
    expect((await call('rep0', 'GET', list.download)).status).toBe(403);

    // Year Y+1: the share grows to 60% (one more enters); a smaller share is refused.
    await skipTo(`${Y + 1}-01-03`);
    const refused = await call('dept', 'POST', '/star-ratings/enrolments', { year: Y + 1, rule: { mode: 'share', share: 0.2 } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ details: [{ field: 'body.rule' }] });
    expect((await ok('dept', 'POST', '/star-ratings/enrolments', { year: Y + 1, rule: { mode: 'share', share: 0.6 } })).enrolled).toEqual([o3]);

    // A serious event against o2 starts an immediate review; the department lowers it at once.
    expect((await call('rep0', 'POST', `/star-ratings/organizations/${o2}/events`, { type: 'major_safety_incident', occurredOn: `${Y + 1}-03-01`, summary: '仓库火灾', evidenceFileIds: [] })).status).toBe(403);
    const emE = app.orm.em.fork() as EntityManager;
    const photo = emE.create(EvidenceFile, { title: '事故调查报告', organization: o2, latestVersion: 1, createdBy: await emE.findOneOrFail(Account, { login: 'streetB' }) } as never);
    const elsewhere = emE.create(EvidenceFile, { title: '别家的材料', organization: o1, latestVersion: 1, createdBy: await emE.findOneOrFail(Account, { login: 'streetB' }) } as never);
    await emE.flush();
    const wrongEvidence = await call('streetB', 'POST', `/star-ratings/organizations/${o2}/events`, { type: 'major_safety_incident', occurredOn: `${Y + 1}-03-01`, summary: '仓库火灾', evidenceFileIds: [elsewhere.id] });
    expect(wrongEvidence.status).toBe(400);
    const tracked = await ok('streetB', 'POST', `/star-ratings/organizations/${o2}/events`, { type: 'major_safety_incident', occurredOn: `${Y + 1}-03-01`, summary: '仓库火灾造成人员受伤', evidenceFileIds: [photo.id] });
    expect(tracked.immediateReview.proposal).toMatchObject({ outcome: 'lowered', from: 3, to: 2 });
    const due = await ok('dept', 'GET', '/star-ratings/due-for-review');
    expect(due.items.map((i: { organizationId: string }) => i.organizationId)).toContain(o2);
    await ok('dept', 'POST', `/star-ratings/organizations/${o2}/reviews/${tracked.immediateReview.id}/decision`, { reason: '发生较大安全生产事故，下调一星' });
    await skipTo(`${Y + 1}-03-05`);
    const view2 = await ok('dept', 'GET', `/star-ratings/organizations/${o2}`);
    expect(view2.currentStars).toBe(2);
    expect(view2.history[1]).toMatchObject({ trigger: 'immediate_review', outcome: 'lowered', from: 3, to: 2, reason: '发生较大安全生产事故，下调一星', evidence: { eventIds: [tracked.eventId], evidenceFileIds: [photo.id] } });
    expect(view2.events[0]).toMatchObject({ id: tracked.eventId, accepted: true, serious: true });
    const em = app.orm.em.fork() as EntityManager;
    // Measures above two stars are withdrawn with the lowering.
    expect(await em.count(StarIncentiveGrant, { organization: o2, withdrawnAt: null, minStars: { $gt: 2 } })).toBe(0);
    expect(await em.count(StarTrackingEvent, { organization: o2 })).toBe(1);

    // The annual reviews of o1 and o2 are due after the year's records; the department stays silent and the proposals apply.
    await ok('rep0', 'POST', `/star-ratings/organizations/${o1}/self-report`, { summary: '年度自查报告' });
    await fileDualCommitment(o1, Y + 1, 85, [5, 5, 4, 4]);
    await skipTo(`${Y + 1}-12-22`);
    const dueNow = await ok('dept', 'GET', '/star-ratings/due-for-review');
    expect(dueNow.items.filter((i: { phase: string }) => i.phase === 'review_decision').map((i: { organizationId: string }) => i.organizationId).sort()).toEqual([o1, o2].sort());

    // Year Y+2: the second rating round for o1 and o2.
    await skipTo(`${Y + 2}-01-05`);
    const v1 = await ok('dept', 'GET', `/star-ratings/organizations/${o1}`);
    expect(v1.history.map((h: { trigger: string; outcome: string; decidedBy: string }) => [h.trigger, h.outcome, h.decidedBy])).toEqual([['rating', 'awarded', 'dept'], ['annual_review', 'kept', 'system']]);
    // o2 did not send its self-report: one star less.
    const v2 = await ok('dept', 'GET', `/star-ratings/organizations/${o2}`);
    expect(v2.history[2]).toMatchObject({ trigger: 'annual_review', outcome: 'lowered', from: 2, to: 1 });
    expect(v2.history[2].reason).toContain('未按期提交年度自查报告');
    await fileDualCommitment(o1, Y + 2, 95, [5, 5, 5, 4]);
    await rate(o1, 'rep0', 'streetA', 1);
    await rate(o2, 'rep1', 'streetB', 0.75);
    await skipTo(`${Y + 2}-12-21`);
    for (const org of [o1, o2]) await ok('dept', 'POST', `/star-ratings/organizations/${org}/approval`);
    await skipTo(`${Y + 2}-12-29`);
    const after1 = await ok('dept', 'GET', `/star-ratings/organizations/${o1}`);
    expect(after1.history.at(-1)).toMatchObject({ year: Y + 2, trigger: 'rating', outcome: 'raised', from: 4, to: 5 });
    const second = await ok('dept', 'POST', '/star-ratings/lists', { year: Y + 2, kind: '评定' });
    const secondText = await pdfText((await call('dept', 'GET', second.download)).body as Buffer);
    expect(secondText).toContain(ORG_NAMES[0]);
    expect((await call('dept', 'GET', `/star-ratings/organizations/${o1}/plaques/${Y + 2}`)).status).toBe(200);

    const distribution = await ok('dept', 'GET', `/star-ratings/distribution?unitId=${districtId}`);
    const byYear = Object.fromEntries(distribution.years.map((y: { year: number; counts: Record<string, number> }) => [y.year, y.counts]));
    expect(byYear[Y]).toMatchObject({ '4': 1, '3': 1 });
    expect(byYear[Y + 1]).toMatchObject({ '4': 1, '1': 1 });
    expect(byYear[Y + 2]['5']).toBe(1);
    // Each count of the distribution is the list filtered the same way (level held at the end of that year).
    const ofLevel = async (year: number, stars: number) =>
      (await ok('dept', 'GET', `/star-ratings/organizations?year=${year}&stars=${stars}&unitId=${districtId}`)).items.map((i: { organizationId: string }) => i.organizationId);
    expect(await ofLevel(Y, 4)).toEqual([o1]);
    expect(await ofLevel(Y + 1, 1)).toEqual([o2]);
    expect(await ofLevel(Y + 2, 5)).toEqual([o1]);
    // By kind: every rated organization here is an enterprise; no social organization was rated.
    expect((await ok('dept', 'GET', `/star-ratings/distribution?unitId=${districtId}&kind=non_public_enterprise`)).years).toEqual(distribution.years);
    expect((await ok('dept', 'GET', `/star-ratings/distribution?unitId=${districtId}&kind=social_organization`)).years).toEqual([]);
    const incentives = await ok('dept', 'GET', '/star-ratings/incentives');
    const forO1 = incentives.items.find((i: { organizationId: string }) => i.organizationId === o1);
    expect(forO1.measures).toHaveLength(38);
  }, 170_000);
});
