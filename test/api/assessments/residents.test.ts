// The residents' source of a round through one-time codes, over HTTP with time skipping (issue 19): the department
// downloads slips (Excel) for both grid workers; from then on its typed residents' filing is refused; a resident's code
// shows whom it rates and that subject's questions; a wrong code, a missing answer are refused naming the field; five
// concurrent answers with one code leave one (the others 409 code_used); a roster's codes (SMS) count as issued; paper
// questionnaires (线下) are refused naming the field, then entered with a note and audited; the response rates are
// answers / codes issued per subject (a download of the slips cut off part-way issues none); when scoring closes the totals are computed from the answers and the 线下 ones,
// and a code not yet used answers no more. Another district's department sees nothing of it (404), the public nothing
// of a round without codes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAssessmentWorld, json, until, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';
import { cutOffSlips, issueSlips, startResidentsRound } from '../../support/residents-round.ts';

let world: AssessmentWorld;

beforeAll(async () => {
  world = await startAssessmentWorld({ grids: 2 });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('residents answer a round with one-time codes', () => {
  it('spends a code once, computes the means and votes from the answers, shows response rates, and hides all of it from another district', async () => {
    const { app, tokens, call } = world;
    const round = await startResidentsRound(app, tokens, world.ids.district!);
    const id = round.id as string;
    const subjects = Object.fromEntries((round.subjects as Json[]).map((s) => [s.name, s.id as string]));
    const pub = `/public/assessment-residents/${id}`;
    // Before any code: the public page knows no such round; the department sees no rates yet.
    expect((await call(null, 'GET', pub)).status).toBe(404);
    expect(await json(call('dept', 'GET', `/assessment-rounds/${id}/residents`))).toMatchObject({ codes: false, open: true });

    // Another district's department (dept2): 404 for the overview, the slips and the 线下 entry; a street: 403 (not the department's route).
    expect((await call('dept2', 'GET', `/assessment-rounds/${id}/residents`)).status).toBe(404);
    expect((await call('dept2', 'POST', `/assessment-rounds/${id}/resident-codes.xlsx`, { count: 2 })).status).toBe(404);
    expect((await call('street', 'GET', `/assessment-rounds/${id}/residents`)).status).toBe(403);

    // The clerk's download breaks off while the slips are made: nothing is issued, the round does not switch to codes, and
    // the response rates below count only the codes on the slips the clerk got (3 each, not 6).
    await cutOffSlips(app, tokens, id, 3);
    const cut = await json(call('dept', 'GET', `/assessment-rounds/${id}/residents`));
    expect([cut.codes, cut.subjects.map((s: Json) => s.issued)]).toEqual([false, [0, 0]]);
    const { sheet, codes } = await issueSlips(app, tokens, id, 3);
    expect(sheet.headers).toEqual(['考核对象', '所在单位', '序号', '测评码', '作答网址（手机扫码或输入）']);
    expect(sheet.filters).toContain(pub);
    expect(Object.keys(codes).sort()).toEqual(['w1', 'w2']);
    expect(codes.w1).toHaveLength(3);
    expect(codes.w1![0]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // The round now answers with codes: the department's typed residents' mean is refused.
    const typed = await call('dept', 'POST', `/assessment-rounds/${id}/subjects/${subjects.w1}/scores`, { source: 'residents', scores: { residents_view: { mean: 5 }, residents_vote: { choice: 0 } } });
    expect([typed.status, (typed.body as Json).error]).toEqual([409, 'residents_by_codes']);
    expect(await json(call(null, 'GET', pub))).toEqual({ scheme: '网格员群众评议', unit: '高新区', period: '2026年下半年', open: true });

    // A code shows whom it rates and that subject's questions; a wrong one is refused naming the code.
    const looked = await json(call(null, 'POST', `${pub}/code`, { code: codes.w1![0]!.toLowerCase().replace('-', ' ') }));
    expect(looked.subject).toBe('w1');
    expect(looked.questions.map((q: Json) => `${q.key}:${q.kind}`)).toEqual(['residents_view:rating', 'residents_vote:choice', 'comment:text']);
    expect(looked.questions[1].options).toEqual(['好', '较好', '一般', '差']);
    const wrong = await call(null, 'POST', `${pub}/code`, { code: 'ABCD-EFGH' });
    expect([wrong.status, (wrong.body as Json).details]).toEqual([400, [{ field: 'body.code', rule: 'is not a code of this round' }]]);
    // Another round's id knows none of these codes.
    expect((await call(null, 'POST', `/public/assessment-residents/${randomUUID()}`, { code: codes.w1![0], answers: {} })).status).toBe(404);

    const answer = (code: string, rating: number, vote: string) => call(null, 'POST', pub, { code, answers: { residents_view: rating, residents_vote: vote } });
    const missing = await call(null, 'POST', pub, { code: codes.w1![0], answers: { residents_view: 5 } });
    expect([missing.status, (missing.body as Json).details]).toEqual([400, [{ field: 'body.answers.residents_vote', rule: 'is required' }]]);
    // Five answers with one code at once: one is taken.
    const race = await Promise.all(Array.from({ length: 5 }, () => answer(codes.w1![0]!, 5, '好')));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(race.filter((r) => r.status === 409).map((r) => (r.body as Json).error)).toEqual(['code_used', 'code_used', 'code_used', 'code_used']);
    expect((await call(null, 'POST', `${pub}/code`, { code: codes.w1![0] })).body).toMatchObject({ error: 'code_used' });
    expect((await answer(codes.w1![1]!, 4, '较好')).status).toBe(201);
    expect((await answer(codes.w1![2]!, 3, '一般')).status).toBe(201);
    expect((await answer(codes.w2![0]!, 2, '差')).status).toBe(201);
    const [count] = await app.orm.em.fork().getConnection().execute(
      `select count(*) n from survey_response x join survey v on v.id = x.survey_id where v.purpose = 'assessment_residents' and v.subject_id = ?`, [subjects.w1]);
    expect(Number(count.n)).toBe(3);

    // One more code for w2 to a roster, by SMS (no channel here: not sent, and said why); it counts as issued.
    const roster = await call('dept', 'POST', `/assessment-rounds/${id}/subjects/${subjects.w2}/resident-codes`, { roster: [{ name: '王五', phone: '13800000001' }], send: true });
    expect(roster.status).toBe(201);
    expect((roster.body as Json).codes[0]).toMatchObject({ holder: '王五', phone: '138****0001', queued: false, sendError: 'no SMS channel is switched on for this department' });

    // Paper questionnaires of w2 (线下): votes that do not add up and a missing note are refused naming the fields.
    const offUrl = `/assessment-rounds/${id}/subjects/${subjects.w2}/residents-offline`;
    const bad = await call('dept', 'PUT', offUrl, { respondents: 3, means: { residents_view: 4 }, votes: { residents_vote: [1, 1, 0, 0] }, note: '' });
    expect((bad.body as Json).details).toEqual([
      { field: 'body.note', rule: 'must say where the answers come from (2 to 500 characters)' },
      { field: 'body.votes.residents_vote', rule: 'must add up to the 3 respondents' }]);
    expect((await call('dept2', 'PUT', offUrl, { respondents: 3, means: { residents_view: 4 }, votes: { residents_vote: [1, 1, 1, 0] }, note: '纸质问卷' })).status).toBe(404);
    const entered = await call('dept', 'PUT', offUrl, { respondents: 3, means: { residents_view: 4 }, votes: { residents_vote: [1, 1, 1, 0] }, note: '居民代表会议纸质问卷3份' });
    expect(entered.status).toBe(200);
    const [audited] = await app.orm.em.fork().getConnection().execute(
      `select after from audit_entry where entity_id = ? and action = 'assessment_residents.offline'
       union all select after from audit_pending where entity_id = ? and action = 'assessment_residents.offline'`, [subjects.w2, subjects.w2]);
    expect(audited.after).toMatchObject({ respondents: 3, note: '居民代表会议纸质问卷3份' });

    const rates = await json(call('dept', 'GET', `/assessment-rounds/${id}/residents`));
    expect(rates.subjects.map((s: Json) => `${s.name}:${s.answered}/${s.issued}:${s.responseRate}`)).toEqual(['w1:3/3:100', 'w2:1/4:25']);
    expect(rates.subjects[1].offline).toMatchObject({ respondents: 3, note: '居民代表会议纸质问卷3份', enteredBy: 'dept' });

    for (const [name, patrol] of [['w1', 20], ['w2', 10]] as const) {
      expect((await call('dept', 'POST', `/assessment-rounds/${id}/subjects/${subjects[name]}/scores`, { source: 'department', scores: { patrol: { points: patrol } } })).status).toBe(200);
    }
    expect((await call('dept', 'POST', `/assessment-rounds/${id}/close-scoring`)).status).toBe(200);
    const graded = await until(() => json(call('dept', 'GET', `/assessment-rounds/${id}`)), (r) => r.stage === 'sign_off', 'grading');
    // w1: 30 + 40 × (4 − 1)/4 + 30 × (1 + 0.8 + 0.6)/3 = 30 + 30 + 24 = 84 (良好).
    // w2: 15 + 40 × (mean of 2, 4, 4, 4 = 3.5 → 0.625) + 30 × (0 + 1 + 0.8 + 0.6)/4 = 15 + 25 + 18 = 58 (不合格).
    expect(graded.subjects.map((s: Json) => `${s.name}:${s.total}:${s.bandName}`)).toEqual(['w1:84:良好', 'w2:58:不合格']);
    const tallied = await json(call('dept', 'GET', `/assessment-rounds/${id}/residents`));
    expect(tallied.subjects.map((s: Json) => s.tally)).toEqual([
      { answered: 3, offline: 0, means: { residents_view: 4 }, votes: { residents_vote: [1, 1, 1, 0] } },
      { answered: 1, offline: 3, means: { residents_view: 3.5 }, votes: { residents_vote: [1, 1, 1, 1] } },
    ]);
    // Scoring has closed: an unused code answers no more, the 线下 entry is refused.
    const late = await answer(codes.w2![1]!, 5, '好');
    expect([late.status, (late.body as Json).error]).toEqual([409, 'residents_closed']);
    expect((await call('dept', 'PUT', offUrl, { respondents: 1, means: { residents_view: 5 }, votes: { residents_vote: [1, 0, 0, 0] }, note: '补录' })).status).toBe(409);
    expect(await json(call(null, 'GET', pub))).toMatchObject({ open: false });
  }, 240_000);
});
