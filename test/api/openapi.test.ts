// The OpenAPI document is complete for the domain API: every operation has a tag, a summary,
// request schemas, a success response with an example, and the error shape.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

const DOMAIN = /^\/(auth|units|organizations|people|accounts|role-assignments|evaluator-assignments|catalogs|imports|evidence|notifications|audit|access-links|public\/access-links)(\/|$)/;

interface Media {
  schema: { examples?: unknown[] };
  example?: unknown;
  examples?: Record<string, unknown>;
}
interface Operation {
  tags?: string[];
  summary?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

// @fastify/swagger moves a schema's `examples` onto the media type (`example` or `examples`).
const hasExample = (media: Media) => media.example !== undefined || media.examples !== undefined || Boolean(media.schema.examples?.length);

describe('OpenAPI', () => {
  it('documents every domain operation with tags, summary, examples and errors', async () => {
    const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const problems: string[] = [];
    let operations = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      if (!DOMAIN.test(path)) continue;
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.tags?.length) problems.push(`${where}: no tag`);
        if (!op.summary) problems.push(`${where}: no summary`);
        const json = op.requestBody?.content['application/json'];
        if (json && !hasExample(json)) problems.push(`${where}: request body without example`);
        const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
        if (!success) problems.push(`${where}: no success response`);
        else {
          const [status, response] = success;
          const media = response.content?.['application/json'];
          if (status !== '204' && media && !hasExample(media) && !path.endsWith('/content')) problems.push(`${where}: ${status} without example`);
        }
        if (!op.responses['400'] && !path.startsWith('/public')) problems.push(`${where}: no 400 error shape`);
      }
    }
    expect(problems).toEqual([]);
    expect(operations).toBeGreaterThan(40);
  });

  it('gives every route in the document a response schema for its success answer (204 and redirects carry no body)', async () => {
    const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const missing: string[] = [];
    let operations = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(op.responses ?? {}).filter(([status]) => /^[23]/.test(status));
        const described = success.some(([status, response]) => status === '204' || status.startsWith('3')
          || Object.values(response.content ?? {}).some((media) => media.schema !== undefined));
        if (!described) missing.push(where);
      }
    }
    expect(operations).toBeGreaterThan(100);
    expect(missing.filter((route) => !STILL_WITHOUT_RESPONSE_SCHEMA.includes(route))).toEqual([]);
    // A route that gained its schema leaves the list, so the list only shrinks.
    expect(STILL_WITHOUT_RESPONSE_SCHEMA.filter((route) => !missing.includes(route))).toEqual([]);
  });
});

/** Routes still without a response schema while issue 13 moves the cycles' routes; empty at the end. */
const STILL_WITHOUT_RESPONSE_SCHEMA: string[] = [];
