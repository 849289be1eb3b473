// Rate limits: every anonymous route stops a client guessing links, a factory behind one
// address is not stopped, the login stops guessing one account but not an office, and a 429
// says rate_limited with Retry-After.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createAccessLink } from '../../domain/auth/access-links.ts';
import { registerThrottle, BUDGETS } from '../../api/plugins/throttle.ts';
import { registerErrorHandler } from '../../api/plugins/error-handler.ts';
import { rateLimited } from '../../domain/errors.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PASSWORD, buildWorld, type World } from '../support/fixtures.ts';

let app: TestApp;
let world: World;
let linkToken: string;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  const created = await em.transactional((tx) => createAccessLink(tx as EntityManager, {
    purpose: 'public_commitments', subjectType: 'organization', subjectId: world.orgA.id, expiresAt: new Date(Date.now() + 86_400_000), actor: { accountId: world.accounts.admin!, label: 'admin' },
  }));
  linkToken = created.token;
});
afterAll(async () => app?.close());

let nextAddress = 1;
/** A fresh client address for each scenario, so budgets of one do not leak into the next. */
const address = () => `10.1.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;
const randomToken = () => `pcl_${randomBytes(24).toString('base64url')}`;
const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

function expectRateLimited(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown; body: string }) {
  expect(res.statusCode).toBe(429);
  const body = res.json() as { error: string; message: string; details: { field: string; rule: string }[] };
  expect(body.error).toBe('rate_limited');
  expect(body.message).toMatch(/try again in \d+ seconds/);
  expect(body.message).not.toMatch(CJK);
  expect(body.details[0]).toMatchObject({ field: 'client' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

interface Operation { parameters?: { in: string; name: string }[]; requestBody?: unknown }
/** Bodies each link route accepts, so only the unknown link is refused. */
const VALID_BODY: Record<string, object> = {
  '/public/commitments/{token}/feedback': { body: '希望宣讲安排在午休时间' },
  '/public/commitments/{token}/awareness': { answers: { aware: true } },
  '/public/commitment-surveys/{token}': { rating: 5 },
  '/public/star-objections/{token}': { text: '该企业存在拖欠职工工资问题' },
  '/public/posting-surveys/{token}': { score: 5 },
  '/public/grid-report/{token}': { category: '环境卫生', description: '楼道堆放杂物' },
  '/public/grid-matters/{token}/rating': { rating: 'satisfied' },
};

describe('anonymous routes', () => {
  it('every anonymous link route stops one client guessing tokens after a few misses, with 429 rate_limited and Retry-After', async () => {
    const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const linkRoutes = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.parameters?.some((p) => p.in === 'path' && p.name === 'token')).map(([method]) => ({ method: method.toUpperCase(), path })));
    expect(linkRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([
      'GET /public/commitments/{token}', 'POST /public/commitments/{token}/feedback', 'POST /public/commitment-surveys/{token}',
      'GET /public/star-objections/{token}', 'POST /public/star-objections/{token}', 'POST /public/posting-surveys/{token}', 'GET /public/access-links/{token}',
    ]));
    for (const { method, path } of linkRoutes) {
      const client = address();
      const statuses: number[] = [];
      for (let i = 0; i < 150; i++) {
        const res = await app.server.inject({
          method: method as 'GET', url: path.replace('{token}', randomToken()), remoteAddress: client,
          ...(method === 'POST' ? { payload: VALID_BODY[path] ?? {} } : {}),
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429 && statuses.filter((s) => s === 429).length === 1) expectRateLimited(res);
      }
      const answered = statuses.filter((s) => s !== 429).length;
      expect([`${method} ${path}`, answered]).toEqual([`${method} ${path}`, BUDGETS.clientMisses.limit]);
    }
  });

  it('guesses sent all at once are stopped as well', async () => {
    const client = address();
    const all = await Promise.all(Array.from({ length: 100 }, () => app.server.inject({ method: 'GET', url: `/public/commitments/${randomToken()}`, remoteAddress: client })));
    expect(all.filter((r) => r.statusCode !== 429)).toHaveLength(BUDGETS.clientMisses.limit);
  });

  it('a client over its miss budget still opens the links it was answered, and other addresses are not affected', async () => {
    const client = address();
    expect((await app.server.inject({ method: 'GET', url: `/public/access-links/${linkToken}`, remoteAddress: client })).statusCode).toBe(200);
    for (let i = 0; i < BUDGETS.clientMisses.limit; i++) await app.server.inject({ method: 'GET', url: `/public/access-links/${randomToken()}`, remoteAddress: client });
    expectRateLimited(await app.server.inject({ method: 'GET', url: `/public/access-links/${randomToken()}`, remoteAddress: client }));
    expect((await app.server.inject({ method: 'GET', url: `/public/access-links/${linkToken}`, remoteAddress: client })).statusCode).toBe(200);
    expect((await app.server.inject({ method: 'GET', url: `/public/access-links/${randomToken()}`, remoteAddress: address() })).statusCode).toBe(404);
  });

  it('a factory behind one address opens one link 500 times in a minute', async () => {
    const client = address();
    const statuses = new Set<number>();
    for (let i = 0; i < 500; i++) statuses.add((await app.server.inject({ method: 'GET', url: `/public/access-links/${linkToken}`, remoteAddress: client })).statusCode);
    expect([...statuses]).toEqual([200]);
  });

  it('submissions from one address are bounded per minute; the next address is not', async () => {
    const client = address();
    await app.server.inject({ method: 'GET', url: `/public/access-links/${linkToken}`, remoteAddress: client });
    const statuses: number[] = [];
    // Bodies that fail validation still cost a submission: only the budget is under test here.
    for (let i = 0; i <= BUDGETS.clientWrites.limit; i++) statuses.push((await app.server.inject({ method: 'POST', url: `/public/commitment-surveys/${linkToken}`, remoteAddress: client, payload: { rating: 9 } })).statusCode);
    expect(statuses.filter((s) => s === 400)).toHaveLength(BUDGETS.clientWrites.limit);
    expect(statuses.at(-1)).toBe(429);
    expect((await app.server.inject({ method: 'POST', url: `/public/commitment-surveys/${linkToken}`, remoteAddress: address(), payload: { rating: 9 } })).statusCode).toBe(400);
  });
});

describe('login', () => {
  const login = (name: string, password: string, remoteAddress: string) => app.server.inject({ method: 'POST', url: '/auth/login', remoteAddress, payload: { login: name, password } });

  it('an office on one address logs in all day: every account, many times, with a few typing mistakes', async () => {
    const office = address();
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const name of Object.keys(world.accounts)) {
        if (round % 2 === 0 && name !== 'orgDept') statuses.push((await login(name, 'typo', office)).statusCode);
        statuses.push((await login(name, PASSWORD, office)).statusCode);
      }
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4 * Object.keys(world.accounts).length);
  });

  it('guessing one account is stopped after 10 failures from one address, even with the right password, while its owner elsewhere still logs in', async () => {
    const attacker = address();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login('streetA', `guess-${i}`, attacker)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expectRateLimited(await login('streetA', PASSWORD, attacker));
    expect((await login('streetA', PASSWORD, address())).statusCode).toBe(200);
  });

  it('guessing one account from many addresses is stopped at the account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login('orgDept', `guess-${i}`, address())).statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(BUDGETS.loginFailuresPerName.limit);
    expect(statuses.slice(BUDGETS.loginFailuresPerName.limit).every((s) => s === 429)).toBe(true);
  });

  it('guesses sent all at once are counted before they are answered', async () => {
    const attacker = address();
    const all = await Promise.all(Array.from({ length: 30 }, (_, i) => login('enterpriseA', `parallel-${i}`, attacker)));
    expect(all.filter((r) => r.statusCode === 401)).toHaveLength(BUDGETS.loginFailuresPerNameAndClient.limit);
  });
});

describe('changing one\'s password', () => {
  it('guessing the current password with a stolen token stops after 10 refusals', async () => {
    const token = (await app.server.inject({ method: 'POST', url: '/auth/login', remoteAddress: address(), payload: { login: 'secretaryA', password: PASSWORD } })).json().accessToken;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await app.server.inject({ method: 'POST', url: '/auth/password', remoteAddress: address(), headers: { authorization: `Bearer ${token}` }, payload: { currentPassword: `guess-${i}-long-enough`, newPassword: 'New-Passw0rd-2026!' } });
      statuses.push(res.statusCode);
      if (i === 10) expectRateLimited(res);
    }
    expect(statuses).toEqual([...Array(10).fill(400), 429]);
  });
});

describe('the mechanism', () => {
  it('a link has a daily cap across addresses, windows reopen with Retry-After counting down', async () => {
    let now = Date.parse('2026-11-21T08:00:00Z');
    const server = Fastify();
    registerErrorHandler(server);
    registerThrottle(server, { now: () => now, budgets: { linkWrites: { what: 'submissions a day through one link', limit: 3, windowMs: 86_400_000 } } });
    server.post('/public/things/:token', { config: { auth: { public: true } } }, async () => ({ ok: true }));
    await server.ready();
    const post = (ip: string, token = 'pcl_known') => server.inject({ method: 'POST', url: `/public/things/${token}`, remoteAddress: ip });
    expect([(await post('1.1.1.1')).statusCode, (await post('2.2.2.2')).statusCode, (await post('3.3.3.3')).statusCode]).toEqual([200, 200, 200]);
    const capped = await post('4.4.4.4');
    expectRateLimited(capped);
    expect(capped.headers['retry-after']).toBe('86400');
    expect((await post('4.4.4.4', 'pcl_other')).statusCode).toBe(200);
    now += 86_400_000 - 10_000;
    expect((await post('4.4.4.4')).headers['retry-after']).toBe('10');
    now += 10_000;
    expect((await post('4.4.4.4')).statusCode).toBe(200);
    await server.close();
  });

  it('a route\'s own 429 (feedback per client and hour) says rate_limited with Retry-After too', async () => {
    const server = Fastify();
    registerErrorHandler(server);
    server.post('/public/feedback', async () => {
      throw rateLimited('at most 5 messages an hour');
    });
    const res = await server.inject({ method: 'POST', url: '/public/feedback' });
    expect([res.statusCode, res.json().error, res.headers['retry-after']]).toEqual([429, 'rate_limited', '60']);
    await server.close();
  });
});
