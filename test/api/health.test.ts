import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { freePort, startEmbeddedPostgres } from '../../db/embedded-postgres.ts';
import { initOrm } from '../../db/orm.ts';
import { buildServer } from '../../api/server.ts';
import { loadConfig } from '../../config/config.ts';
import { connectTemporalClient } from '../../temporal/client.ts';
import { validationDetails } from '../../api/plugins/error-handler.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('health, readiness and docs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers /healthz while dependencies are down', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'alive' });
  });

  it('answers /readyz 503 naming Temporal when it cannot be reached', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.status).toBe('not_ready');
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.temporal.ok).toBe(false);
    expect(body.checks.temporal.reason).toEqual(expect.any(String));
  });

  it('serves the OpenAPI document at /docs', async () => {
    const json = await app.server.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(Object.keys(json.json().paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    const ui = await app.server.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /nowhere', details: [] });
  });
});

describe('readiness when the database goes down', () => {
  it('answers 503 with the database reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'readyz-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'app' });
    const orm = await initOrm({ url: pg.url });
    const temporal = connectTemporalClient({ address: '127.0.0.1:1', namespace: 'default' });
    const server = await buildServer({ config: loadConfig({ LOG_LEVEL: 'silent' }), orm, temporal }, { logger: pino({ level: 'silent' }) });
    try {
      expect((await server.inject({ method: 'GET', url: '/readyz' })).json().checks.database).toEqual({ ok: true });
      await pg.stop();
      const res = await server.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.database.ok).toBe(false);
      expect(res.json().checks.database.reason).toEqual(expect.any(String));
    } finally {
      await server.close();
      await temporal.connection.close();
      await orm.close(true).catch(() => {});
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('validation error details', () => {
  it('names the field path and the rule', () => {
    const details = validationDetails(
      [
        { keyword: 'required', instancePath: '/commitments/2', schemaPath: '', params: { missingProperty: 'deadline' }, message: "must have required property 'deadline'" },
        { keyword: 'minLength', instancePath: '/name', schemaPath: '', params: { limit: 1 }, message: 'must NOT have fewer than 1 characters' },
      ],
      'body',
    );
    expect(details).toEqual([
      { field: 'body.commitments[2].deadline', rule: 'is required' },
      { field: 'body.name', rule: 'must NOT have fewer than 1 characters' },
    ]);
  });
});
