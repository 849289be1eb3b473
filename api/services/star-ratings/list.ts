// The star ratings a caller can see, one row per enrolled organization with its latest (or a
// given year's) round: the pages' lists and the 待办 page read this. Filters by unit (a street or
// community), year, phase, level, kind and name; paginated on the server. Reads only.
import { escapeLike, organizationScopeSql, readableOrganizationScope } from '../../../domain/auth/scope.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { notFound } from '../../../domain/errors.ts';
import type { StarRatingStatus } from '../../../domain/star-rating/contracts.ts';
import type { Caller } from './access.ts';
import type { Role } from '../../../domain/auth/roles.ts';

const READERS: Role[] = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'enterprise_rep', 'enterprise_party_org'];

export interface RatingListQuery {
  unitId?: string;
  year?: number;
  phase?: string;
  stars?: number;
  kind?: string;
  q?: string;
  ended?: boolean;
  limit: number;
  offset: number;
}

type Row = {
  organization_id: string; name: string; kind: string; unit_name: string; current_stars: number; ended_at: Date | null; first_year: number;
  year: number | null; round_kind: string | null; phase: string | null; proposed_stars: number | null; total: number | null;
  status: StarRatingStatus | null; n: string;
};

/** The date the current phase is due by (ISO), from the round's own plan. */
function dueOf(status: StarRatingStatus | null, phase: string | null): string | null {
  const plan = status?.config?.plan;
  if (!plan || !phase) return null;
  switch (phase) {
    case 'self_assessment': return plan.selfAssessmentDue;
    case 'preliminary_review': return plan.preliminaryDue;
    case 'scoring': return plan.scoringDue;
    case 'approval': return plan.recordsDue;
    case 'publication': return status?.publication?.to ?? null;
    case 'review_self_report': return plan.reviewSelfReportDue;
    case 'review_decision': return plan.reviewDecisionDue;
    default: return null;
  }
}

export async function listRatings(caller: Caller, query: RatingListQuery) {
  const { em, principal } = caller;
  const visible = organizationScopeSql(await readableOrganizationScope(em, principal, READERS), 'e.organization_id');
  const where: string[] = [visible.sql];
  const params: unknown[] = [...visible.params];
  if (query.unitId) {
    const unit = await em.findOne(AdministrativeUnit, { id: query.unitId });
    if (!unit) throw notFound('unit');
    where.push('u.path like ?');
    params.push(`${escapeLike(unit.path)}%`);
  }
  const filter = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (query.phase) filter('r.phase = ?', query.phase);
  // With a year, the level held at the end of that year (as the distribution counts it); else the level now.
  if (query.stars !== undefined && query.year) {
    where.push(`(select m.to_stars from star_move m where m.organization_id = e.organization_id and m.year <= ?
                  order by m.year desc, m.decided_at desc limit 1) = ?`);
    params.push(query.year, query.stars);
  } else if (query.stars !== undefined) filter('e.current_stars = ?', query.stars);
  if (query.kind) filter('o.kind = ?', query.kind);
  if (query.q) filter('o.name ilike ?', `%${escapeLike(query.q)}%`);
  if (query.ended !== undefined) where.push(query.ended ? 'e.ended_at is not null' : 'e.ended_at is null');
  // With a year: that year's round, and only organizations that had one.
  if (query.year) where.push('r.year is not null');
  const yearParam = query.year ? [query.year] : [];
  const round = query.year ? 'and r2.year = ?' : '';
  const rows = await em.getConnection().execute<Row[]>(
    `select e.organization_id, o.name, o.kind, u.name as unit_name, e.current_stars, e.ended_at, e.first_year,
            r.year, r.kind as round_kind, r.phase, r.proposed_stars, r.total, r.status, count(*) over () as n
       from star_enrolment e join organization o on o.id = e.organization_id join administrative_unit u on u.id = o.unit_id
       left join lateral (select * from star_round r2 where r2.organization_id = e.organization_id ${round}
                           order by r2.year desc limit 1) r on true
      where ${where.join(' and ')}
      order by o.name, e.organization_id limit ? offset ?`,
    [...yearParam, ...params, query.limit, query.offset],
  );
  return {
    items: rows.map((r) => {
      const s = r.status;
      return {
        organizationId: r.organization_id,
        name: r.name,
        kind: r.kind,
        unitName: r.unit_name,
        firstYear: r.first_year,
        stars: r.current_stars,
        ended: r.ended_at !== null,
        year: r.year,
        roundKind: r.round_kind,
        phase: r.ended_at ? 'ended' : r.phase,
        proposedStars: r.proposed_stars,
        total: r.total == null ? null : Number(r.total),
        due: dueOf(s, r.phase),
        selfAssessed: Boolean(s?.selfAssessment),
        preliminary: s?.preliminary?.decision ?? null,
        scoredIndicators: Object.keys(s?.scores ?? {}).length,
        scoresSubmitted: Boolean(s?.scoresSubmittedBy),
        openEvidenceRequests: (s?.evidenceRequests ?? []).filter((q) => !q.answer).length,
        openObjections: (s?.objections ?? []).filter((o) => !o.answer).length,
        pendingReviews: (s?.reviews ?? []).filter((v) => !v.decision).length,
        selfReported: Boolean(s?.selfReport),
      };
    }),
    total: Number(rows[0]?.n ?? 0),
    limit: query.limit,
    offset: query.offset,
  };
}
