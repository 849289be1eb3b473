// The counting of the 四率 rate sources (activities/assessment-rates.ts) over real tables: records that
// make each rate a known fraction inside a community's subtree and the round's period, records outside
// the subtree or the period that must not count, the department's offline counts added, and a
// community with no records at all whose four rates are 无数据 (left out, never full marks).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initOrm } from '../../db/orm.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Account } from '../../domain/entities/account.ts';
import { countRates, sharesOf } from '../../activities/assessment-rates.ts';
import { FOUR_RATES_COMMUNITY } from '../../domain/assessment/defaults-rates.ts';
import { weightedScore } from '../../domain/assessment/rules.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { unitMaker } from '../support/fixtures.ts';

let db: TestDatabase;
let orm: MikroORM;
const ids: Record<string, string> = {};
const paths: Record<string, string> = {};
const em = () => orm.em.fork() as EntityManager;
const PERIOD = { from: '2026-01-01', to: '2026-12-31' };

beforeAll(async () => {
  db = await createTestDatabase('assessment_rates');
  orm = await initOrm({ url: db.url });
  const e = em();
  const unit = unitMaker(e);
  const district = unit('RD', '评价区', 'district', null);
  const street = unit('RS', '评价街道', 'street', district);
  const community = unit('RC', '评价社区', 'community', street);
  const empty = unit('RE', '空白社区', 'community', street);
  const other = unit('RO', '邻近社区', 'community', street);
  const grids = [1, 2, 3, 4].map((i) => unit(`RG${i}`, `第${i}网格`, 'grid', community));
  const otherGrid = unit('ROG', '邻近网格', 'grid', other);
  unit('REG', '空白网格', 'grid', empty);
  const org = (name: string, kind: 'resident_unit' | 'non_public_enterprise', u: typeof community) =>
    e.create(Organization, { name, kind, unit: u, creditCode: null, partyOrgName: null, responsiblePeople: [], address: null });
  // Resident units of the community: 4 located there, 1 reported from outside; 1 in the neighbouring community.
  const units = [1, 2, 3, 4].map((i) => org(`驻区单位${i}`, 'resident_unit', community));
  const reporting = org('外来报到单位', 'resident_unit', district);
  const neighbour = org('邻近驻区单位', 'resident_unit', other);
  const enterprise = org('非公企业甲', 'non_public_enterprise', grids[0]!);
  const otherEnterprise = org('非公企业乙', 'non_public_enterprise', other);
  const clerk = e.create(Account, { login: 'rates.clerk', displayName: '社区干事', passwordHash: 'x', active: true, person: null });
  await e.flush();
  Object.assign(ids, { community: community.id, empty: empty.id, other: other.id, clerk: clerk.id, enterprise: enterprise.id });
  Object.assign(paths, { community: community.path, empty: empty.path, other: other.path });
  const x = (sql: string, args: unknown[] = []) => e.execute(sql, args);

  // 驻区单位参与率: 5 units of the subtree (4 located + 1 reported and confirmed); 3 took part in 2026:
  // unit 1 an approved commitment set of 2026, unit 2 a member's service record in the period, the reporting unit an item filed.
  // Unit 3's set is of 2025 (outside), unit 4's service is in 2025 (outside); the neighbour takes part but is outside the subtree.
  const cycle = randomUUID();
  await x(`insert into cycle (id, type, year, name, scope, settings, status, created_at, updated_at)
    values (?, 'dual_commitment', 2026, '双向承诺', '{}', '{}', 'running', now(), now())`, [cycle]);
  const cycle25 = randomUUID();
  await x(`insert into cycle (id, type, year, name, scope, settings, status, created_at, updated_at)
    values (?, 'dual_commitment', 2025, '双向承诺', '{}', '{}', 'running', now(), now())`, [cycle25]);
  const set = async (orgId: string, year: number, approved: boolean) => {
    const id = randomUUID();
    await x(`insert into commitment_set (id, cycle_id, organization_id, year, workflow_id, gate_entered_at, approved_version, created_at, updated_at)
      values (?, ?, ?, ?, ?, now(), ?, now(), now())`, [id, year === 2026 ? cycle : cycle25, orgId, year, `dc/${id}`, approved ? 1 : null]);
    return id;
  };
  await set(units[0]!.id, 2026, true);
  await set(units[2]!.id, 2025, true);
  await set(neighbour.id, 2026, true);
  const filedSet = await set(reporting.id, 2026, false);
  await x(`insert into commitment_item_progress (id, set_id, item_key, status, filed_at, updated_at) values (?, ?, 'p1', 'fulfilled', '2026-05-02T02:00:00Z', now())`,
    [randomUUID(), filedSet]);
  await x(`insert into unit_registration (id, organization_id, community_id, status, created_at, decided_at) values (?, ?, ?, 'confirmed', '2025-12-01', '2025-12-02')`,
    [randomUUID(), reporting.id, community.id]);
  const service = async (orgId: string, on: string) => {
    const [reg, person] = [randomUUID(), randomUUID()];
    await x(`insert into person (id, name, unit_id, created_at, updated_at) values (?, '在职党员', ?, now(), now())`, [person, community.id]);
    await x(`insert into member_registration (id, person_id, organization_id, community_id, status, created_at) values (?, ?, ?, ?, 'confirmed', now())`,
      [reg, person, orgId, community.id]);
    await x(`insert into member_service_record (id, registration_id, served_on, hours, content, created_at) values (?, ?, ?, 2, '清扫楼道', now())`,
      [randomUUID(), reg, on]);
  };
  await service(units[1]!.id, '2026-03-05');
  await service(units[3]!.id, '2025-11-05');

  // 群众满意率: 4 answers on the community's survey in 2026, 3 with 4 or 5 stars; one 2025 answer and the neighbour's answers do not count.
  const survey = async (purpose: string, subject: string, ratings: [number, string][]) => {
    const id = randomUUID();
    await x(`insert into survey (id, purpose, subject_id, mode, questionnaire, created_at, updated_at) values (?, ?, ?, 'codes', '{"questions":[]}', now(), now())`,
      [id, purpose, subject]);
    for (const [rating, at] of ratings) {
      await x('insert into survey_response (id, survey_id, answers, created_at) values (?, ?, ?, ?)', [randomUUID(), id, JSON.stringify({ rating }), at]);
    }
  };
  await survey('party_org_satisfaction', community.id, [[5, '2026-02-01'], [4, '2026-03-01'], [4, '2026-06-01'], [2, '2026-07-01'], [5, '2025-06-01']]);
  await survey('party_org_satisfaction', other.id, [[1, '2026-02-01'], [1, '2026-02-02']]);
  // 出资人支持度: the enterprise of grid 1: 1 of 2 owners' answers supportive; the neighbour's enterprise does not count.
  await survey('owner_support', enterprise.id, [[5, '2026-04-01'], [3, '2026-04-02']]);
  await survey('owner_support', otherEnterprise.id, [[5, '2026-04-01']]);

  // 小区自治率: 4 grids; grid 1 has a 业委会, grid 2 a Party organization, grid 3 recorded with neither, grid 4 never recorded → 2 of 4.
  const compound = (grid: string, party: boolean, owners: boolean, at = '2026-03-01') => x(
    `insert into compound_governance (grid_id, party_org, owners_committee, self_governing_group, recorded_by, recorded_at) values (?, ?, ?, false, ?, ?)`,
    [grid, party, owners, clerk.id, at]);
  await compound(grids[0]!.id, false, true);
  await compound(grids[1]!.id, true, false);
  await compound(grids[2]!.id, false, false);
  await compound(otherGrid.id, true, true);
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

describe('counting the 四率 rate sources', () => {
  it('counts each rate as a known fraction over the subtree and the period', async () => {
    const counts = await countRates(em(), FOUR_RATES_COMMUNITY, { unitPath: paths.community!, ...PERIOD, subjectId: randomUUID() });
    expect(counts).toEqual({
      party_org_satisfaction: { n: 3, of: 4 },
      resident_units_participating: { n: 3, of: 5 },
      compounds_self_governed: { n: 2, of: 4 },
      owner_support: { n: 1, of: 2 },
    });
    // 30×0.75 + 25×0.6 + 25×0.5 + 20×0.5 = 60
    expect(weightedScore(FOUR_RATES_COMMUNITY, [], sharesOf(counts))).toMatchObject({ total: 60, noData: [] });
  });

  it('a community without records has 无数据 for all four rates: the total is not full marks but has nothing to stand on', async () => {
    const counts = await countRates(em(), FOUR_RATES_COMMUNITY, { unitPath: paths.empty!, ...PERIOD, subjectId: randomUUID() });
    expect(Object.values(counts).map((c) => c.of)).toEqual([0, 0, 0, 0]);
    const scored = weightedScore(FOUR_RATES_COMMUNITY, [], sharesOf(counts));
    expect(scored.noData.sort()).toEqual(['owner_support', 'participation', 'satisfaction', 'self_governance']);
    expect(scored.total).toBe(0);
  });

  it('offline counts add to the records; a rate without records but with offline counts is counted, the rest rescaled', async () => {
    const e = em();
    const [subject] = [randomUUID()];
    const round = randomUUID();
    const scheme = randomUUID();
    const def = JSON.stringify(FOUR_RATES_COMMUNITY);
    await e.execute('insert into assessment_scheme (id, unit_id, draft, latest_version) values (?, ?, ?, 1)', [scheme, ids.community, def]);
    await e.execute('insert into assessment_scheme_version (scheme_id, version, definition) values (?, 1, ?)', [scheme, def]);
    await e.execute(`insert into assessment_round (id, scheme_id, version, unit_id, period, period_from, period_to, workflow_id, scoring_due_at, started_at)
      values (?, ?, 1, ?, '2026年度', '2026-01-01', '2026-12-31', ?, now(), now())`, [round, scheme, ids.empty, `assessment-round/${round}`]);
    await e.execute('insert into assessment_subject (id, round_id, unit_id, name, workflow_id) values (?, ?, ?, ?, ?)',
      [subject, round, ids.empty, '空白社区', `assessment/${round}/${subject}`]);
    await e.execute(`insert into assessment_offline_count (subject_id, indicator_key, numerator, denominator, note, entered_by, entered_at)
      values (?, 'satisfaction', 18, 20, '入户测评纸质问卷20份', ?, now())`, [subject, ids.clerk]);
    const counts = await countRates(e, FOUR_RATES_COMMUNITY, { unitPath: paths.empty!, ...PERIOD, subjectId: subject });
    expect(counts.party_org_satisfaction).toEqual({ n: 18, of: 20, offline: { n: 18, of: 20 } });
    const scored = weightedScore(FOUR_RATES_COMMUNITY, [], sharesOf(counts));
    // Only 满意率 has data (90%): its weight 30 is rescaled to 100, so the total is 90, and the other three are 无数据.
    expect(scored.total).toBe(90);
    expect(scored.byIndicator).toEqual({ satisfaction: 90, participation: 0, self_governance: 0, owner_support: 0 });
    expect(scored.noData.sort()).toEqual(['owner_support', 'participation', 'self_governance']);
  });

  it('grid matters with no records are 无数据 too: left out and the rest rescaled, never full marks', async () => {
    const def = { ...FOUR_RATES_COMMUNITY, sections: [{ key: 'm', name: '事项', indicators: [
      { key: 'in_time', name: '按时办结率', weight: 100, rule: 'rate' as const, rateSource: 'grid_matters_closed_in_time' as const }] }] };
    const counts = await countRates(em(), def, { unitPath: paths.empty!, ...PERIOD, subjectId: randomUUID() });
    expect(counts).toEqual({ grid_matters_closed_in_time: { n: 0, of: 0 } });
    // The only indicator has no data: the subject totals 0, listed as 无数据.
    expect(weightedScore(def, [], sharesOf(counts))).toMatchObject({ total: 0, noData: ['in_time'] });
    const mixed = { ...def, sections: [{ key: 'm', name: '事项', indicators: [{ ...def.sections[0]!.indicators[0]!, weight: 40 },
      { key: 'duty', name: '履职', weight: 60, rule: 'manual' as const, max: 10 }] }] };
    const scored = weightedScore(mixed, [{ source: 'department', entries: { duty: { points: 8 } } }], sharesOf(counts));
    expect(scored).toMatchObject({ total: 80, noData: ['in_time'], byIndicator: { in_time: 0, duty: 80 } });
  });
});
