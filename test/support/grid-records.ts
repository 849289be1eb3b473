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
