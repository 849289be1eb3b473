// Which audit rows a caller may read: those about something inside their jurisdiction. A row's
// subject (entity_type, entity_id) is resolved to the administrative units it belongs to, with
// the row's own before/after snapshot as a fallback for subjects since deleted; a row whose
// subject cannot be placed under any unit (admin accounts, system rows) is for administrators.
import { escapeLike, type Scope } from '../auth/scope.ts';

/** The entity id as a uuid, or null when it is not one (no cast error on odd ids). */
const asUuid = (text: string) => `(case when ${text} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${text})::uuid end)`;
const id = asUuid('e.entity_id');
const snapshot = (field: string) => `coalesce(e.after ->> '${field}', e.before ->> '${field}')`;

/** Units of the organization with this id expression. */
const organizationUnit = (orgId: string) => `select o.unit_id from organization o where o.id = ${orgId}`;
/** Units an account works in: the units of its grants and of its grants' organizations. */
const accountUnits = (accountId: string) =>
  `select ra.unit_id from role_assignment ra where ra.account_id = ${accountId} and ra.unit_id is not null
   union all select o.unit_id from role_assignment ra join organization o on o.id = ra.organization_id where ra.account_id = ${accountId}`;

/** One branch per kind of subject; each yields unit ids. */
const SUBJECT_UNITS: Record<string, string> = {
  organization: organizationUnit(id),
  unit: `select ${id}`,
  administrative_unit: `select ${id}`,
  person: `select coalesce(p.unit_id, o.unit_id) from person p left join organization o on o.id = p.organization_id where p.id = ${id}`,
  account: accountUnits(id),
  api_token: accountUnits(`(select t.account_id from api_token t where t.id = ${id})`),
  role_assignment: `select coalesce(ra.unit_id, o.unit_id) from role_assignment ra left join organization o on o.id = ra.organization_id where ra.id = ${id}`,
  evaluator_assignment: organizationUnit(`(select ea.subject_id from evaluator_assignment ea where ea.id = ${id} and ea.subject_type = 'organization')`),
  evidence_file: `select coalesce(f.unit_id, o.unit_id) from evidence_file f left join organization o on o.id = f.organization_id where f.id = ${id}`,
  access_link: `select o.unit_id from access_link l join organization o on o.id = l.subject_id where l.id = ${id}
    union all select o.unit_id from access_link l join commitment_set s on s.id = l.subject_id join organization o on o.id = s.organization_id where l.id = ${id}`,
  commitment_set: `select o.unit_id from commitment_set s join organization o on o.id = s.organization_id where s.id = ${id}`,
  commitment_item_progress: `select o.unit_id from commitment_item_progress p join commitment_set s on s.id = p.set_id join organization o on o.id = s.organization_id where p.id = ${id}`,
  cycle: `select ${asUuid('u.value')} from cycle c, jsonb_array_elements_text(c.scope -> 'unitIds') u where c.id = ${id}
    union all select o.unit_id from cycle c, jsonb_array_elements_text(c.scope -> 'organizationIds') x join organization o on o.id = ${asUuid('x.value')} where c.id = ${id}`,
  posting: `select p.community_id from posting p where p.id = ${id}`,
  posting_cohort: `select c.region_id from posting_cohort c where c.id = ${id}`,
  star_round: organizationUnit(asUuid(`split_part(e.entity_id, '/', 1)`)),
  star_move: `select o.unit_id from star_move m join organization o on o.id = m.organization_id where m.move_key = e.entity_id or m.id = ${id}`,
  star_tracking_event: `select o.unit_id from star_tracking_event t join organization o on o.id = t.organization_id where t.id = ${id}`,
};

/** Units named by the row's own snapshot, for subjects deleted since (or not listed above). */
const SNAPSHOT_UNITS = [
  `select ${asUuid(snapshot('unitId'))}`,
  `select ${asUuid(snapshot('parentId'))}`,
  `select ${asUuid(snapshot('communityId'))}`,
  organizationUnit(asUuid(snapshot('organizationId'))),
];

/**
 * A SQL condition on `audit_entry e`: the row is about something inside the scope (always true
 * for administrators). Returns the condition and its parameters.
 */
export function auditVisibleSql(scope: Scope): { sql: string; params: string[] } {
  if (scope.all) return { sql: 'true', params: [] };
  const branches = [
    ...Object.entries(SUBJECT_UNITS).map(([type, sql]) => `select unit_id from (${sql}) as s(unit_id) where e.entity_type = '${type}'`),
    ...SNAPSHOT_UNITS.map((sql) => `select unit_id from (${sql}) as s(unit_id)`),
  ];
  const parts: string[] = [];
  const params: string[] = [];
  if (scope.unitPaths.length > 0) {
    parts.push(`exists (select 1 from (${branches.join('\n union all ')}) as subject join administrative_unit su on su.id = subject.unit_id
      where ${scope.unitPaths.map(() => 'su.path like ?').join(' or ')})`);
    params.push(...scope.unitPaths.map((prefix) => `${escapeLike(prefix)}%`));
  }
  if (scope.organizationIds.length > 0) {
    parts.push(`(e.entity_type = 'organization' and e.entity_id in (${scope.organizationIds.map(() => '?').join(', ')}))`);
    params.push(...scope.organizationIds);
  }
  return parts.length > 0 ? { sql: `(${parts.join(' or ')})`, params } : { sql: 'false', params: [] };
}
