// A 最美网格员 round through HTTP with time skipping: the department starts a round of the shipped
// default (it begins with nominations, nobody assessed yet); the community nominates its grid
// workers with reasons (a short reason, a candidate who does not hold the role and a doubled
// candidate are refused, each naming the field or the rule); another street may not nominate
// here, another district sees nothing; the department accepts one and refuses one (a refusal
// without a reason names body.reason); after the stage the accepted is the round's only subject;
// five concurrent votes of one voter give one vote (409 already_voted for the others); named
// voters only for a source that votes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startAssessmentWorld, json, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';

const DAY = 86_400_000;
let world: AssessmentWorld;
let ids: AssessmentWorld['ids'];

beforeAll(async () => {
  world = await startAssessmentWorld({ grids: 2 });
  ids = world.ids;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const call: AssessmentWorld['call'] = (...args) => world.call(...args);
describe('a 最美网格员 round through HTTP', () => {
  it('takes nominations, reviews them, admits the accepted and never doubles a vote', async () => {
    const schemes = await json(call('dept', 'GET', '/assessment-schemes'));
    const shipped = schemes.items.find((s: Json) => s.isDefault && s.draft.name === '最美网格员评选');
    expect(shipped.draft.nomination).toMatchObject({ by: ['community_committee', 'street_committee'], days: 10 });
    const started = await call('dept', 'POST', '/assessment-rounds', { schemeId: shipped.id, unitId: ids.district, period: '2026年度', from: '2026-01-01', to: '2026-12-31' });
    expect(started.status).toBe(201);
    const round = started.body as Json;
    expect(round).toMatchObject({ stage: 'nomination', assessed: 0 });
    const url = `/assessment-rounds/${round.id}/nominations`;
    const nominate = (login: string, body: Json) => call(login, 'POST', url, body);

    const short = await nominate('community', { unitId: ids.g1, candidateAccountId: ids.w1, reason: '好' });
    expect(short.status).toBe(400);
    expect((short.body as Json).details).toEqual([{ field: 'body.reason', rule: 'must be 5 to 500 characters' }]);
    const wrongHolder = await nominate('community', { unitId: ids.g1, candidateAccountId: ids.w2, reason: '扎根网格服务群众' });
    expect((wrongHolder.body as Json).details).toEqual([{ field: 'body.candidateAccountId', rule: 'must hold community_committee on the unit' }]);
    expect((await nominate('community', { unitId: ids.community, candidateAccountId: ids.w1, reason: '扎根网格服务群众' })).body)
      .toMatchObject({ details: [{ field: 'body.unitId', rule: 'must be a grid' }] });
    expect((await nominate('street2', { unitId: ids.g1, candidateAccountId: ids.w1, reason: '扎根网格服务群众' })).body).toMatchObject({ error: 'not_your_role' });
    expect((await nominate('dept2', { unitId: ids.g1, candidateAccountId: ids.w1, reason: '扎根网格服务群众' })).status).toBe(403);
    expect((await call('dept2', 'GET', url)).status).toBe(404);
    expect((await call('dept2', 'GET', `/assessment-rounds/${round.id}`)).status).toBe(404);

    expect((await nominate('community', { unitId: ids.g1, candidateAccountId: ids.w1, reason: '扎根网格服务群众' })).status).toBe(200);
    expect((await nominate('community', { unitId: ids.g2, candidateAccountId: ids.w2, reason: '化解邻里纠纷十余起' })).status).toBe(200);
    const doubled = await nominate('community', { unitId: ids.g1, candidateAccountId: ids.w1, reason: '再次推荐此人' });
    expect([doubled.status, (doubled.body as Json).error]).toEqual([409, 'already_nominated']);

    const review = (body: Json) => call('dept', 'POST', `${url}/review`, body);
    expect((await call('community', 'POST', `${url}/review`, { nominationId: 'n1', decision: 'accept' })).status).toBe(403);
    expect((await review({ nominationId: 'n2', decision: 'refuse' })).body).toMatchObject({ details: [{ field: 'body.reason' }] });
    expect((await review({ nominationId: 'n1', decision: 'accept' })).status).toBe(200);
    const listed = await json(review({ nominationId: 'n2', decision: 'refuse', reason: '事迹材料不全' }));
    expect(listed.items.map((n: Json) => `${n.name}:${n.status}:${n.decisionReason}`)).toEqual(['w1:accepted:null', 'w2:refused:事迹材料不全']);
    // The community sees the nominations in its units too.
    expect((await json(call('community', 'GET', url))).items).toHaveLength(2);

    await world.env.sleep(10 * DAY + 60_000);
    let view: Json = {};
    for (const end = Date.now() + 30_000; Date.now() < end && view.stage !== 'scoring';) {
      view = await json(call('dept', 'GET', `/assessment-rounds/${round.id}`));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view).toMatchObject({ stage: 'scoring', assessed: 1 });
    expect(view.subjects.map((s: Json) => s.name)).toEqual(['w1']);
    const subject = view.subjects[0];
    expect(subject.mySources).toEqual(['residents', 'department']);

    // One voter sends the same vote five times at once: one is taken.
    const scores = `/assessment-rounds/${round.id}/subjects/${subject.id}/scores`;
    const tries = await Promise.all([0, 1, 2, 3, 4].map(() => call('dept', 'POST', scores, { source: 'residents', scores: { residents_vote: { choice: 0 } } })));
    expect(tries.map((t) => t.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(tries.filter((t) => t.status === 409).map((t) => (t.body as Json).error)).toEqual(['already_voted', 'already_voted', 'already_voted', 'already_voted']);
    const bad = await call('dept', 'POST', scores, { source: 'department', scores: { deeds: { points: 101 } } });
    expect((bad.body as Json).details).toEqual([{ field: 'body.scores.deeds', rule: 'must be at most 100' }]);
    const [{ n }] = await (world.app.orm.em.fork() as EntityManager).execute<{ n: string }[]>('select count(*) n from assessment_filing where subject_id = ?', [subject.id]);
    expect(Number(n)).toBe(1);

    // Named voters: only for a source that votes in the scheme.
    const voters = await call('dept', 'PUT', `/assessment-rounds/${round.id}/voters`, { source: 'party_reps', accountIds: [ids.w2] });
    expect((voters.body as Json).details).toEqual([{ field: 'body.source', rule: 'must be a source that votes in this scheme and is not self, residents or department' }]);
  }, 180_000);
});
