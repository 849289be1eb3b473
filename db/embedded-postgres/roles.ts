// The roles and databases of the cluster: the superuser only creates the service's role and
// database; the service connects as that role, which owns its database.
import pg from 'pg';

export const SUPERUSER = { user: 'postgres', password: 'postgres' };
/** The role the service connects as: LOGIN, not a superuser, cannot create roles or databases. */
export const SERVICE_ROLE = { user: 'party_cycles', password: 'party_cycles' };

/**
 * Creates the service role if missing (and makes sure it is no superuser), the database owned
 * by it, and hands it every table, sequence and function in `public` that an earlier version
 * created as the superuser, so migrations keep working under the new owner.
 */
export async function ensureServiceRole(adminUrl: string, database: string, role = SERVICE_ROLE): Promise<void> {
  await ensureRole(adminUrl, role);
  await ensureDatabase(adminUrl, database, role.user);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const owner = client.escapeIdentifier(role.user).replace(/%/g, '%%');
    const { rows } = await client.query<{ statement: string }>(
      `select format('alter %s %s owner to ${owner}', case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' else 'table' end, c.oid::regclass) as statement
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'v', 'm') and pg_get_userbyid(c.relowner) <> $1
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
       union all
       select format('alter function %s owner to ${owner}', p.oid::regprocedure)
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> $1`,
      [role.user],
    );
    for (const { statement } of rows) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates the login role if missing; either way it ends up with no superuser or role-making rights. */
export async function ensureRole(adminUrl: string, role: { user: string; password: string } = SERVICE_ROLE): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = (await client.query('select 1 from pg_roles where rolname = $1', [role.user])).rowCount! > 0;
    await client.query(`${exists ? 'alter' : 'create'} role ${client.escapeIdentifier(role.user)} with login password ${client.escapeLiteral(role.password)} nosuperuser nocreatedb nocreaterole noreplication nobypassrls`);
  } catch (error) {
    // Two processes creating it at once: the loser finds it made.
    if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42710') throw error;
  } finally {
    await client.end();
  }
}

/** Creates the database if it is missing, owned by `owner` when given (and handed to it if it exists). */
export async function ensureDatabase(adminUrl: string, database: string, owner?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const name = client.escapeIdentifier(database);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}${owner ? ` OWNER ${client.escapeIdentifier(owner)}` : ''}`);
    else if (owner) await client.query(`ALTER DATABASE ${name} OWNER TO ${client.escapeIdentifier(owner)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
