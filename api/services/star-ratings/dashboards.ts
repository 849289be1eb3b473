// The jurisdiction's dashboards: reads of the records the workflow's activities keep
// (star_move, star_round, star_incentive_grant); nothing is written here.
import { escapeLike } from '../../../domain/auth/scope.ts';
import { StarIncentiveGrant } from '../../../domain/entities/star-tracking.ts';
import type { StarRatingStatus } from '../../../domain/star-rating/contracts.ts';
import { jurisdiction, type Caller } from './access.ts';

/** The level each organization held at the end of each year, counted by level. */
export async function distribution(caller: Caller, unitId: string | undefined, year: number | undefined, kind?: string) {
  const unit = await jurisdiction(caller, unitId);
  const under = `${escapeLike(unit.path)}%`;
  const ofKind = kind ? 'and o.kind = ?' : '';
  const kinds = kind ? [kind] : [];
  const rows = await caller.em.getConnection().execute<{ year: number; stars: number; n: string }[]>(
    `with years as (select distinct year from star_move m join organization o on o.id = m.organization_id join administrative_unit u on u.id = o.unit_id
                     where u.path like ? ${ofKind}),
          last as (select distinct on (y.year, m.organization_id) y.year, m.to_stars from years y join star_move m on m.year <= y.year
                     join organization o on o.id = m.organization_id join administrative_unit u on u.id = o.unit_id
                    where u.path like ? ${ofKind} order by y.year, m.organization_id, m.year desc, m.decided_at desc)
     select year, to_stars as stars, count(*) as n from last group by year, to_stars order by year, to_stars desc`,
    [under, ...kinds, under, ...kinds],
  );
  const years = new Map<number, Record<string, number>>();
  for (const r of rows) {
    if (year && r.year !== year) continue;
    const counts = years.get(r.year) ?? { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0, 0: 0 };
    counts[String(r.stars)] = Number(r.n);
    years.set(r.year, counts);
  }
  return { unitId: unit.id, unitName: unit.name, years: [...years].map(([y, counts]) => ({ year: y, counts })) };
}

/** The annual reviews of the year and the immediate reviews waiting for a decision. */
export async function dueForReview(caller: Caller, unitId: string | undefined) {
  const unit = await jurisdiction(caller, unitId);
  type Row = { organization_id: string; name: string; year: number; kind: string; phase: string; stars: number; status: StarRatingStatus };
  const rows = await caller.em.getConnection().execute<Row[]>(
    `select r.organization_id, o.name, r.year, r.kind, r.phase, r.stars, r.status from star_round r join organization o on o.id = r.organization_id
       join administrative_unit u on u.id = o.unit_id
      where u.path like ?
        and (r.phase in ('review_self_report', 'review_decision')
             or exists (select 1 from jsonb_array_elements(r.status->'reviews') v where v->'decision' = 'null'::jsonb))
        and r.year = (select max(year) from star_round r2 where r2.organization_id = r.organization_id) order by o.name`,
    [`${escapeLike(unit.path)}%`],
  );
  return {
    items: rows.map((r) => ({
      organizationId: r.organization_id,
      name: r.name,
      year: r.year,
      phase: r.phase,
      stars: r.stars,
      pending: (r.status.reviews ?? [])
        .filter((v) => !v.decision)
        .map((v) => ({ reviewId: v.id, trigger: v.trigger, proposal: v.proposal, decideBy: v.decideBy })),
    })),
  };
}

/** The incentive measures in force per organization (granted, not withdrawn). */
export async function incentivesInForce(caller: Caller, unitId: string | undefined) {
  const unit = await jurisdiction(caller, unitId);
  const where = { withdrawnAt: null, organization: { unit: { path: { $like: `${escapeLike(unit.path)}%` } } } };
  const orderBy = { organization: { name: 'asc' }, measureCode: 'asc' } as never;
  const grants = await caller.em.find(StarIncentiveGrant, where as never, { populate: ['organization'], orderBy });
  type Entry = { organizationId: string; name: string; measures: { code: string; category: string; department: string; text: string; grantedYear: number }[] };
  const byOrg = new Map<string, Entry>();
  for (const g of grants) {
    const org = g.organization.getEntity();
    const entry = byOrg.get(org.id) ?? { organizationId: org.id, name: org.name, measures: [] };
    entry.measures.push({ code: g.measureCode, category: g.category, department: g.department, text: g.text, grantedYear: g.grantedYear });
    byOrg.set(org.id, entry);
  }
  return { items: [...byOrg.values()] };
}
