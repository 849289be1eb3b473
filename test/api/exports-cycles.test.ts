// Excel exports of the cycles' lists (issue 17.4): commitment items and scores, star ratings and
// their distribution, postings, attendance months, the audit log. Each file is opened with
// exceljs's reader: Chinese headers, the rows the caller's JSON list would give, the filters
// named and narrowing the rows, nothing of another street.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { byHeader, readXlsx } from '../support/xlsx.ts';
import { Cycle } from '../../domain/entities/cycle.ts';
import { CommitmentItemProgress, CommitmentSet, CommitmentSetVersion } from '../../domain/entities/commitment.ts';
import { StarEnrolment } from '../../domain/entities/star-rating.ts';
import { PostingCohort } from '../../domain/entities/posting-cohort.ts';
import { Posting } from '../../domain/entities/posting.ts';
import { PostingMonth } from '../../domain/entities/posting-records.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Person } from '../../domain/entities/person.ts';
import { DEFAULT_COHORT_SETTINGS } from '../../domain/posting/rules.ts';

let app: TestApp;
let world: World;
const item = (key: string, side: string, title: string) => ({
  key, side, catalogItemCode: null, title, content: `${title}的内容`, target: '看得见的目标', indicator: '不少于4次', deadline: '2026-10-31',
  responsiblePerson: { name: '赵责任', phone: '13900000001' },
});

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  const cycle = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: '双向承诺2026', scope: { unitIds: [world.district.id] }, settings: {}, status: 'running' } as never);
  const set = (org: Organization, gate: string) => em.create(CommitmentSet, {
    cycle, organization: org, year: 2026, workflowId: `dual-commitment/${org.id}/2026`, gate, status: 'approved', latestVersion: 1, approvedVersion: 1,
    selfEvaluations: { party: { score: 92, summary: '好', by: 'x', at: '2026-11-01' } }, gateEnteredAt: new Date(), startedAt: new Date(),
  } as never) as CommitmentSet;
  const setA = set(world.orgA, 'evaluate');
  const setB = set(world.orgB, 'practice');
  em.create(CommitmentSetVersion, { set: setA, version: 1, items: [item('a1', 'party', '组织职工培训'), item('a2', 'enterprise', '吸纳就业')], status: 'approved', savedBy: world.accounts.enterpriseA } as never);
  em.create(CommitmentSetVersion, { set: setB, version: 1, items: [item('b1', 'party', '乙的承诺')], status: 'approved', savedBy: world.accounts.enterpriseA } as never);
  em.create(CommitmentItemProgress, { set: setA, itemKey: 'a1', status: 'fulfilled', description: '培训5次', score: 88.5, scoreRemark: '完成较好' } as never);
  const star = em.create(Cycle, { type: 'star_rating', year: 2026, name: '星级2026', scope: { unitIds: [world.district.id] }, settings: {}, status: 'running' } as never);
  for (const org of [world.orgA, world.orgB]) {
    em.create(StarEnrolment, { organization: org, departmentUnit: world.district, cycle: star, firstYear: 2026, workflowId: `star-rating/${org.id}`, currentStars: 3 } as never);
  }
  const dispatcher = em.create(Organization, { name: '区交通局', kind: 'resident_unit', unit: world.district, responsiblePeople: [] } as never);
  const cohort = em.create(PostingCohort, { name: '2026年第一书记', region: world.district, startsOn: '2026-01-01', settings: DEFAULT_COHORT_SETTINGS } as never);
  const posting = (name: string, community: typeof world.communityA) => em.create(Posting, {
    person: em.create(Person, { name, unit: community } as never), community, dispatchingOrganization: dispatcher, cohort,
    startsOn: '2026-01-01', endsOn: '2027-12-31', phase: 'active',
  } as never) as Posting;
  const pa = posting('孙书记', world.communityA);
  const pb = posting('周书记', world.communityB);
  em.create(PostingMonth, { posting: pa, month: '2026-03', fromDate: '2026-03-01', toDate: '2026-03-31', requiredDays: 22, confirmedDays: 20 } as never);
  em.create(PostingMonth, { posting: pa, month: '2025-12', fromDate: '2025-12-01', toDate: '2025-12-31', requiredDays: 22, confirmedDays: 22 } as never);
  em.create(PostingMonth, { posting: pb, month: '2026-03', fromDate: '2026-03-01', toDate: '2026-03-31', requiredDays: 22, confirmedDays: 22 } as never);
  await em.flush();
});
afterAll(async () => app?.close());

const download = async (token: string, url: string) => {
  const res = await app.server.inject({ method: 'GET', url, headers: bearer(token) });
  expect(`${url} ${res.statusCode}`).toBe(`${url} 200`);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  return readXlsx(res.rawPayload);
};

