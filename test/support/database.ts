// A fresh database per test file on the run's PostgreSQL (see test/global-setup.ts).
import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../../db/embedded-postgres.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (!admin) throw new Error('TEST_PG_ADMIN_URL is not set: tests must run through jest (test/global-setup.ts)');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  await ensureDatabase(admin, name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropDatabase(admin, name) };
}
