// A fresh database per test file on the run's PostgreSQL (see test/global-setup.ts): made by
// the superuser and owned by the service's non-superuser role, which `url` connects as, the
// arrangement of the embedded default and of the README's real PostgreSQL. `adminUrl` is the
// superuser on the same database, for tests that act as the database's administrator.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SERVICE_ROLE, dropDatabase, ensureDatabase } from '../../db/embedded-postgres.ts';

export interface TestDatabase {
  url: string;
  adminUrl: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A new database; `migrated`: a copy of the run's template, which has every migration applied (see
 * test/global-setup.ts), instead of an empty one (the app's start then has no migration left to run).
 */
export async function createTestDatabase(prefix = 'test', { migrated = false } = {}): Promise<TestDatabase> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  const service = process.env.TEST_PG_SERVICE_URL;
  if (!admin || !service) throw new Error('TEST_PG_ADMIN_URL is not set: tests must run through jest (test/global-setup.ts)');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  const owner = decodeURIComponent(new URL(service).username) || SERVICE_ROLE.user;
  const template = migrated ? process.env.TEST_PG_TEMPLATE : undefined;
  if (template) await copyDatabase(admin, template, name, owner);
  else await ensureDatabase(admin, name, owner);
  const at = (base: string) => {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return { url: at(service), adminUrl: at(admin), name, drop: () => dropDatabase(admin, name) };
}

/** CREATE DATABASE … TEMPLATE: PostgreSQL refuses while another session is connected to the template, so that is tried again. */
async function copyDatabase(adminUrl: string, template: string, name: string, owner: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)} OWNER ${client.escapeIdentifier(owner)}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt === 20) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}
