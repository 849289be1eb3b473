// A 述职评议 round through HTTP for the people without a staff role (issue 19, schemepages): the
// department names a 党员代表 who holds no role (a person of a community of the district; an account of
// another district and an administrator are refused as voters, each naming its field); the
// representative finds the round among its ballots, votes once on a secretary (a second vote is 409
// already_voted, a bad option names the field, voting as the department is 403) and reaches nothing
// else of the round (its page, scoring, naming voters, nominations: 403); the secretary files the 述职
// (an empty 必答题 and a short text are refused with their fields) and the representative reads it, a
// peer secretary may not; the department sees who has voted; another district sees nothing.
// A 最美网格员 round lists the grids and their workers a community may nominate in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantWithToken } from '../../support/cycle-harness.ts';
import { startAssessmentWorld, json, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';
import { Account } from '../../../domain/entities/account.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { ApiToken } from '../../../domain/entities/api-token.ts';
import { Person } from '../../../domain/entities/person.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';

let world: AssessmentWorld;
let ids: Record<string, string>;

// The world's 仙营社区 (its secretary `community`, named s1 here) and 洸河社区 (s2), 仙营社区第1网格's worker w1; an administrator;
// 党员代表 without any role: 王代表 of 仙营社区 and 李代表 of 任城区, the other district.
beforeAll(async () => {
  world = await startAssessmentWorld({ communities: ['仙营社区', '洸河社区'], grids: 1 });
  ids = world.ids;
  const em = world.app.orm.em.fork() as EntityManager;
  const tokens = world.tokens;
  world.tokens.s1 = tokens.community!;
  ids.s1 = (await em.findOneOrFail(Account, { login: 'community' })).id;
  await em.execute('update account set display_name = ? where login = ?', ['s1', 'community']);
  ids.s2 = grantWithToken(em, tokens, 's2', 'community_committee', { unit: em.getReference(AdministrativeUnit, ids.c1!) }).id;
  grantWithToken(em, tokens, 'admin', 'admin', {});
  const person = (name: string, on: string, login: string) => {
    const p = em.create(Person, { name, phone: null, title: null, unit: em.getReference(AdministrativeUnit, on), organization: null } as never);
    const a = em.create(Account, { login, displayName: name, passwordHash: 'x', person: p } as never);
    tokens[login] = `pct_${login}_${'x'.repeat(32)}`;
    em.create(ApiToken, { account: a, name: 'test', tokenHash: hashSecret(tokens[login]!) } as never);
    return a.id;
  };
  ids.rep = person('王代表', ids.c0!, 'rep');
  ids.outsider = person('李代表', ids.district2!, 'outsider');
  await em.flush();
  ids.admin = (await em.findOneOrFail(Account, { login: 'admin' })).id;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => world.call(login, method, url, payload);
const shipped = async (name: string) => (await json(call('dept', 'GET', '/assessment-schemes'))).items.find((s: Json) => s.isDefault && s.draft.name === name);

describe('ballots of a 述职评议 round', () => {
  it('lets a named 党员代表 without a role vote once and read the 述职, and nothing more', async () => {
    const scheme = await shipped('社区党组织书记年终述职评议');
    const started = await call('dept', 'POST', '/assessment-rounds', { schemeId: scheme.id, unitId: ids.district, period: '2026年度', from: '2026-01-01', to: '2026-12-31' });
    expect(started.status).toBe(201);
    const round = started.body as Json;
    const r = `/assessment-rounds/${round.id}`;
    const [s1, s2] = ['s1', 's2'].map((n) => round.subjects.find((s: Json) => s.name === n));

    // Nobody names voters outside the district or an administrator; the rep has no ballot yet.
    expect((await call('rep', 'GET', `${r}/ballot`)).status).toBe(404);
    const refused = await call('dept', 'PUT', `${r}/voters`, { source: 'party_reps', accountIds: [ids.rep, ids.outsider, ids.admin] });
    expect(refused.status).toBe(400);
    expect((refused.body as Json).details.map((d: Json) => d.field)).toEqual(['body.accountIds[1]', 'body.accountIds[2]']);
    expect((await call('rep', 'PUT', `${r}/voters`, { source: 'party_reps', accountIds: [ids.rep] })).status).toBe(403);
    const candidates = await json(call('dept', 'GET', `${r}/voter-candidates?q=代表`));
    expect(candidates.items.map((c: Json) => c.name)).toEqual(['王代表']);
    expect((await call('dept', 'PUT', `${r}/voters`, { source: 'party_reps', accountIds: [ids.rep] })).status).toBe(200);

    const mine = await json(call('rep', 'GET', '/assessment-ballots'));
    expect(mine.items).toEqual([expect.objectContaining({ id: round.id, sources: ['party_reps'], subjects: 2, voted: 0 })]);
    const ballot = await json(call('rep', 'GET', `${r}/ballot`));
    expect(ballot.canVote).toBe(true);
    expect(ballot.indicators.map((i: Json) => i.options.map((o: Json) => o.label).join())).toEqual(['好,较好,一般,差']);
    expect(ballot.subjects.map((s: Json) => [s.name, s.sources])).toEqual([['s1', ['party_reps']], ['s2', ['party_reps']]]);
    // Only the department and named voters see every assessed on the ballot; a secretary votes on nobody and sees none.
    expect((await json(call('dept', 'GET', `${r}/ballot`))).subjects.map((s: Json) => [s.name, s.sources])).toEqual([['s1', ['department']], ['s2', ['department']]]);
    expect((await json(call('s2', 'GET', `${r}/ballot`))).subjects).toEqual([]);

    // Nothing beyond the ballot.
    for (const [method, url, body] of [['GET', r], ['GET', `${r}/nominations`], ['GET', '/assessment-rounds'], ['GET', `${r}/voters`],
      ['POST', `${r}/subjects/${s1.id}/scores`, { source: 'party_reps', scores: { overall: { choice: 0 } } }], ['POST', `${r}/close-scoring`]] as const) {
      expect([url, (await call('rep', method, url, body)).status]).toEqual([url, 403]);
    }
    const vote = (login: string, subject: Json, body: Json) => call(login, 'POST', `${r}/subjects/${subject.id}/votes`, body);
    expect((await vote('rep', s1, { source: 'department', choices: { overall: 0 } })).body).toMatchObject({ error: 'not_your_role' });
    expect((await vote('rep', s1, { source: 'party_reps', choices: { overall: 7 } })).body)
      .toMatchObject({ details: [{ field: 'body.choices.overall', rule: 'must choose an option 0–3' }] });
    expect((await vote('rep', s1, { source: 'self', choices: {} })).body).toMatchObject({ details: [{ field: 'body.source' }] });
    expect((await vote('rep', s1, { source: 'party_reps', choices: { overall: 1 } })).status).toBe(200);
    const again = await vote('rep', s1, { source: 'party_reps', choices: { overall: 0 } });
    expect([again.status, (again.body as Json).error]).toEqual([409, 'already_voted']);
    const after = await json(call('rep', 'GET', `${r}/ballot`));
    expect(after.subjects.map((s: Json) => s.votes)).toEqual([{ party_reps: { overall: 1 } }, {}]);
    expect((await json(call('rep', 'GET', '/assessment-ballots'))).items[0].voted).toBe(1);

    // The secretary files its 述职: every 必答题 answered, long enough.
    const text = '本年度围绕基层党建重点任务，'.repeat(10);
    const file = (answers: string[], t = text) => call('s1', 'POST', `${r}/subjects/${s1.id}/scores`, { source: 'self', scores: { report: { text: t, answers } } });
    expect((await file(['做了三件事', '  ', '继续努力'])).body).toMatchObject({ details: [{ field: 'body.scores.report.answers[1]' }] });
    expect((await file(['一', '二', '三'], '太短')).body).toMatchObject({ details: [{ field: 'body.scores.report.text', rule: 'must be 100 to 20000 characters' }] });
    expect((await file(['建强网格党支部', '物业矛盾较多', '推进红色物业'])).status).toBe(200);
    const report = await json(call('rep', 'GET', `${r}/subjects/${s1.id}/reports`));
    expect(report.items).toEqual([expect.objectContaining({ key: 'report', text, answers: ['建强网格党支部', '物业矛盾较多', '推进红色物业'] })]);
    expect(report.items[0].prompts).toHaveLength(3);
    expect((await json(call('dept', 'GET', `${r}/subjects/${s1.id}/reports`))).items[0].text).toBe(text);
    expect((await call('s2', 'GET', `${r}/subjects/${s1.id}/reports`)).status).toBe(404);
    expect((await json(call('rep', 'GET', `${r}/ballot`))).subjects.map((s: Json) => s.reportFiled)).toEqual([true, false]);

    const progress = await json(call('dept', 'GET', `${r}/voters`));
    expect(progress).toMatchObject({ subjects: 2, sources: [{ source: 'party_reps', voters: [{ name: '王代表', voted: 1 }] }] });
    // Another district: nothing of the round.
    for (const url of [`${r}/ballot`, `${r}/voters`, `${r}/subjects/${s2.id}/reports`, `${r}/voter-candidates`]) {
      expect([url, (await call('dept2', 'GET', url)).status]).toEqual([url, 404]);
    }
    expect((await call('outsider', 'GET', `${r}/ballot`)).status).toBe(404);
    expect((await vote('outsider', s2, { source: 'party_reps', choices: { overall: 0 } })).status).toBe(404);
    expect((await json(call('outsider', 'GET', '/assessment-ballots'))).items).toEqual([]);
  }, 120_000);

  it('lists the grids and their workers a community may nominate in (the department nominates nobody)', async () => {
    const scheme = await shipped('最美网格员评选');
    const round = await json(call('dept', 'POST', '/assessment-rounds', { schemeId: scheme.id, unitId: ids.district, period: `评选${randomUUID().slice(0, 4)}`,
      from: '2026-01-01', to: '2026-12-31' }));
    const mine = await json(call('dept', 'GET', `/assessment-rounds/${round.id}/nomination-candidates`));
    expect(mine).toEqual({ targetKind: 'role', units: [] });
    const listed = await json(call('s1', 'GET', `/assessment-rounds/${round.id}/nomination-candidates`));
    expect(listed.units).toEqual([{ id: ids.grid, name: '仙营社区第1网格', holders: [{ accountId: ids.w1, name: 'w1' }] }]);
  }, 60_000);
});
