// Outside `npm run sandbox` the calendar cannot be moved: the routes do not exist, and nothing
// is marked as a sandbox.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('sandbox routes outside the sandbox', () => {
  it('answer 404 in the one error shape, unmarked', async () => {
    for (const [method, url] of [['GET', '/sandbox/clock'], ['POST', '/sandbox/clock']] as const) {
      const response = await app.server.inject({ method, url, payload: method === 'POST' ? { advance: 'P3D' } : undefined });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', message: `no route ${method} /sandbox/clock`, details: [] });
      expect(response.headers['x-environment']).toBeUndefined();
    }
  });
});