describe('Excel exports of the cycles', () => {
  it('commitment items: one row per item of the approved version with progress and score; a street sees its own sets only', async () => {
    const sheet = await download(world.tokens.orgDept!, '/dual-commitments/items/export?year=2026');
    expect(sheet.headers).toEqual(expect.arrayContaining(['组织名称', '承诺方', '承诺事项', '完成时限', '完成情况', '评分']));
    expect(sheet.filters).toBe('筛选条件：年度：2026');
    const rows = byHeader(sheet);
    // The sets list's order (by name in the database's collation), each set's items in their saved order.
    expect(rows.map((r) => [r['组织名称'], r['承诺事项']])).toEqual([['乙商贸有限公司', '乙的承诺'], ['甲科技有限公司', '组织职工培训'], ['甲科技有限公司', '吸纳就业']]);
    expect(rows[1]).toMatchObject({ 承诺方: '党组织向企业承诺', 完成情况: '已完成', 评分: 88.5, 评分说明: '完成较好', 环节: '评诺' });
    expect(rows[1]!['完成时限']).toEqual(new Date('2026-10-31T00:00:00Z'));
    const street = byHeader(await download(world.tokens.streetB!, '/dual-commitments/items/export'));
    expect(street.map((r) => r['组织名称'])).toEqual(['乙商贸有限公司']);
    const gate = await download(world.tokens.orgDept!, '/dual-commitments/items/export?gate=practice');
    expect(gate.filters).toBe('筛选条件：环节：践诺');
    expect(byHeader(gate).map((r) => r['承诺事项'])).toEqual(['乙的承诺']);
  });

  it('scores: one row per set with self-evaluations, scored items and their average', async () => {
    const rows = byHeader(await download(world.tokens.orgDept!, '/dual-commitments/scores/export'));
    expect(rows[1]).toMatchObject({ 组织名称: '甲科技有限公司', 党组织自评分: 92, 承诺事项数: 2, 已评分事项数: 1, 事项平均分: 88.5 });
    expect(rows[0]).toMatchObject({ 组织名称: '乙商贸有限公司', 承诺事项数: 1, 已评分事项数: 0, 事项平均分: null });
    expect(byHeader(await download(world.tokens.streetA!, '/dual-commitments/scores/export')).map((r) => r['组织名称'])).toEqual(['甲科技有限公司']);
  });

  it('star ratings: the list\'s rows and filters; the distribution sheet', async () => {
    const all = byHeader(await download(world.tokens.orgDept!, '/star-ratings/organizations/export'));
    const list = (await app.server.inject({ method: 'GET', url: '/star-ratings/organizations', headers: bearer(world.tokens.orgDept!) })).json();
    expect(all.map((r) => [r['组织名称'], r['现有星级']])).toEqual(list.items.map((i: { name: string; stars: number }) => [i.name, i.stars]));
    expect(all).toHaveLength(2);
    const named = await download(world.tokens.orgDept!, `/star-ratings/organizations/export?q=${encodeURIComponent('乙商贸')}`);
    expect(named.filters).toBe('筛选条件：名称含：乙商贸');
    expect(byHeader(named).map((r) => r['组织名称'])).toEqual(['乙商贸有限公司']);
    expect(byHeader(await download(world.tokens.streetA!, '/star-ratings/organizations/export')).map((r) => r['组织名称'])).toEqual(['甲科技有限公司']);
    const dist = await download(world.tokens.orgDept!, '/star-ratings/distribution/export');
    expect(dist.headers).toEqual(['单位', '年度', '五星', '四星', '三星', '二星', '一星', '未定星', '合计', '三星及以上占比']);
  });

  it('postings and attendance months: rows of the caller\'s communities, narrowed by the filters', async () => {
    const postings = byHeader(await download(world.tokens.orgDept!, '/postings/export?current=true'));
    expect(postings.map((r) => r['第一书记']).sort()).toEqual(['周书记', '孙书记']);
    expect(postings[0]).toMatchObject({ 状态: '在岗', 派出单位: '区交通局' });
    expect(byHeader(await download(world.tokens.streetA!, '/postings/export')).map((r) => r['第一书记'])).toEqual(['孙书记']);
    const months = await download(world.tokens.orgDept!, '/postings/attendance/export?year=2026');
    expect(months.filters).toBe('筛选条件：年度：2026');
    expect(byHeader(months).map((r) => [r['社区'], r['第一书记'], r['月份'], r['应在岗天数'], r['实际在岗天数'], r['差额'], r['是否达标']])).toEqual([
      ['甲社区', '孙书记', '2026-03', 22, 20, 2, '否'],
      ['乙社区', '周书记', '2026-03', 22, 22, 0, '是'],
    ]);
    const street = byHeader(await download(world.tokens.streetB!, '/postings/attendance/export'));
    expect(street.map((r) => r['第一书记'])).toEqual(['周书记']);
  });

  it('audit log: the department\'s entries newest first, narrowed by entity type; refused to a street', async () => {
    const created = await app.server.inject({
      method: 'POST', url: '/organizations', headers: bearer(world.tokens.orgDept!),
      payload: { name: '审计测试有限公司', kind: 'non_public_enterprise', unitId: world.communityA.id, partyOrgName: '审计测试党支部' },
    });
    expect(created.statusCode).toBe(201);
    const sheet = await download(world.tokens.orgDept!, '/audit/export?entityType=organization');
    expect(sheet.filters).toBe('筛选条件：对象类型：organization');
    const rows = byHeader(sheet);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r['对象类型'] === 'organization')).toBe(true);
    expect(String(rows[0]!['变更后'])).toContain('审计测试有限公司');
    expect(rows[0]!['时间']).toBeInstanceOf(Date);
    const none = await download(world.tokens.orgDept!, '/audit/export?entityType=nothing_like_this');
    expect(none.rows).toEqual([]);
    expect((await app.server.inject({ method: 'GET', url: '/audit/export', headers: bearer(world.tokens.streetA!) })).statusCode).toBe(403);
  });
});
