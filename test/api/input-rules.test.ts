// Input that is refused, never stored or coerced, checked on every operation of the OpenAPI
// document: an unknown field, a wrongly typed field, an impossible date and a number out of
// range each answer 400 naming the field, and no row of any table changes meanwhile.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';

let app: TestApp;
let world: World;
let spec: { paths: Record<string, Record<string, Operation>> };
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => app?.close());

type Schema = {
  type?: string | string[]; format?: string; pattern?: string; enum?: unknown[]; const?: unknown; minLength?: number; maximum?: number; minimum?: number;
  properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; additionalProperties?: boolean | Schema; required?: string[];
};
interface Parameter { in: 'path' | 'query'; name: string; required?: boolean; schema: Schema }
interface Operation { description?: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }

/** A token of a role the operation admits (its description lists them), so the request reaches validation. */
const TOKEN_OF_ROLE: Record<string, string> = {
  admin: 'admin', org_department: 'orgDept', street_committee: 'streetA', community_committee: 'communityA', enterprise_rep: 'enterpriseA',
  enterprise_party_org: 'partyOrgA', first_secretary: 'secretaryA', dispatching_unit: 'dispatching', evaluator: 'evaluatorA',
};
function headersFor(op: Operation): Record<string, string> {
  const roles = /Roles: ([a-z_, ]+)\./.exec(op.description ?? '')?.[1]?.split(', ') ?? ['admin'];
  return bearer(world.tokens[TOKEN_OF_ROLE[roles[0]!]!]!);
}

/** A value the parameter's schema accepts. */
function validValue(schema: Schema): string {
  if (schema.enum) return String(schema.enum[0]);
  if (schema.anyOf) return validValue(schema.anyOf.find((s) => s.const !== undefined || s.enum) ?? schema.anyOf[0]!);
  if (schema.const !== undefined) return String(schema.const);
  if (schema.type === 'integer' || schema.type === 'number') return String(Math.max(schema.minimum ?? 1, 1));
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date') return '2026-03-02';
  if (schema.pattern === '^[0-9a-f]{64}$') return '0'.repeat(64);
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 10));
}

