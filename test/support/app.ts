// Builds the real API on a fresh test database. The Temporal client is lazy: tests that do
// not start a Temporal server get an unreachable one, which only /readyz notices.
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
  database: TestDatabase;
  temporal: Client;
  close(): Promise<void>;
}

export async function createTestApp(options: { temporalAddress?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await createTestDatabase('api');
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...options.env });
  const orm = await initOrm({ url: database.url });
  const temporal = connectTemporalClient({ address: options.temporalAddress ?? '127.0.0.1:1', namespace: 'default' });
  const server = await buildServer({ config, orm, temporal }, { logger: pino({ level: 'silent' }) });
  return {
    server,
    orm,
    config,
    database,
    temporal,
    async close() {
      await server.close();
      await temporal.connection.close();
      await orm.close(true);
      await database.drop();
    },
  };
}
