import { rm } from 'node:fs/promises';
import { dropDatabase, type RunningPostgres } from '../db/embedded-postgres.ts';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__testPostgres as RunningPostgres | undefined;
  if (!pg) {
    // A real server (TEST_DATABASE_URL) keeps its databases: the template made by the setup goes.
    if (process.env.TEST_PG_TEMPLATE && process.env.TEST_PG_ADMIN_URL) await dropDatabase(process.env.TEST_PG_ADMIN_URL, process.env.TEST_PG_TEMPLATE);
    return;
  }
  await pg.stop();
  if (process.env.TEST_PG_DIR) await rm(process.env.TEST_PG_DIR, { recursive: true, force: true });
}
