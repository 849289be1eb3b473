// 小区（楼院）自治 (seed 001): nothing in the records said whether a compound governs itself, so a grid (a
// compound: a unit of level grid) gets the smallest honest record — whether it has a Party organization,
// a 业委会, a 居民自管组织 — kept by the community or street over it, audited. The 自治率 of the four
// rates counts these records (activities/assessment-rates.ts); a grid never recorded counts as not governing
// itself once any grid of the subtree is recorded, and a subtree without any record is 无数据.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { notFound } from '../../../domain/errors.ts';
import { byName } from '../../support/names-order.ts';
import { scopePaths, unitInScope, type Caller } from './access.ts';

const KEEPERS = ['org_department', 'street_committee', 'community_committee'];
const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export interface CompoundBody { partyOrg: boolean; ownersCommittee: boolean; selfGoverningGroup: boolean; note?: string }

export function createCompoundService(deps: { clock: { now(): Date } }) {
  /** A page of the grids under the caller's units (or under `unitId`), by community then grid in pinyin order; the counts are of all pages. */
  async function list(c: Caller, query: { unitId?: string; limit?: number; offset?: number }) {
    const [limit, offset] = [query.limit ?? 50, query.offset ?? 0];
    const paths = query.unitId ? [(await unitInScope(c, query.unitId, KEEPERS)).path] : scopePaths(c.principal, KEEPERS);
    if (!paths.length) return { items: [], total: 0, limit, offset, recorded: 0, selfGoverned: 0 };
    const under = `g.level = 'grid' and (${paths.map(() => 'g.path like ?').join(' or ')})`;
    const args = paths.map((p) => `${p}%`);
    const [counts] = await c.em.execute<{ total: string; recorded: string; self_governed: string }[]>(
      `select count(*) total, count(c.grid_id) recorded, count(*) filter (where c.party_org or c.owners_committee or c.self_governing_group) self_governed
         from administrative_unit g left join compound_governance c on c.grid_id = g.id where ${under}`, args);
    const rows = await c.em.execute<{ id: string; name: string; community: string | null; party_org: boolean | null; owners_committee: boolean | null;
      self_governing_group: boolean | null; note: string | null; recorded_by: string | null; recorded_at: Date | null }[]>(
      `select g.id, g.name, p.name community, c.party_org, c.owners_committee, c.self_governing_group, c.note, a.display_name recorded_by, c.recorded_at
         from administrative_unit g left join administrative_unit p on p.id = g.parent_id left join compound_governance c on c.grid_id = g.id
         left join account a on a.id = c.recorded_by
        where ${under} order by ${byName('p.name')}, ${byName('g.name')}, g.id limit ? offset ?`, [...args, limit, offset]);
    const items = rows.map((r) => ({
      gridId: r.id, name: r.name, community: r.community, recorded: r.recorded_at !== null, partyOrg: Boolean(r.party_org),
      ownersCommittee: Boolean(r.owners_committee), selfGoverningGroup: Boolean(r.self_governing_group), note: r.note, recordedBy: r.recorded_by,
      recordedAt: iso(r.recorded_at),
    }));
    return { items, total: Number(counts!.total), limit, offset, recorded: Number(counts!.recorded), selfGoverned: Number(counts!.self_governed) };
  }

  async function record(c: Caller, gridId: string, body: CompoundBody) {
    const grid = await unitInScope(c, gridId, KEEPERS);
    if (grid.level !== 'grid') throw notFound('compound');
    await c.em.transactional(async (tx) => {
      const [before] = await tx.execute('select party_org, owners_committee, self_governing_group, note from compound_governance where grid_id = ?', [grid.id]);
      await tx.execute(
        `insert into compound_governance (grid_id, party_org, owners_committee, self_governing_group, note, recorded_by, recorded_at)
         values (?, ?, ?, ?, ?, ?, ?)
         on conflict (grid_id) do update set party_org = excluded.party_org, owners_committee = excluded.owners_committee,
           self_governing_group = excluded.self_governing_group, note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
        [grid.id, body.partyOrg, body.ownersCommittee, body.selfGoverningGroup, body.note?.trim() || null, c.principal.accountId, deps.clock.now()]);
      await recordAudit(tx as EntityManager, { actor: { accountId: c.principal.accountId, label: c.principal.login }, action: 'compound_governance.record',
        entityType: 'administrative_unit', entityId: grid.id, before: before ?? null, after: { ...body, note: body.note?.trim() || null } });
    });
    return (await list(c, { unitId: grid.id })).items[0]!;
  }

  return { list, record };
}
