// The roles of DOMAIN.md and what kind of scope each is held in.
export const ROLES = [
  'org_department', // 组织部
  'street_committee', // 街道党工委
  'community_committee', // 社区党委
  'enterprise_rep', // 非公企业/社会组织 出资人或负责人
  'enterprise_party_org', // 企业党组织
  'first_secretary', // 第一书记
  'dispatching_unit', // 派出单位
  'evaluator', // 考核组/评审人
  'admin', // 系统管理员
] as const;
export type Role = (typeof ROLES)[number];

/** Roles held over a unit and its whole subtree. */
export const UNIT_ROLES: readonly Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary'];
/** Roles held over one organization. */
export const ORGANIZATION_ROLES: readonly Role[] = ['enterprise_rep', 'enterprise_party_org', 'dispatching_unit'];
/** Roles without a unit or organization: global (admin) or per-assignment (evaluator). */
export const UNSCOPED_ROLES: readonly Role[] = ['admin', 'evaluator'];

/** Staff of the Party organizations of the tree (they manage what lies in their subtree). */
export const STAFF_ROLES: readonly Role[] = ['org_department', 'street_committee', 'community_committee'];
export const ENTERPRISE_ROLES: readonly Role[] = ['enterprise_rep', 'enterprise_party_org'];

/**
 * The roles a holder of `held` may grant: strictly below its own highest role. An administrator
 * grants every role; the organization department every role below it; nobody else grants.
 */
export function grantableRoles(held: readonly Role[]): readonly Role[] {
  if (held.includes('admin')) return ROLES;
  if (held.includes('org_department')) return ROLES.filter((r) => r !== 'admin' && r !== 'org_department');
  return [];
}
