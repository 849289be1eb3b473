// The one test app of every API test: the real API (buildServer) on a fresh test database and
// a throwaway DATA_DIR, one per test file. The Temporal client is lazy: tests that start no
// Temporal server get an unreachable one, which only /readyz and workflow calls notice. The
// units, accounts and tokens a test acts with come from ./fixtures.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { loadConfig, type Config } from '../../config/config.ts';
import { initOrm } from '../../db/orm.ts';
import { buildServer } from '../../api/server.ts';
import { connectTemporalClient } from '../../temporal/client.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  server: FastifyInstance;
  orm: MikroORM;
  config: Config;
  db: TestDatabase;
  /** The app's DATA_DIR (evidence, reports, audit checkpoints). */
  dataDir: string;
  temporal: Client;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** A Temporal server to talk to (a time-skipping devserver); none by default. */
  temporalAddress?: string;
  /** Settings over the test defaults; a DATA_DIR given here is the caller's to remove. */
  env?: Record<string, string>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase('api', { migrated: true });
  const ownDataDir = options.env?.DATA_DIR === undefined;
  const dataDir = options.env?.DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'party-cycles-api-')));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: db.url, DATA_DIR: dataDir, ...options.env });
  const orm = await initOrm({ url: db.url });
  const temporal = connectTemporalClient({ address: options.temporalAddress ?? '127.0.0.1:1', namespace: 'default' });
  // Two suites at once on CI's two cores (and more on a shared machine) can take the app plugin past Fastify's 10 s.
  const server = await buildServer({ config, orm, temporal }, { logger: pino({ level: 'silent' }), pluginTimeout: 120_000 });
  return {
    server,
    orm,
    config,
    db,
    dataDir,
    temporal,
    async close() {
      await server.close();
      await temporal.connection.close().catch(() => {});
      await orm.close(true);
      await db.drop();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
