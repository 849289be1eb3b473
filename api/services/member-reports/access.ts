// Who sees and acts on 双报到 records: the community (and the street and department above it)
// over the community reported to; the member's unit (its Party organization, representative or
// dispatching role) over its members; the member over their own registration. Anyone else gets
// the 404 of a record that does not exist.
import type { Role } from '../../../domain/auth/roles.ts';
import { scopeOf, unitPathInScope } from '../../../domain/auth/scope.ts';
import { notFound } from '../../../domain/errors.ts';
import type { Caller } from '../points/access.ts';

export const COMMUNITY_STAFF: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];
export const CONFIRMERS: Role[] = ['street_committee', 'community_committee', 'admin'];
export const UNIT_ROLES: Role[] = ['enterprise_party_org', 'enterprise_rep', 'dispatching_unit'];

export interface RegistrationRef {
  id: string;
  person_id: string;
  organization_id: string;
  community_id: string;
  community_path: string;
  status: 'pending' | 'confirmed' | 'declined';
}

export async function loadRegistration({ em }: Caller, id: string): Promise<RegistrationRef> {
  const [row] = await em.execute<RegistrationRef[]>(
    `select r.id, r.person_id, r.organization_id, r.community_id, u.path community_path, r.status
       from member_registration r join administrative_unit u on u.id = r.community_id where r.id = ?`, [id]);
  if (!row) throw notFound('registration');
  return row;
}

/** How the caller stands to a registration: community staff, the member's unit, the member, or nobody (404). */
export function standing({ principal }: Caller, reg: RegistrationRef): { community: boolean; confirmer: boolean; unit: boolean; owner: boolean } {
  const community = unitPathInScope(scopeOf(principal, COMMUNITY_STAFF), reg.community_path);
  const confirmer = unitPathInScope(scopeOf(principal, CONFIRMERS), reg.community_path);
  const unit = scopeOf(principal, UNIT_ROLES).organizationIds.includes(reg.organization_id);
  const owner = principal.personId !== null && principal.personId === reg.person_id;
  if (!community && !unit && !owner) throw notFound('registration');
  return { community, confirmer, unit, owner };
}