function urlOf(path: string, op: Operation, query: Record<string, string> = {}): string {
  let url = path;
  for (const p of op.parameters ?? []) if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(validValue(p.schema)));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${url}?${qs}` : url;
}

function operations(filter: (op: Operation) => boolean) {
  const found: { method: string; path: string; op: Operation }[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) if (filter(op)) found.push({ method: method.toUpperCase(), path, op });
  return found;
}
const jsonBody = (op: Operation) => op.requestBody?.content['application/json']?.schema;

const kinds = (s: Schema): string[] => (s.anyOf ? s.anyOf.flatMap(kinds) : s.type === undefined ? [] : [s.type].flat());
/** A value of a type the schema does not allow (text for a number, a number for text...), or undefined when any type goes. */
function wrongValue(s: Schema): unknown {
  const allowed = kinds(s);
  if (allowed.length === 0) return undefined;
  if (allowed.includes('integer') || allowed.includes('number')) return allowed.includes('string') ? undefined : '12345';
  if (allowed.includes('string')) return 12345;
  if (allowed.includes('boolean')) return 'true';
  if (allowed.includes('array')) return 'x';
  if (allowed.includes('object')) return 'x';
  return undefined;
}

async function tableCounts(): Promise<Record<string, number>> {
  const em = app.orm.em.fork() as EntityManager;
  const tables = await em.execute<{ table_name: string }[]>("select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'mikro_orm%'");
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) counts[table_name] = Number((await em.execute<{ n: string }[]>(`select count(*) as n from "${table_name}"`))[0]!.n);
  return counts;
}

describe('every JSON body is closed and taken as sent', () => {
  it('an unknown field and wrongly typed fields answer 400 naming each field, and nothing is stored', async () => {
    const before = await tableCounts();
    const routes = operations((op) => Boolean(jsonBody(op)));
    expect(routes.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const { method, path, op } of routes) {
      const schema = jsonBody(op)!;
      const url = urlOf(path, op);
      const unknown = await app.server.inject({ method: method as 'POST', url, headers: headersFor(op), payload: { unexpectedField: 'x' } });
      const fields = unknown.statusCode === 400 ? (unknown.json().details as { field: string; rule: string }[]) : [];
      if (!fields.some((d) => d.field === 'body.unexpectedField' && d.rule === 'is not an allowed field')) problems.push(`${method} ${path} unknown field: ${unknown.statusCode} ${unknown.body.slice(0, 200)}`);

      const wrong = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, s]) => [name, wrongValue(s)]).filter(([, v]) => v !== undefined));
      if (Object.keys(wrong).length === 0) continue;
      const typed = await app.server.inject({ method: method as 'POST', url, headers: headersFor(op), payload: wrong });
      const named = typed.statusCode === 400 ? (typed.json().details as { field: string }[]).map((d) => d.field) : [];
      for (const name of Object.keys(wrong)) if (!named.includes(`body.${name}`)) problems.push(`${method} ${path} wrong type of ${name} (${JSON.stringify(wrong[name])}): ${typed.statusCode} ${typed.body.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  });

  it('a number sent as text is refused where the API documents a number ("12345" for a rating)', async () => {
    const res = await app.server.inject({ method: 'POST', url: `/public/commitment-surveys/${'t'.repeat(20)}`, payload: { rating: '5' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toContainEqual({ field: 'body.rating', rule: 'must be integer' });
  });

  it('documents every object of every body as closed', () => {
    const open: string[] = [];
    const walk = (s: Schema | undefined, where: string) => {
      if (!s || typeof s !== 'object') return;
      if ((s.type === 'object' || s.properties) && s.additionalProperties === undefined) open.push(where);
      for (const [name, p] of Object.entries(s.properties ?? {})) walk(p, `${where}.${name}`);
      walk(s.items, `${where}[]`);
      s.anyOf?.forEach((b, i) => walk(b, `${where}|${i}`));
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${where}.*`);
    };
    for (const { method, path, op } of operations((o) => Boolean(jsonBody(o)))) walk(jsonBody(op), `${method} ${path} body`);
    expect(open).toEqual([]);
  });
});

describe('numbers in query strings and paths are bounded', () => {
  it('every numeric query parameter has a maximum, and a huge one answers 400 naming it on every route', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { method, path, op } of operations((o) => (o.parameters ?? []).some((p) => p.in === 'query' && ['integer', 'number'].includes(String(p.schema.type))))) {
      const required = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => [p.name, validValue(p.schema)]));
      for (const p of (op.parameters ?? []).filter((q) => q.in === 'query' && ['integer', 'number'].includes(String(q.schema.type)))) {
        checked++;
        if (p.schema.maximum === undefined) problems.push(`${method} ${path} ?${p.name} has no maximum`);
        const res = await app.server.inject({ method: method as 'GET', url: urlOf(path, op, { ...required, [p.name]: '99999999999999999999' }), headers: headersFor(op) });
        const named = res.statusCode === 400 && (res.json().details as { field: string }[]).some((d) => d.field === `querystring.${p.name}`);
        if (!named) problems.push(`${method} ${path} ?${p.name}=99999999999999999999: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(15);
  });

  it('a huge number in a path answers 400, not a database error', async () => {
    const res = await app.server.inject({ method: 'GET', url: `/evidence/${randomUUID()}/versions/99999999999999999999/content`, headers: bearer(world.tokens.admin!) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('params.version');
  });

  it('offset 0 and the largest allowed offset still answer lists', async () => {
    const ok = await app.server.inject({ method: 'GET', url: '/people?offset=2147483647&limit=200', headers: bearer(world.tokens.admin!) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items).toEqual([]);
  });
});

describe('dates are calendar dates everywhere', () => {
  /** Paths to every date field of a body schema, e.g. ['commitments', 0, 'deadline']. */
  function datePaths(s: Schema | undefined, at: (string | number)[] = []): (string | number)[][] {
    if (!s) return [];
    const here = s.format === 'date' || s.anyOf?.some((b) => b.format === 'date') ? [at] : [];
    return [
      ...here,
      ...Object.entries(s.properties ?? {}).flatMap(([name, p]) => datePaths(p, [...at, name])),
      ...datePaths(s.items, [...at, 0]),
    ];
  }
  const nest = (path: (string | number)[], value: unknown): unknown => {
    if (path.length === 0) return value;
    const [head, ...rest] = path;
    return typeof head === 'number' ? [nest(rest, value)] : { [head!]: nest(rest, value) };
  };
  const fieldOf = (part: string, path: (string | number)[]) => part + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

  it('2026-02-30 answers 400 naming the field in every body, query and path that takes a date', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { method, path, op } of operations(() => true)) {
      for (const at of datePaths(jsonBody(op))) {
        checked++;
        const res = await app.server.inject({ method: method as 'POST', url: urlOf(path, op), headers: headersFor(op), payload: nest(at, '2026-02-30') as object });
        const ok = res.statusCode === 400 && (res.json().details as { field: string; rule: string }[]).some((d) => d.field === fieldOf('body', at) && d.rule === 'must be a calendar date YYYY-MM-DD');
        if (!ok) problems.push(`${method} ${path} ${fieldOf('body', at)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      for (const p of (op.parameters ?? []).filter((q) => q.schema.format === 'date')) {
        checked++;
        let url = urlOf(path, op, p.in === 'query' ? { [p.name]: '2026-02-30' } : {});
        if (p.in === 'path') url = urlOf(path.replace(`{${p.name}}`, '2026-02-30'), op);
        const res = await app.server.inject({ method: method as 'GET', url, headers: headersFor(op) });
        const field = `${p.in === 'query' ? 'querystring' : 'params'}.${p.name}`;
        const ok = res.statusCode === 400 && (res.json().details as { field: string }[]).some((d) => d.field === field);
        if (!ok) problems.push(`${method} ${path} ${field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    // visitedOn, check-in dates, star-rating events, cohort starts, evidence periods, deadlines...
    expect(checked).toBeGreaterThan(8);
  });

  it('a month query is a real month', async () => {
    const res = await app.server.inject({ method: 'GET', url: `/postings/reports/attendance-sheet?streetId=${world.streetA.id}&month=2026-13`, headers: bearer(world.tokens.streetA!) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toContainEqual({ field: 'querystring.month', rule: 'must be a month YYYY-MM' });
  });
});
