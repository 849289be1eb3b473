// One PostgreSQL for the whole test run: TEST_DATABASE_URL when given (a real server, as in
// docker-compose), otherwise an embedded cluster in a throwaway folder. Each test file makes
// its own database on it (see test/support/database.ts), owned by the service's own
// non-superuser role, as the embedded default and the README's real PostgreSQL set-up are.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_ROLE, ensureDatabase, ensureRole, freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { initOrm } from '../db/orm.ts';

export default async function globalSetup(): Promise<void> {
  // The audit secret of every ORM the tests open without one (db/orm.ts), kept outside the database as in production.
  process.env.AUDIT_SECRET ??= randomBytes(32).toString('hex');
  if (process.env.TEST_DATABASE_URL) {
    // A real server's superuser (or a role with CREATEROLE and CREATEDB): the test databases
    // are made by it and owned by the service role, which is what the tests connect as.
    process.env.TEST_PG_ADMIN_URL = process.env.TEST_DATABASE_URL;
    await ensureRole(process.env.TEST_DATABASE_URL, SERVICE_ROLE);
    const service = new URL(process.env.TEST_DATABASE_URL);
    service.username = SERVICE_ROLE.user;
    service.password = SERVICE_ROLE.password;
    process.env.TEST_PG_SERVICE_URL = service.toString();
    await migrateTemplate();
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-test-pg-'));
  const port = await freePort();
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'cluster'), port, database: 'party_cycles_tests' });
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  process.env.TEST_PG_SERVICE_URL = pg.url;
  process.env.TEST_PG_DIR = dir;
  (globalThis as Record<string, unknown>).__testPostgres = pg;
  await migrateTemplate();
}

/**
 * One database with every migration applied, which the test apps' databases are copied from
 * (test/support/database.ts): migrating a fresh database took 2–4 s of each of the ~65 files that
 * start the app; a copy takes a fraction of that. Named in TEST_PG_TEMPLATE for the workers.
 */
async function migrateTemplate(): Promise<void> {
  const name = `template_${randomBytes(5).toString('hex')}`;
  const url = new URL(process.env.TEST_PG_SERVICE_URL!);
  await ensureDatabase(process.env.TEST_PG_ADMIN_URL!, name, decodeURIComponent(url.username) || SERVICE_ROLE.user);
  url.pathname = `/${name}`;
  const orm = await initOrm({ url: url.toString() });
  await orm.close(true);
  process.env.TEST_PG_TEMPLATE = name;
}
