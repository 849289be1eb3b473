// Records of the grid governance cycles (points, 双报到) in one district, seeded straight into
// their tables for the route-authorization test (each route's own tests file them through the API).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A resident's point account in the community with a pending entry, goods on its shelf and a reservation. */
export async function seedPoints(em: EntityManager, communityId: string, tag: string) {
  const [pointAccount, pointEntry, pointGoods, pointExchange] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const now = new Date();
  await em.execute(`insert into point_account (id, holder_kind, holder_ref, display_name, community_id, balance, earned, created_at, updated_at)
    values (?, 'resident', ?, ?, ?, 10, 10, ?, ?)`, [pointAccount, tag === 'A' ? '13811110001' : '13811110002', `居民${tag}`, communityId, now, now]);
  await em.execute(`insert into point_entry (id, account_id, source_key, kind, rule_code, amount, status, community_id, created_at)
    values (?, ?, ?, 'earn', 'volunteer_activity', 5, 'pending', ?, ?)`, [pointEntry, pointAccount, `seed/${tag}`, communityId, now]);
  await em.execute(`insert into point_goods (id, community_id, name, price, stock, created_at, updated_at) values (?, ?, ?, 5, 10, ?, ?)`,
    [pointGoods, communityId, `洗衣液${tag}`, now, now]);
  await em.execute(`insert into point_exchange (id, goods_id, account_id, community_id, quantity, points, status, expires_at, created_at)
    values (?, ?, ?, ?, 1, 5, 'reserved', ?, ?)`, [pointExchange, pointGoods, pointAccount, communityId, new Date(now.getTime() + 7 * 86_400_000), now]);
  return { pointAccount, pointEntry, pointGoods, pointExchange };
}

/** 双报到: the organization reported to the community, a member of it too, paired with a household. */
export async function seedMemberReports(em: EntityManager, ids: { person: string; org: string; community: string }) {
  const [unitRegistration, memberRegistration, pairing] = [randomUUID(), randomUUID(), randomUUID()];
  const now = new Date();
  await em.execute(`insert into unit_registration (id, organization_id, community_id, status, created_at) values (?, ?, ?, 'pending', ?)`,
    [unitRegistration, ids.org, ids.community, now]);
  await em.execute(`insert into member_registration (id, person_id, organization_id, community_id, status, created_at) values (?, ?, ?, ?, 'confirmed', ?)`,
    [memberRegistration, ids.person, ids.org, ids.community, now]);
  await em.execute(`insert into household_pairing (id, registration_id, household_name, difficulty, created_at) values (?, ?, '困难户', '低保', ?)`,
    [pairing, memberRegistration, now]);
  return { unitRegistration, memberRegistration, pairing };
}

/** A grid matter reported in the grid (the grid matters' cycle), as its workflow's first activity would file it. */
export async function seedGridMatter(em: EntityManager, ids: { grid: string; district: string; tag: string }): Promise<string> {
  const [matter] = await em.execute<{ id: string }[]>(
    `insert into grid_matter (number, workflow_id, grid_id, category, category_name, urgency, description, source, rules_unit_id, responder_kind, level,
       assignee_unit_id, deadline_at) values (?, ?, ?, 'environment', '环境卫生', 'normal', '垃圾未清运', 'grid_worker', ?, 'grid', 0, ?, now()) returning id`,
    [`GM-${ids.tag}`, `grid-matter/GM-${ids.tag}`, ids.grid, ids.district, ids.grid],
  );
  return matter!.id;
}

/** 月调度、季督导: a task the district set for the street, with a finding (no workflow: the routes refuse before reaching it). */
export async function seedSteering(em: EntityManager, ids: { district: string; street: string }) {
  const [steeringTask, steeringFinding] = [randomUUID(), randomUUID()];
  const now = new Date();
  await em.execute(
    `insert into steering_task (id, workflow_id, supervisor_unit_id, region_id, owner_unit_id, year, title, target, due_on, months, created_at, updated_at)
     values (?, ?, ?, ?, ?, 2026, '加装电梯', '10部', '2026-12-31', '["2026-11","2026-12"]', ?, ?)`,
    [steeringTask, `grid-steering/${steeringTask}`, ids.district, ids.street, ids.street, now, now]);
  await em.execute(`insert into steering_finding (id, task_id, quarter, finding, rectify_by, created_at) values (?, ?, '2026-Q4', '进度滞后', '2026-12-31', ?)`,
    [steeringFinding, steeringTask, now]);
  return { steeringTask, steeringFinding };
}

/** The ids seeded above, by name. */
export interface GridRecords {
  pointAccount: string;
  pointEntry: string;
  pointGoods: string;
  pointExchange: string;
  unitRegistration: string;
  memberRegistration: string;
  pairing: string;
  steeringTask: string;
  steeringFinding: string;
}

/** Which seeded record a path of these cycles names in `{id}`. */
export const GRID_RECORD_PATHS: [RegExp, keyof GridRecords][] = [
  [/^\/points\/entries\//, 'pointEntry'], [/^\/points\/accounts\//, 'pointAccount'], [/^\/points\/goods\//, 'pointGoods'],
  [/^\/points\/exchanges\//, 'pointExchange'], [/^\/member-reports\/units\//, 'unitRegistration'],
  [/^\/member-reports\/registrations\//, 'memberRegistration'], [/^\/member-reports\/pairings\//, 'pairing'],
  [/^\/grid-steering\/tasks\//, 'steeringTask'], [/^\/grid-steering\/findings\//, 'steeringFinding'],
];

type District = GridRecords & { unit: string; street: string; organization: string };

/** Routes of these cycles whose path names no record, with the body that would reach into the other district. */
export const GRID_UNSCOPED: Record<string, ((o: District) => unknown) | 'read' | 'own'> = {
  // Points (issue 18.4): lists read the caller's communities; creates name a community or goods of the other district.
  'GET /points/rules': 'read', 'GET /points/entries': 'read', 'GET /points/accounts': 'read', 'GET /points/me': 'read', 'GET /points/goods': 'read',
  'GET /points/exchanges': 'read', 'GET /points/statements': 'read', 'GET /points/dashboard': 'read',
  'POST /points/rules': (o) => ({ unitId: o.unit, code: 'planted_rule', label: '越界', holderKind: 'member', points: 1 }),
  'POST /points/credits': (o) => ({ holder: { kind: 'resident', phone: '13811110009' }, ruleCode: 'volunteer_activity', communityId: o.unit }),
  'POST /points/goods': (o) => ({ communityId: o.unit, name: '越界', price: 1, stock: 1 }),
  // 双报到 (issue 18.3): a member without a person record cannot register anywhere; a unit only its own organization.
  'GET /member-reports/communities': 'read', 'GET /member-reports/areas': 'read', 'GET /member-reports/units': 'read', 'GET /member-reports/registrations': 'read', 'GET /member-reports/dashboard': 'read',
  'POST /member-reports/units': (o) => ({ organizationId: o.organization, communityId: o.unit }),
  'POST /member-reports/registrations': (o) => ({ communityId: o.unit }),
  // 月调度、季督导 (issue 18.2): a task for a street of the other district.
  'GET /grid-steering/tasks': 'read', 'GET /grid-steering/tasks/export': 'read',
  'POST /grid-steering/tasks': (o) => ({ ownerUnitId: o.street, title: '越界任务', target: '越界', dueOn: '2099-12-31' }),
  'POST /points/exchanges': (o) => ({ requestId: randomUUID(), goodsId: o.pointGoods, holder: { kind: 'resident', phone: '13811110009' }, quantity: 1 }),
};
