// Who is calling: the account and every role it holds, with the scope of each (the unit's
// materialized path for unit roles, the organization id for organization roles). Loaded from
// the database on each request (one statement), so a revoked role takes effect at once, not at token expiry.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from './roles.ts';

export interface Grant {
  role: Role;
  unitId: string | null;
  /** Materialized path of the unit: the grant covers every unit whose path starts with it. */
  unitPath: string | null;
  organizationId: string | null;
}

export interface Principal {
  accountId: string;
  login: string;
  displayName: string;
  personId: string | null;
  grants: Grant[];
  /** How the caller authenticated. */
  via: 'password' | 'api_token';
}

interface PrincipalRow {
  live: boolean | null;
  id: string | null;
  login: string;
  display_name: string;
  person_id: string | null;
  grants: Grant[] | string;
}

/**
 * The account (when active) with every grant and its unit's path, and, given a session, whether
 * it is live: one statement per request (it ran on every authenticated request as four: the
 * session count, the account, its grants, their units). Nothing is cached, so a revoked role, a
 * deactivation or a logout takes effect at the next request, in every API process.
 */
async function principalRow(em: EntityManager, accountId: string, session: { familyId: string; now: Date } | null): Promise<PrincipalRow | undefined> {
  const live = session
    ? 'exists (select 1 from refresh_token t where t.family_id = ? and t.account_id = ? and t.revoked_at is null and t.expires_at > ?)'
    : 'null::boolean';
  const [row] = await em.getConnection().execute<PrincipalRow[]>(
    `select ${live} as live, a.id, a.login, a.display_name, a.person_id,
       (select coalesce(json_agg(json_build_object('role', r.role, 'unitId', r.unit_id, 'unitPath', u.path, 'organizationId', r.organization_id)
          order by r.created_at, r.id), '[]'::json)
        from role_assignment r left join administrative_unit u on u.id = r.unit_id where r.account_id = a.id) as grants
     from (select 1) as one left join account a on a.id = ? and a.active`,
    session ? [session.familyId, accountId, session.now, accountId] : [accountId],
  );
  return row;
}

function principalOf(row: PrincipalRow, via: Principal['via']): Principal {
  const grants = typeof row.grants === 'string' ? JSON.parse(row.grants) as Grant[] : row.grants;
  return { accountId: row.id!, login: row.login, displayName: row.display_name, personId: row.person_id, via, grants };
}

/** The principal of an active account, or null when the account is missing or inactive. */
export async function loadPrincipal(em: EntityManager, accountId: string, via: Principal['via']): Promise<Principal | null> {
  const row = await principalRow(em, accountId, null);
  return row?.id ? principalOf(row, via) : null;
}

/**
 * The principal behind a login token: 'ended' when its session (`familyId`) is no longer live
 * (logout, password change, deactivation, expiry), null when the account is inactive or gone.
 */
export async function loadSessionPrincipal(em: EntityManager, accountId: string, familyId: string, now: Date): Promise<Principal | 'ended' | null> {
  const row = await principalRow(em, accountId, { familyId, now });
  if (!row?.live) return 'ended';
  return row.id ? principalOf(row, 'password') : null;
}

export const auditActor = (principal: Principal) => ({ accountId: principal.accountId, label: principal.login });
