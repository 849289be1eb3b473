// One PostgreSQL for the whole test run: TEST_DATABASE_URL when given (a real server, as in
// docker-compose), otherwise an embedded cluster in a throwaway folder. Each test file makes
// its own database on it (see test/support/database.ts).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_PG_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-test-pg-'));
  const port = await freePort();
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'cluster'), port, database: 'postgres' });
  process.env.TEST_PG_ADMIN_URL = pg.url;
  process.env.TEST_PG_DIR = dir;
  (globalThis as Record<string, unknown>).__testPostgres = pg;
}
