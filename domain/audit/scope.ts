// Which audit rows a caller may read: those about something inside their jurisdiction. The
// subjects inside the caller's units are gathered once per query, per kind (organizations,
// units, people, accounts by their grants, cycles, postings, ...), and a row is shown when its
// (entity_type, entity_id) is among them, or when its own before/after snapshot names a unit or
// organization inside (subjects deleted since). A row no unit can be found for (administrators'
// accounts, system rows) is for administrators only.
import { escapeLike, type Scope } from '../auth/scope.ts';

/** Builds the SQL text and its positional parameters in one order. */
class Sql {
  readonly params: string[] = [];
  readonly scope: Scope;
  constructor(scope: Scope) {
    this.scope = scope;
  }

  /** Ids of the caller's units and every unit under them. */
  units(): string {
    const like = this.scope.unitPaths.map((prefix) => {
      this.params.push(`${escapeLike(prefix)}%`);
      return 'u.path like ?';
    });
    return `(select u.id from administrative_unit u where ${like.length > 0 ? like.join(' or ') : 'false'})`;
  }

  /** Ids of the organizations under those units, and the caller's own organizations. */
  organizations(): string {
    const own = this.scope.organizationIds.map((id) => {
      this.params.push(id);
      return '?';
    });
    const under = `select o.id from organization o where o.unit_id in ${this.units()}`;
    return `(${under}${own.length > 0 ? ` union all select o.id from organization o where o.id::text in (${own.join(', ')})` : ''})`;
  }

  /** Accounts with a grant inside the jurisdiction. */
  accounts(): string {
    return `(select ra.account_id from role_assignment ra where ra.unit_id in ${this.units()} or ra.organization_id in ${this.organizations()})`;
  }

  subjects(): string {
    const kinds: [string, string][] = [
      ['organization', `select id from ${this.organizations()} as s(id)`],
      ['unit', `select id from ${this.units()} as s(id)`],
      ['administrative_unit', `select id from ${this.units()} as s(id)`],
      ['person', `select p.id from person p where p.unit_id in ${this.units()} or p.organization_id in ${this.organizations()}`],
      ['account', `select id from ${this.accounts()} as s(id)`],
      ['api_token', `select t.id from api_token t where t.account_id in ${this.accounts()}`],
      ['role_assignment', `select ra.id from role_assignment ra where ra.unit_id in ${this.units()} or ra.organization_id in ${this.organizations()}`],
      ['evaluator_assignment', `select ea.id from evaluator_assignment ea where ea.subject_type = 'organization' and ea.subject_id in ${this.organizations()}`],
      ['evidence_file', `select f.id from evidence_file f where f.unit_id in ${this.units()} or f.organization_id in ${this.organizations()}`],
      ['commitment_set', `select s.id from commitment_set s where s.organization_id in ${this.organizations()}`],
      ['access_link', `select l.id from access_link l where l.subject_id in ${this.organizations()} or l.subject_id in (select s.id from commitment_set s where s.organization_id in ${this.organizations()})`],
      ['commitment_item_progress', `select p.id from commitment_item_progress p join commitment_set s on s.id = p.set_id where s.organization_id in ${this.organizations()}`],
      ['cycle', `select c.id from cycle c where exists (select 1 from jsonb_array_elements_text(c.scope -> 'unitIds') x where x in (select id::text from ${this.units()} as s(id)))
        or exists (select 1 from jsonb_array_elements_text(c.scope -> 'organizationIds') x where x in (select id::text from ${this.organizations()} as s(id)))`],
      ['posting', `select p.id from posting p where p.community_id in ${this.units()}`],
      ['posting_cohort', `select c.id from posting_cohort c where c.region_id in ${this.units()}`],
      ['star_move', `select m.id from star_move m where m.organization_id in ${this.organizations()}`],
      ['star_tracking_event', `select t.id from star_tracking_event t where t.organization_id in ${this.organizations()}`],
    ];
    return kinds.map(([type, sql]) => `select '${type}'::text, id::text from (${sql}) as k(id)`).join('\n union all ');
  }
}

/**
 * A SQL condition on `audit_entry e`: the row is about something inside the scope (always true
 * for administrators). Returns the condition and its parameters, in order.
 */
export function auditVisibleSql(scope: Scope): { sql: string; params: string[] } {
  if (scope.all) return { sql: 'true', params: [] };
  if (scope.unitPaths.length === 0 && scope.organizationIds.length === 0) return { sql: 'false', params: [] };
  const q = new Sql(scope);
  const snapshot = (field: string) => `coalesce(e.after ->> '${field}', e.before ->> '${field}')`;
  const conditions = [
    `(e.entity_type, e.entity_id) in (${q.subjects()})`,
    // star_round rows are keyed "<organization id>/<year>"; star_move rows by their move key.
    `(e.entity_type = 'star_round' and split_part(e.entity_id, '/', 1) in (select id::text from ${q.organizations()} as s(id)))`,
    `(e.entity_type = 'star_move' and e.entity_id in (select m.move_key from star_move m where m.organization_id in ${q.organizations()}))`,
    `${snapshot('unitId')} in (select id::text from ${q.units()} as s(id))`,
    `${snapshot('parentId')} in (select id::text from ${q.units()} as s(id))`,
    `${snapshot('communityId')} in (select id::text from ${q.units()} as s(id))`,
    `${snapshot('organizationId')} in (select id::text from ${q.organizations()} as s(id))`,
  ];
  return { sql: `(${conditions.join('\n or ')})`, params: q.params };
}
