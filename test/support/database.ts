// A fresh database per test file on the run's PostgreSQL (see test/global-setup.ts): made by
// the superuser and owned by the service's non-superuser role, which `url` connects as, the
// arrangement of the embedded default and of the README's real PostgreSQL. `adminUrl` is the
// superuser on the same database, for tests that act as the database's administrator.
import { randomBytes } from 'node:crypto';
import { SERVICE_ROLE, dropDatabase, ensureDatabase } from '../../db/embedded-postgres.ts';

export interface TestDatabase {
  url: string;
  adminUrl: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  const service = process.env.TEST_PG_SERVICE_URL;
  if (!admin || !service) throw new Error('TEST_PG_ADMIN_URL is not set: tests must run through jest (test/global-setup.ts)');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  await ensureDatabase(admin, name, decodeURIComponent(new URL(service).username) || SERVICE_ROLE.user);
  const at = (base: string) => {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return { url: at(service), adminUrl: at(admin), name, drop: () => dropDatabase(admin, name) };
}
