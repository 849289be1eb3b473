// The community picker of 在职党员报到: the communities a member may report to, with the street and
// district they lie in, by area and by name, a page at a time. Only what is public about a community
// (its name, its Party organization's name, where it lies) and only in the caller's own trees: the
// district (or city) of the member's work unit or home community, or of the caller's grants. A
// member reports where they live or work, inside their own jurisdiction; another district's
// communities are not listed (and not named) to them.
import { escapeLike, isAdmin } from '../../../domain/auth/scope.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Caller } from '../points/access.ts';

export interface CommunityQuery {
  areaId?: string;
  name?: string;
  limit: number;
  offset: number;
}

/** SQL (alias u) for units in the caller's trees: under the root of the member's unit or work unit, or of a grant. */
function homeTrees(principal: Principal, alias: string): { sql: string; params: unknown[] } {
  if (isAdmin(principal)) return { sql: 'true', params: [] };
  const grantRoots = principal.grants.flatMap((g) => (g.unitPath ? [g.unitPath.split('/')[0]!] : []));
  const grantOrgs = principal.grants.flatMap((g) => (g.organizationId ? [g.organizationId] : []));
  return {
    sql: `split_part(${alias}.path, '/', 1) in (
      select split_part(h.path, '/', 1) from administrative_unit h where h.id in (
        select o.unit_id from person p join organization o on o.id = p.organization_id where p.id = ?
        union select p.unit_id from person p where p.id = ?
        union select o.unit_id from organization o where o.id = any(?::uuid[]))
      union select unnest(?::text[]))`,
    params: [principal.personId, principal.personId, `{${grantOrgs.join(',')}}`, `{${grantRoots.join(',')}}`],
  };
}

export async function listCommunities({ em, principal }: Caller, query: CommunityQuery) {
  const home = homeTrees(principal, 'c');
  const where = [`c.level = 'community'`, home.sql];
  const params = [...home.params];
  if (query.areaId) {
    where.push(`c.path like (select a.path from administrative_unit a where a.id = ?) || '%'`);
    params.push(query.areaId);
  }
  const name = query.name?.trim();
  if (name) {
    where.push(`(c.name ilike ? escape '\\' or c.party_org_name ilike ? escape '\\')`);
    params.push(`%${escapeLike(name)}%`, `%${escapeLike(name)}%`);
  }
  const rows = await em.execute<Record<string, string | null>[]>(
    `select c.id, c.name, c.party_org_name, s.id street_id, s.name street_name, d.id district_id, d.name district_name, count(*) over () total
       from administrative_unit c
       left join administrative_unit s on s.id = c.parent_id and s.level = 'street'
       left join administrative_unit d on d.id = s.parent_id and d.level = 'district'
      where ${where.join(' and ')} order by d.name nulls last, s.name nulls last, c.name, c.id limit ? offset ?`,
    [...params, query.limit, query.offset],
  );
  return {
    items: rows.map((r) => ({
      id: r.id!, name: r.name!, partyOrgName: r.party_org_name!, streetId: r.street_id, streetName: r.street_name, districtId: r.district_id,
      districtName: r.district_name,
    })),
    total: rows.length ? Number(rows[0]!.total) : 0, limit: query.limit, offset: query.offset,
  };
}

/** The districts and streets of the caller's trees (the picker's area filter). */
export async function listAreas({ em, principal }: Caller) {
  const home = homeTrees(principal, 'a');
  const rows = await em.execute<{ id: string; name: string; level: 'district' | 'street'; parent_id: string | null }[]>(
    `select a.id, a.name, a.level, a.parent_id from administrative_unit a where a.level in ('district', 'street') and ${home.sql}
      order by a.depth, a.name, a.id limit 2000`, home.params);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, level: r.level, parentId: r.parent_id })) };
}
