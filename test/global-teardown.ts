import { rm } from 'node:fs/promises';
import type { RunningPostgres } from '../db/embedded-postgres.ts';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__testPostgres as RunningPostgres | undefined;
  if (!pg) return;
  await pg.stop();
  if (process.env.TEST_PG_DIR) await rm(process.env.TEST_PG_DIR, { recursive: true, force: true });
}
