// The rates a scheme's `rate` indicators name, counted in one place from the records over the
// round's period (from..to, Shanghai dates) and the assessed unit's subtree (its path and below):
//   grid_matters_closed_in_time   matters closed without climbing or running over at the top / matters (merged ones left out)
//   grid_matters_satisfied        matters rated 满意 / matters rated
//   resident_units_participating  驻区单位参与率: resident units of the subtree (located there, or reported to one of its
//                                 communities and confirmed) that took part in the period — an approved commitment set of a
//                                 year in the period, a commitment item filed, or a member's service record — / those units
//   party_org_satisfaction        群众满意率: answers of 4 or 5 stars / answers, in the 街道社区党组织满意度 surveys of the
//                                 subtree's street and community Party organizations (survey module, purpose party_org_satisfaction)
//   compounds_self_governed       小区（楼院）自治率: grids (compounds) recorded with a Party organization, a 业委会 or a 居民自管
//                                 组织 by the period's end / grids of the subtree (the compound_governance record)
//   owner_support                 出资人（负责人）支持度: answers of 4 or 5 stars / answers, in the owners' surveys of the subtree's
//                                 enterprises and social organizations (survey module, purpose owner_support)
// Counts the department typed in (线下, assessment_offline_count) add to the records' counts. Every source gives of = 0
// when nothing is recorded: rateShare reads that as 无数据 (left out, the rest rescaled), never as full marks.
import type { EntityManager } from '@mikro-orm/postgresql';
import { indicatorsOf, rateShare, type RateCount, type RateSource, type SchemeDefinition } from '../domain/assessment/rules.ts';

export interface RateScope { unitPath: string; from: string; to: string; subjectId: string }

type Row = { n: string; of: string };
const SATISFIED = 4;

const COUNTS: Record<RateSource, { sql: string; args: (s: RateScope) => unknown[] }> = {
  grid_matters_closed_in_time: {
    sql: `select count(*) filter (where m.status = 'closed' and m.climbs = 0 and not m.overdue_at_top) n, count(*) filter (where m.status <> 'merged') "of"
            from grid_matter m join administrative_unit g on g.id = m.grid_id
           where g.path like ? and m.created_at >= ?::date and m.created_at < ?::date + 1`,
    args: (s) => [`${s.unitPath}%`, s.from, s.to],
  },
  grid_matters_satisfied: {
    sql: `select count(*) filter (where m.rating = 'satisfied') n, count(*) filter (where m.rating is not null) "of"
            from grid_matter m join administrative_unit g on g.id = m.grid_id
           where g.path like ? and m.created_at >= ?::date and m.created_at < ?::date + 1`,
    args: (s) => [`${s.unitPath}%`, s.from, s.to],
  },
  resident_units_participating: {
    sql: `with units as (
            select o.id from organization o join administrative_unit u on u.id = o.unit_id
             where o.kind = 'resident_unit' and u.path like ? and o.created_at < ?::date + 1
            union
            select r.organization_id from unit_registration r join administrative_unit c on c.id = r.community_id
             where r.status = 'confirmed' and c.path like ? and r.decided_at < ?::date + 1)
          select count(*) filter (where
                   exists (select 1 from commitment_set s where s.organization_id = units.id and s.approved_version is not null
                             and s.year between extract(year from ?::date) and extract(year from ?::date))
                or exists (select 1 from commitment_item_progress p join commitment_set s on s.id = p.set_id
                            where s.organization_id = units.id and p.filed_at >= ?::date and p.filed_at < ?::date + 1)
                or exists (select 1 from member_service_record x join member_registration m on m.id = x.registration_id
                             join administrative_unit c on c.id = m.community_id
                            where m.organization_id = units.id and c.path like ? and x.served_on between ?::date and ?::date)) n,
                 count(*) "of"
            from units`,
    args: (s) => [`${s.unitPath}%`, s.to, `${s.unitPath}%`, s.to, s.from, s.to, s.from, s.to, `${s.unitPath}%`, s.from, s.to],
  },
  party_org_satisfaction: {
    sql: `select count(*) filter (where (r.answers->>'rating')::int >= ${SATISFIED}) n, count(*) filter (where r.answers->>'rating' is not null) "of"
            from survey_response r join survey v on v.id = r.survey_id join administrative_unit u on u.id = v.subject_id
           where v.purpose = 'party_org_satisfaction' and u.path like ? and r.created_at >= ?::date and r.created_at < ?::date + 1`,
    args: (s) => [`${s.unitPath}%`, s.from, s.to],
  },
  compounds_self_governed: {
    sql: `select count(*) filter (where c.grid_id is not null and (c.party_org or c.owners_committee or c.self_governing_group)) n,
                 case when count(c.grid_id) = 0 then 0 else count(*) end "of"
            from administrative_unit g left join compound_governance c on c.grid_id = g.id and c.recorded_at < ?::date + 1
           where g.level = 'grid' and g.path like ?`,
    args: (s) => [s.to, `${s.unitPath}%`],
  },
  owner_support: {
    sql: `select count(*) filter (where (r.answers->>'rating')::int >= ${SATISFIED}) n, count(*) filter (where r.answers->>'rating' is not null) "of"
            from survey_response r join survey v on v.id = r.survey_id join organization o on o.id = v.subject_id
            join administrative_unit u on u.id = o.unit_id
           where v.purpose = 'owner_support' and u.path like ? and r.created_at >= ?::date and r.created_at < ?::date + 1`,
    args: (s) => [`${s.unitPath}%`, s.from, s.to],
  },
};

/** The counts of every rate source the scheme names (and only those), with the department's offline counts added. */
export async function countRates(em: EntityManager, d: SchemeDefinition, scope: RateScope): Promise<Partial<Record<RateSource, RateCount>>> {
  const rated = indicatorsOf(d).filter((i) => i.rule === 'rate');
  const out: Partial<Record<RateSource, RateCount>> = {};
  for (const source of new Set(rated.map((i) => i.rateSource!))) {
    const [row] = await em.execute<Row[]>(COUNTS[source].sql, COUNTS[source].args(scope));
    out[source] = { n: Number(row?.n ?? 0), of: Number(row?.of ?? 0) };
  }
  const offline = rated.some((i) => i.offline)
    ? await em.execute<{ indicator_key: string; numerator: number; denominator: number }[]>(
      'select indicator_key, numerator, denominator from assessment_offline_count where subject_id = ?', [scope.subjectId])
    : [];
  for (const o of offline) {
    const ind = rated.find((i) => i.key === o.indicator_key && i.offline);
    if (!ind) continue;
    const c = out[ind.rateSource!]!;
    c.n += o.numerator;
    c.of += o.denominator;
    c.offline = { n: (c.offline?.n ?? 0) + o.numerator, of: (c.offline?.of ?? 0) + o.denominator };
  }
  return out;
}

/** Shares 0–1 per source, null = 无数据 (see rateShare). */
export const sharesOf = (counts: Partial<Record<RateSource, RateCount>>): Partial<Record<RateSource, number | null>> =>
  Object.fromEntries(Object.entries(counts).map(([k, c]) => [k, rateShare(k as RateSource, c)]));
