// 双报到 over HTTP with its workflow on a time-skipping devserver: a member reports to a
// community, the community confirms (the member's monthly checks start), the member records a
// service (先锋指数 pending the community's confirmation), pairs with a household and visits it;
// a month without service is flagged to the member's unit; the unit's Party organization reads
// its member's record; the community reads the unit's summary for its 写实评价. Who may do what.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, type CycleHarness } from '../../support/cycle-harness.ts';
import { bearer, buildOtherDistrict, buildWorld, PASSWORD, type OtherDistrict, type World } from '../../support/fixtures.ts';
import { createMemberReportActivities } from '../../../activities/member-report.ts';
import { Account } from '../../../domain/entities/account.ts';
import { hashPassword } from '../../../domain/auth/passwords.ts';
import { memberReportWorkflowId } from '../../../domain/member-report/contracts.ts';
import { monthEndsAt } from '../../../domain/member-report/rules.ts';
import { shanghaiDate } from '../../../domain/time.ts';

let harness: CycleHarness;
let world: World;
let other: OtherDistrict;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  harness = await startCycleHarness((app) => createMemberReportActivities({ orm: app.orm }));
  world = await buildWorld(harness.app);
  other = await buildOtherDistrict(harness.app);
  Object.assign(tokens, world.tokens);
  const em = harness.app.orm.em.fork() as EntityManager;
  em.create(Account, { login: 'memberA', displayName: '王甲', passwordHash: await hashPassword(PASSWORD), active: true, person: world.personA.id as never });
  await em.flush();
  const login = await harness.app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'memberA', password: PASSWORD } });
  tokens.memberA = login.json().accessToken;
}, 180_000);
afterAll(async () => harness?.close());

