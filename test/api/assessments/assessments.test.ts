// Assessment schemes and a round through HTTP with time skipping: the department reads the
// shipped half-yearly 网格员 default, copies it, gets field errors for a broken edit, publishes,
// starts a round over its district (the three grid workers are found by the scheme's target), and
// republishes a changed scheme mid-round without touching the running round. Each source scores
// (self, a peer, the community as supervisor, the department with the residents' survey means);
// scoring someone else as "self", a score over the max, another street's caller and a filing
// after close are refused. The department closes scoring; the round is graded and ranked; the
// street then the department sign off (out of turn refused); the ranking PDF is printed; after 公示
// the pay grades move by band. The round's history replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantWithToken } from '../../support/cycle-harness.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { startAssessmentWorld, json, until, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';
import { assessmentRoundWorkflowId } from '../../../domain/assessment/contracts.ts';

const DAY = 86_400_000;
let world: AssessmentWorld;
let ids: AssessmentWorld['ids'];

beforeAll(async () => {
  world = await startAssessmentWorld({ grids: 3 });
  ids = world.ids;
  // w1 is on grade 7 of 三岗十八级, w3 on grade 4; w2 has none recorded (starts at grade 1).
  const em = world.app.orm.em.fork() as EntityManager;
  await em.getConnection().execute('insert into pay_grade (subject_key, grade) values (?, 7), (?, 4)', [ids.w1, ids.w3]);
  // stray: community staff in this round who is street staff in another district.
  const stray = grantWithToken(em, world.tokens, 'stray', 'community_committee', { unit: em.getReference(AdministrativeUnit, ids.community!) });
  em.create(RoleAssignment, { account: stray, role: 'street_committee', unit: em.getReference(AdministrativeUnit, ids.district2!), organization: null });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const call: AssessmentWorld['call'] = (...args) => world.call(...args);
const people = (patrol: number, ticked: number[], discipline: number) => ({ patrol: { points: patrol }, service: { ticked }, discipline: { points: discipline } });

describe('assessment schemes and a half-yearly round through HTTP', () => {
  it('defines, publishes, runs a round to the ranking PDF and the pay-grade list', async () => {
    const schemes = await json(call('dept', 'GET', '/assessment-schemes'));
    const shipped = schemes.items.find((s: Json) => s.isDefault);
    expect(shipped).toMatchObject({ editable: false, latestVersion: 1, draft: { name: '社区网格员半年考核评价', cadence: 'half_yearly' } });
    expect((await call('dept', 'PUT', `/assessment-schemes/${shipped.id}`, shipped.draft)).status).toBe(403);

    const copied = await call('dept', 'POST', '/assessment-schemes', { unitId: ids.district, copyOf: shipped.id });
    expect(copied.status).toBe(201);
    const scheme = copied.body as Json;
    expect(scheme).toMatchObject({ editable: true, latestVersion: 0, copiedFrom: shipped.id });
    const broken = structuredClone(scheme.draft);
    broken.sections[0].indicators[0].weight = 30;
    broken.bands[1].minScore = 95;
    const refused = await call('dept', 'PUT', `/assessment-schemes/${scheme.id}`, broken);
    expect(refused.status).toBe(400);
    expect((refused.body as Json).details.map((d: Json) => d.field).sort()).toEqual(['body.bands[1].minScore', 'body.sections']);
    const mine = { ...scheme.draft, name: '高新区网格员半年考核' };
    expect((await call('dept', 'PUT', `/assessment-schemes/${scheme.id}`, mine)).status).toBe(200);
    expect(await json(call('dept', 'POST', `/assessment-schemes/${scheme.id}/versions`))).toMatchObject({ latestVersion: 1, changed: false });

    const start = { schemeId: scheme.id, unitId: ids.district, period: '2026年下半年', from: '2026-07-01', to: '2026-12-31' };
    const started = await call('dept', 'POST', '/assessment-rounds', start);
    expect(started.status).toBe(201);
    const round = started.body as Json;
    expect(round).toMatchObject({ stage: 'scoring', version: 1, assessed: 3, schemeName: '高新区网格员半年考核' });
    expect((await call('dept', 'POST', '/assessment-rounds', start)).status).toBe(409);
    // Changed and republished mid-round: the round keeps version 1.
    expect((await call('dept', 'PUT', `/assessment-schemes/${scheme.id}`, { ...mine, publicityDays: 3 })).status).toBe(200);
    expect(await json(call('dept', 'POST', `/assessment-schemes/${scheme.id}/versions`))).toMatchObject({ latestVersion: 2 });
    expect(await json(call('dept', 'GET', `/assessment-rounds/${round.id}`))).toMatchObject({ version: 1, definition: { publicityDays: 5 } });

    const url = (subject: string) => `/assessment-rounds/${round.id}/subjects/${subject}/scores`;
    const seen = await json(call('w1', 'GET', `/assessment-rounds/${round.id}`));
    const byName = Object.fromEntries(seen.subjects.map((s: Json) => [s.name, s]));
    expect(byName.w1.mySources).toEqual(['self']);
    expect(byName.w2.mySources).toEqual(['peers']);
    expect((await call('w1', 'POST', url(byName.w2.id), { source: 'self', scores: people(20, [0], 10) })).body).toMatchObject({ error: 'not_your_role' });
    // Another street of the district sees the round, none of these grid workers, and may score nobody.
    expect((await json(call('street2', 'GET', `/assessment-rounds/${round.id}`))).subjects).toEqual([]);
    expect((await call('street2', 'POST', url(byName.w2.id), { source: 'supervisor', scores: people(20, [0], 10) })).status).toBe(404);
    const marks: Record<string, [number, number[], number, number]> = { w1: [20, [0, 1, 2, 3], 10, 5], w2: [16, [0, 1, 2], 8, 4], w3: [6, [0], 4, 2] };
    const all = (await json(call('dept', 'GET', `/assessment-rounds/${round.id}`))).subjects as Json[];
    for (const s of all) {
      const [p, t, d, mean] = marks[s.name]!;
      expect((await call(s.name, 'POST', url(s.id), { source: 'self', scores: people(p, t, d) })).status).toBe(200);
      expect((await call(s.name === 'w1' ? 'w2' : 'w1', 'POST', url(s.id), { source: 'peers', scores: people(p, t, d) })).status).toBe(200);
      expect((await call('community', 'POST', url(s.id), { source: 'supervisor', scores: people(p, t, d) })).status).toBe(200);
      expect((await call('dept', 'POST', url(s.id), { source: 'department', scores: people(p, t, d) })).status).toBe(200);
      expect((await call('dept', 'POST', url(s.id), { source: 'residents', scores: { residents_view: { mean } } })).status).toBe(200);
    }
    const over = await call('community', 'POST', url(all[0]!.id), { source: 'supervisor', scores: people(21, [0], 10) });
    expect(over.status).toBe(400);
    expect((over.body as Json).details).toEqual([{ field: 'body.scores.patrol', rule: 'must be at most 20' }]);
    expect((await json(call('dept', 'GET', `/assessment-rounds/${round.id}`))).subjects[0].filed).toEqual({ self: 1, peers: 1, supervisor: 1, department: 1, residents: 1 });

    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/close-scoring`)).status).toBe(200);
    expect((await call('w1', 'POST', url(all[0]!.id), { source: 'self', scores: people(1, [], 1) })).status).toBe(409);
    const graded = await until(() => json(call('dept', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.stage === 'sign_off', 'grading');
    // No grid matters in the period: both rates are 无数据 (left out, the other 65 points rescaled to 100), never full marks.
    // w2: (16 + 11.25 + 11.25 + 12) / 65 × 100 = 77.69 (合格). Cap 20% of 3 → no 优秀 place: w1 reached it but is 良好, capped; w3 fails.
    expect(graded.subjects.map((s: Json) => `${s.name}:${s.rank}:${s.bandName}:${s.capped}`)).toEqual(['w1:1:良好:true', 'w2:2:合格:false', 'w3:3:不合格:false']);
    expect(graded.subjects[1]).toMatchObject({ total: 77.69, noData: ['in_time', 'satisfied'] });
    expect(graded.subjects[0].total).toBeGreaterThanOrEqual(90);
    // Grid workers see no one's results before 公示.
    expect((await json(call('w2', 'GET', `/assessment-rounds/${round.id}`))).subjects.find((s: Json) => s.name === 'w1').total).toBeNull();

    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/sign-offs`)).body).toMatchObject({ error: 'wrong_role' });
    // Street staff elsewhere does not sign the street's step as community staff of this round (the API used to claim street_committee for it).
    expect((await call('stray', 'POST', `/assessment-rounds/${round.id}/sign-offs`)).body).toMatchObject({ error: 'wrong_role' });
    expect(await json(call('street', 'POST', `/assessment-rounds/${round.id}/sign-offs`))).toMatchObject({ signOffStep: 1 });
    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/sign-offs`)).status).toBe(200);
    const shown = await until(() => json(call('w2', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.stage === 'publicity', 'publicity');
    await until(() => json(call('w2', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.hasRanking, 'the ranking PDF', 90_000);
    expect(shown.signOffs.map((s: Json) => s.signer)).toEqual(['street', 'dept']);
    const pdf = await call('w2', 'GET', `/assessment-rounds/${round.id}/ranking.pdf`);
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const pay = await json(call('dept', 'GET', `/assessment-rounds/${round.id}/pay-grades`));
    expect(pay.applied).toBe(false);
    expect(pay.items.map((i: Json) => `${i.name}:${i.before}→${i.after}`)).toEqual(['w1:7→7', 'w2:1→1', 'w3:4→3']);
    await world.env.sleep(6 * DAY);
    await until(() => json(call('dept', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.stage === 'closed', 'closing');
    expect((await json(call('dept', 'GET', `/assessment-rounds/${round.id}/pay-grades`))).applied).toBe(true);
    const grades = await world.app.orm.em.fork().getConnection().execute('select subject_key, grade, round_id from pay_grade order by grade desc');
    expect(grades.map((g: Json) => g.grade)).toEqual([7, 3, 1]);
    await world.harness.replay(assessmentRoundWorkflowId(round.id));
  }, 240_000);
});
