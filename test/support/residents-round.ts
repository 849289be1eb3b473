// A scheme whose residents answer a survey question and cast a vote (issue 19, the residents' source through codes), its
// round, its slips (and a download of them cut off), for test/api/assessments/residents.test.ts (on the assessment world) and
// test/workflows/assessment-residents.test.ts (on seedResidentsDistrict: the same district, two grid workers).
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantWithToken, httpCaller } from './cycle-harness.ts';
import type { TestApp } from './app.ts';
import { unitMaker } from './fixtures.ts';
import { readXlsx, byHeader } from './xlsx.ts';

export type Json = Record<string, any>;

/** 30 points the department scores, 40 the residents' 1–5 rating, 30 their vote (好 100, 较好 80, 一般 60, 差 0). */
export const RESIDENTS_SCHEME = {
  name: '网格员群众评议', cadence: 'half_yearly',
  target: { kind: 'role', role: 'community_committee', unitLevel: 'grid' },
  sections: [
    { key: 'duty', name: '履职', indicators: [{ key: 'patrol', name: '网格巡查', weight: 30, rule: 'manual', max: 20 }] },
    { key: 'residents', name: '群众评价', indicators: [
      { key: 'residents_view', name: '居民满意度', weight: 40, rule: 'survey', question: '您对本网格网格员的工作是否满意？' },
      { key: 'residents_vote', name: '群众投票', weight: 30, rule: 'vote', voters: ['residents'],
        options: [{ label: '好', score: 100 }, { label: '较好', score: 80 }, { label: '一般', score: 60 }, { label: '差', score: 0 }] },
    ] },
  ],
  sources: [{ kind: 'residents', weight: 50 }, { kind: 'department', weight: 50 }],
  deadlines: { scoringDays: 14, reminderDaysBefore: 3, signOffDays: 5 },
  bands: [{ key: 'excellent', name: '优秀', minScore: 90, maxShare: 0.2 }, { key: 'good', name: '良好', minScore: 80 },
    { key: 'pass', name: '合格', minScore: 60 }, { key: 'fail', name: '不合格', minScore: 0 }],
  signOff: ['org_department'], publicityDays: 5, outputs: {},
};

export async function seedResidentsDistrict(app: TestApp, tokens: Record<string, string>, tag: string) {
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit(`${tag}D`, '高新区', 'district', null);
  const other = unit(`${tag}D2`, '任城区', 'district', null);
  const street = unit(`${tag}S`, '柳行街道', 'street', district);
  const community = unit(`${tag}C`, '仙营社区', 'community', street);
  const grids = [1, 2].map((g) => unit(`${tag}G${g}`, `仙营社区第${g}网格`, 'grid', community));
  grantWithToken(em, tokens, 'dept', 'org_department', { unit: district });
  grantWithToken(em, tokens, 'otherdept', 'org_department', { unit: other });
  grantWithToken(em, tokens, 'street', 'street_committee', { unit: street });
  grids.forEach((g, i) => grantWithToken(em, tokens, `w${i + 1}`, 'community_committee', { unit: g }));
  await em.flush();
  return { district: district.id };
}

/** The department defines and publishes the scheme and starts a round over the district. */
export async function startResidentsRound(app: TestApp, tokens: Record<string, string>, districtId: string): Promise<Json> {
  const call = httpCaller(app, (l) => tokens[l]);
  const created = await call('dept', 'POST', '/assessment-schemes', { unitId: districtId, definition: RESIDENTS_SCHEME });
  if (created.status !== 201) throw new Error(`scheme: ${JSON.stringify(created.body)}`);
  const scheme = created.body as Json;
  await call('dept', 'POST', `/assessment-schemes/${scheme.id}/versions`);
  const started = await call('dept', 'POST', '/assessment-rounds', { schemeId: scheme.id, unitId: districtId, period: '2026年下半年', from: '2026-07-01', to: '2026-12-31' });
  if (started.status !== 201) throw new Error(`round: ${JSON.stringify(started.body)}`);
  return started.body as Json;
}

/** Slips for every assessed, read back from the Excel as the clerk prints them: codes by the assessed's name. */
export async function issueSlips(app: TestApp, tokens: Record<string, string>, roundId: string, count: number) {
  const answer = await httpCaller(app, (l) => tokens[l])('dept', 'POST', `/assessment-rounds/${roundId}/resident-codes.xlsx`, { count });
  if (answer.status !== 200) throw new Error(`slips: ${answer.status} ${JSON.stringify(answer.body)}`);
  const sheet = await readXlsx(answer.body as Buffer);
  const rows = byHeader(sheet);
  const codes: Record<string, string[]> = {};
  for (const r of rows) (codes[String(r['考核对象'])] ??= []).push(String(r['测评码']));
  return { sheet, rows, codes };
}

/**
 * The clerk's download of the slips breaks off (the browser is closed) while the server makes them: the API listens on a
 * real port, the test holds the round's row so the request waits inside its issuing, the client goes away, then the row is
 * let go and the test waits until that request's database session is idle again (its work committed or undone).
 */
export async function cutOffSlips(app: TestApp, tokens: Record<string, string>, roundId: string, count: number): Promise<void> {
  if (!app.server.server.listening) await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as AddressInfo;
  const em = app.orm.em.fork() as EntityManager;
  let release = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  let locked = (_pid: number) => {};
  const holder = new Promise<number>((resolve) => { locked = resolve; });
  const holding = em.transactional(async (tx) => {
    const [me] = await tx.execute<{ pid: number }[]>('select pg_backend_pid() pid from assessment_round where id = ? for update', [roundId]);
    locked(me!.pid);
    await released;
  });
  const holderPid = await holder;
  const serverClosed = new Promise<void>((resolve) => app.server.server.once('request', (_req, res) => res.once('close', () => resolve())));
  const body = JSON.stringify({ count });
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write([`POST /assessment-rounds/${roundId}/resident-codes.xlsx HTTP/1.1`, 'host: 127.0.0.1', `authorization: Bearer ${tokens.dept}`,
    'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
  const waiting = async () => (await em.fork().execute<{ pid: number }[]>(
    'select pid from pg_stat_activity where ? = any(pg_blocking_pids(pid))', [holderPid]))[0]?.pid;
  let pid: number | undefined;
  for (const end = Date.now() + 30_000; !(pid = await waiting());) {
    if (Date.now() > end) throw new Error('the slips request never reached the round\'s row');
    await new Promise((r) => setTimeout(r, 20));
  }
  socket.destroy();
  await serverClosed;
  release();
  await holding;
  for (const end = Date.now() + 30_000; ;) {
    // (The pool may hand that very session to this query once the request let it go.)
    const [s] = await em.fork().execute<{ state: string }[]>('select state from pg_stat_activity where pid = ? and pid <> pg_backend_pid()', [pid]);
    if (!s || s.state === 'idle') return;
    if (Date.now() > end) throw new Error(`the slips request's session stayed ${s.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