const as = (caller: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  harness.app.server.inject({ method, url, headers: bearer(tokens[caller]!), ...(payload ? { payload } : {}) });

describe('双报到', () => {
  let regId: string;
  const today = shanghaiDate(new Date());

  it('the community picker lists the communities of the member\'s own district by street and name, a page at a time, public facts only', async () => {
    const all = await as('memberA', 'GET', '/member-reports/communities?limit=1');
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ total: 2, limit: 1, offset: 0 });
    // Ordered by district, street and name (乙 sorts before 甲 by code point).
    expect(all.json().items[0]).toEqual({
      id: world.communityB.id, name: '乙社区', partyOrgName: '乙社区党组织', streetId: world.streetB.id, streetName: '乙街道', districtId: world.district.id,
      districtName: '测试区',
    });
    const second = (await as('memberA', 'GET', '/member-reports/communities?limit=1&offset=1')).json();
    expect(second.items.map((c: { name: string }) => c.name)).toEqual(['甲社区']);
    const byStreet = (await as('memberA', 'GET', `/member-reports/communities?areaId=${world.streetB.id}`)).json();
    expect([byStreet.total, byStreet.items[0].id]).toEqual([1, world.communityB.id]);
    const byName = (await as('memberA', 'GET', `/member-reports/communities?name=${encodeURIComponent('甲')}`)).json();
    expect(byName.items.map((c: { id: string }) => c.id)).toEqual([world.communityA.id]);
    expect((await as('memberA', 'GET', `/member-reports/communities?name=${encodeURIComponent('%')}`)).json().total).toBe(0);
    // Another district is neither listed nor reachable through its street.
    const body = (await as('memberA', 'GET', '/member-reports/communities?limit=200')).payload;
    expect(body).not.toContain(other.community.id);
    expect((await as('memberA', 'GET', `/member-reports/communities?areaId=${other.street.id}`)).json().total).toBe(0);
    const areas = (await as('memberA', 'GET', '/member-reports/areas')).json().items;
    expect(areas.map((a: { name: string; level: string }) => `${a.level}:${a.name}`)).toEqual(['district:测试区', 'street:乙街道', 'street:甲街道']);
    // That district's own member sees its communities, not these.
    const theirs = await harness.app.server.inject({ method: 'GET', url: '/member-reports/communities', headers: bearer(other.tokens.enterprise2!) });
    expect(theirs.json().items.map((c: { id: string }) => c.id)).toEqual([other.community.id]);
    expect((await harness.app.server.inject({ method: 'GET', url: '/member-reports/communities' })).statusCode).toBe(401);
    const bad = await as('memberA', 'GET', '/member-reports/communities?areaId=x');
    expect([bad.statusCode, bad.json().details[0].field]).toEqual([400, 'querystring.areaId']);
  });

  it('a member reports to a community; again is the same registration; records wait for confirmation', async () => {
    const res = await as('memberA', 'POST', '/member-reports/registrations', { communityId: world.communityA.id, skills: '法律咨询' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'pending', personName: '王甲', organizationName: '甲科技有限公司', communityName: '甲社区' });
    regId = res.json().id;
    expect((await as('memberA', 'POST', '/member-reports/registrations', { communityId: world.communityA.id })).json().id).toBe(regId);
    const early = await as('memberA', 'POST', `/member-reports/registrations/${regId}/services`, { servedOn: today, hours: 2, content: '环境整治' });
    expect(early.json().error).toBe('registration_pending');
    const notCommunity = await as('memberA', 'POST', '/member-reports/registrations', { communityId: world.streetA.id });
    expect(notCommunity.json().details).toEqual([{ field: 'body.communityId', rule: '请选择报到的社区' }]);
  });

  it('the community confirms (another street 404, the unit 403); the monthly checks start', async () => {
    expect((await as('streetB', 'POST', `/member-reports/registrations/${regId}/confirm`)).statusCode).toBe(404);
    expect((await as('partyOrgA', 'POST', `/member-reports/registrations/${regId}/confirm`)).statusCode).toBe(403);
    const res = await as('communityA', 'POST', `/member-reports/registrations/${regId}/confirm`);
    expect(res.json()).toMatchObject({ status: 'confirmed' });
    expect((await as('communityA', 'POST', `/member-reports/registrations/${regId}/confirm`)).json().error).toBe('registration_confirmed');
    const described = await harness.env.client.workflow.getHandle(memberReportWorkflowId(regId)).describe();
    expect(described.status.name).toBe('RUNNING');
  });

  it('the member records a service (a future day refused naming the field); it earns points once the community confirms them', async () => {
    const future = await as('memberA', 'POST', `/member-reports/registrations/${regId}/services`, { servedOn: '2099-01-01', hours: 2, content: '环境整治' });
    expect(future.json().details).toEqual([{ field: 'body.servedOn', rule: '服务日期不能晚于今天' }]);
    expect((await as('enterpriseB', 'POST', `/member-reports/registrations/${regId}/services`, { servedOn: today, hours: 2, content: '环境整治' })).statusCode).toBe(404);
    const res = await as('memberA', 'POST', `/member-reports/registrations/${regId}/services`, { servedOn: today, hours: 2, content: '环境整治' });
    expect(res.json().points).toMatchObject({ amount: 10, status: 'pending' });
    expect((await as('memberA', 'GET', '/points/me')).json().accounts[0]).toMatchObject({ balance: 0, pending: 10 });
    await as('communityA', 'POST', `/points/entries/${res.json().points.entryId}/confirm`);
    expect((await as('memberA', 'GET', '/points/me')).json().accounts[0]).toMatchObject({ balance: 10, pending: 0 });
  });

  it('pairs with a household and visits it; the unit reads its member\'s record, another enterprise cannot', async () => {
    const pairing = await as('memberA', 'POST', `/member-reports/registrations/${regId}/pairings`, { householdName: '李大爷家', difficulty: '独居老人' });
    expect(pairing.statusCode).toBe(200);
    const visit = await as('memberA', 'POST', `/member-reports/pairings/${pairing.json().id}/visits`, { visitedOn: today, note: '送去米面油' });
    expect(visit.statusCode).toBe(200);
    expect((await as('enterpriseB', 'POST', `/member-reports/pairings/${pairing.json().id}/visits`, { visitedOn: today, note: '冒充' })).statusCode).toBe(404);
    const seen = await as('partyOrgA', 'GET', `/member-reports/registrations/${regId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().pairings[0]).toMatchObject({ householdName: '李大爷家', visits: [{ note: '送去米面油' }] });
    expect(seen.json().registration).toMatchObject({ servicesThisYear: 1, pairings: 1, visits: 1 });
    expect((await as('enterpriseB', 'GET', `/member-reports/registrations/${regId}`)).statusCode).toBe(404);
    expect((await as('nobody', 'GET', '/member-reports/registrations')).json().items).toEqual([]);
  });

  it('a month without service is flagged to the member\'s unit when it ends', async () => {
    const [y, m] = today.split('-').map(Number) as [number, number];
    const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
    const target = monthEndsAt(ny, nm) + 3600_000;
    await harness.env.sleep(target - (await harness.env.currentTimeMs()));
    const next = `${ny}-${String(nm).padStart(2, '0')}`;
    let detail = (await as('partyOrgA', 'GET', `/member-reports/registrations/${regId}`)).json();
    for (let i = 0; i < 50 && !detail.flaggedMonths.includes(next); i++) {
      await new Promise((r) => setTimeout(r, 200));
      detail = (await as('partyOrgA', 'GET', `/member-reports/registrations/${regId}`)).json();
    }
    // This month had a service, the next had none.
    expect(detail.flaggedMonths).toEqual([next]);
    const inbox = (await as('partyOrgA', 'GET', '/notifications')).json();
    expect(JSON.stringify(inbox)).toContain(`在职党员王甲${next}未到社区服务`);
  }, 60_000);

  it('the community reads the unit\'s summary where it writes the 写实评价; the dashboard shows the service rate by unit', async () => {
    const unit = await as('enterpriseA', 'POST', '/member-reports/units', { organizationId: world.orgA.id, communityId: world.communityA.id });
    expect(unit.json().status).toBe('pending');
    expect((await as('enterpriseB', 'POST', '/member-reports/units', { organizationId: world.orgA.id, communityId: world.communityA.id })).statusCode).toBe(404);
    await as('communityA', 'POST', `/member-reports/units/${unit.json().id}/confirm`);
    const summary = await as('communityA', 'GET', `/member-reports/organizations/${world.orgA.id}/summary`);
    expect(summary.json()).toMatchObject({ unitRegistered: true, members: 1, confirmedMembers: 1, services: 1, serviceHours: 2, pairings: 1, visits: 1 });
    expect((await as('streetB', 'GET', `/member-reports/organizations/${world.orgA.id}/summary`)).statusCode).toBe(404);
    const dash = (await as('orgDept', 'GET', `/member-reports/dashboard?month=${today.slice(0, 7)}`)).json();
    expect(dash.units).toEqual([{ organizationId: world.orgA.id, organizationName: '甲科技有限公司', members: 1, served: 1, rate: 100, flagged: 0 }]);
  });

  it('the workflow\'s history replays', async () => {
    await harness.env.client.workflow.getHandle(memberReportWorkflowId(regId)).terminate('test over');
    await harness.replay(memberReportWorkflowId(regId));
  });
});
