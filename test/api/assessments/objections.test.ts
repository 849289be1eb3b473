// 公示 objections, bonuses and the 三岗十八级 pay-grade list through HTTP with time skipping: the
// department defines a NEW scheme (a yearly review of community units, checklist + manual, three
// bands with a cap, bonuses, objections), runs a round over a street to 公示; a community's staff
// objects from the round page, a resident through the public page (no account; a bad phone is a
// field error, the hourly limit answers 429); another district's department sees nothing; the
// street may not answer (403), a broken answer is a field error, an upheld one corrects the band,
// the pay-grade move and the bonus, a second answer is refused; the round closes only after
// every objection is answered; the pay-grade list shows the move with its round and the export
// is a workbook. The round's history replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { startAssessmentWorld, json, until, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';
import { assessmentRoundWorkflowId } from '../../../domain/assessment/contracts.ts';
import type { SchemeDefinition } from '../../../domain/assessment/rules.ts';

const DAY = 86_400_000;
let world: AssessmentWorld;
let ids: AssessmentWorld['ids'];

beforeAll(async () => {
  world = await startAssessmentWorld({ communities: ['仙营社区', '运河社区', '洸河社区'] });
  ids = world.ids;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const call: AssessmentWorld['call'] = (...args) => world.call(...args);

export const COMMUNITY_REVIEW: SchemeDefinition = {
  name: '社区年度工作考评', target: { kind: 'unit', unitLevel: 'community' }, cadence: 'yearly',
  sections: [{ key: 'work', name: '年度工作', indicators: [
    { key: 'tasks', name: '重点任务完成', weight: 60, rule: 'checklist', items: ['党建阵地建设', '网格化管理', '为民服务'] },
    { key: 'impression', name: '综合评价', weight: 40, rule: 'manual', max: 10 },
  ] }],
  sources: [{ kind: 'department', weight: 100 }],
  deadlines: { scoringDays: 10, reminderDaysBefore: 0, signOffDays: 3 },
  bands: [{ key: 'a', name: '好', minScore: 85, maxShare: 0.34 }, { key: 'b', name: '较好', minScore: 60 }, { key: 'c', name: '一般', minScore: 0 }],
  signOff: ['org_department'], publicityDays: 5,
  outputs: { payGrade: { a: 1, b: 0, c: -1 }, honourBands: ['a'], bonus: { a: 3000, b: 1500, c: 0 } },
  objections: { answerDays: 2, publicPerHour: 2 },
};

describe('公示 objections of a new scheme through HTTP', () => {
  it('files, answers and applies objections; holds 公示 until answered; lists pay grades with bonuses', async () => {
    const broken = await call('dept', 'POST', '/assessment-schemes', { unitId: ids.district,
      definition: { ...COMMUNITY_REVIEW, objections: { answerDays: 0 }, outputs: { ...COMMUNITY_REVIEW.outputs, bonus: { z: 10 } } } });
    expect(broken.status).toBe(400);
    expect((broken.body as Json).details).toEqual([{ field: 'body.definition.objections.answerDays', rule: 'must be 1–30 days' },
      { field: 'body.definition.outputs.bonus.z', rule: 'names no band' }]);
    const scheme = await json(call('dept', 'POST', '/assessment-schemes', { unitId: ids.district, definition: COMMUNITY_REVIEW }));
    expect((await call('dept', 'POST', `/assessment-schemes/${scheme.id}/versions`)).status).toBe(201);
    const round = await json(call('dept', 'POST', '/assessment-rounds', { schemeId: scheme.id, unitId: ids.street, period: '2026年度', from: '2026-01-01', to: '2026-12-31' }));
    expect(round).toMatchObject({ stage: 'scoring', assessed: 3 });
    const url = `/assessment-rounds/${round.id}`;
    const subjects = Object.fromEntries(((await json(call('dept', 'GET', url))).subjects as Json[]).map((s) => [s.name, s.id]));
    const marks: Record<string, [number[], number]> = { 仙营社区: [[0, 1, 2], 10], 运河社区: [[0, 1, 2], 9], 洸河社区: [[0, 1], 6] };
    // The assessed workflows start just after the round's: the first filing waits for them.
    for (const [name, [ticked, points]] of Object.entries(marks)) {
      const file = () => call('dept', 'POST', `${url}/subjects/${subjects[name]}/scores`, { source: 'department', scores: { tasks: { ticked }, impression: { points } } });
      await until(async () => ({ status: (await file()).status }), (r) => r.status === 200, `scoring ${name}`);
    }
    expect((await call('community', 'POST', `${url}/objections`, { subjectId: subjects['运河社区'], reason: '太早' })).body).toMatchObject({ error: 'wrong_stage' });
    expect((await call('dept', 'POST', `${url}/close-scoring`)).status).toBe(200);
    await until(() => json(call('dept', 'GET', url)), (r) => r.stage === 'sign_off', 'grading');
    expect((await call('dept', 'POST', `${url}/sign-offs`)).status).toBe(200);
    const shown = await until(() => json(call('dept', 'GET', url)), (r) => r.stage === 'publicity' && r.canObject, 'publicity');
    // 仙营 100 and 运河 96 reach 好; the cap keeps one: 运河 is 较好 (capped). Bonuses follow the band.
    expect(shown.subjects.map((s: Json) => `${s.name}:${s.bandName}:${s.bonus}`)).toEqual(['仙营社区:好:3000', '运河社区:较好:1500', '洸河社区:较好:1500']);
    expect(shown).toMatchObject({ canAnswer: true, objections: [] });

    // Staff in the round's unit object from the round page; another district's department finds no round.
    const staff = await call('community', 'POST', `${url}/objections`, { subjectId: subjects['运河社区'], reason: '运河社区台账齐全，应评为好' });
    expect(staff.status).toBe(201);
    expect(staff.body).toMatchObject({ filer: 'staff', status: 'open', subjectName: '运河社区' });
    expect((await call('dept2', 'POST', `${url}/objections`, { subjectId: subjects['运河社区'], reason: '越界' })).status).toBe(404);
    expect((await call('dept2', 'GET', url)).status).toBe(404);
    const bad = await call('community', 'POST', `${url}/objections`, { subjectId: subjects['运河社区'] });
    expect(bad.status).toBe(400);
    expect((bad.body as Json).details).toEqual([{ field: 'body.reason', rule: expect.any(String) }]);

    // Residents through the public page: no account, phone optional, at most 2 an hour from one client.
    const page = await json(call(null, 'GET', `/public/assessment-objections/${round.id}`));
    expect(page).toMatchObject({ schemeName: '社区年度工作考评', open: true, unitName: '柳行街道' });
    expect(page.subjects.map((s: Json) => s.bandName)).toEqual(['好', '较好', '较好']);
    const wrongPhone = await call(null, 'POST', `/public/assessment-objections/${round.id}`, { subjectId: subjects['洸河社区'], reason: '服务差', phone: '123' });
    expect(wrongPhone.status).toBe(400);
    expect((wrongPhone.body as Json).details.map((d: Json) => d.field)).toEqual(['body.phone']);
    const resident = await call(null, 'POST', `/public/assessment-objections/${round.id}`, { subjectId: subjects['洸河社区'], reason: '洸河社区服务差，不应评为较好', phone: '13800138000' });
    expect(resident.status).toBe(201);
    expect((await call(null, 'POST', `/public/assessment-objections/${round.id}`, { subjectId: subjects['仙营社区'], reason: '第二件' })).status).toBe(201);
    const limited = await call(null, 'POST', `/public/assessment-objections/${round.id}`, { subjectId: subjects['仙营社区'], reason: '第三件' });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'rate_limited', details: [] });
    expect((await call(null, 'GET', '/public/assessment-objections/00000000-0000-4000-8000-000000000000')).status).toBe(404);

    const objections = (await json(call('dept', 'GET', url))).objections as Json[];
    expect(objections.map((o) => `${o.filer}:${o.subjectName}:${o.status}`)).toEqual(['staff:运河社区:open', 'resident:洸河社区:open', 'resident:仙营社区:open']);
    // The community sees only what it filed.
    expect(((await json(call('community', 'GET', url))).objections as Json[]).map((o) => o.id)).toEqual([staff.body && (staff.body as Json).id]);
    const answerUrl = (o: Json) => `${url}/objections/${o.id}/answer`;
    expect((await call('street', 'POST', answerUrl(objections[0]!), { decision: 'dismissed', reason: '无' })).status).toBe(403);
    const noCorrection = await call('dept', 'POST', answerUrl(objections[0]!), { decision: 'upheld', reason: '经复核' });
    expect(noCorrection.status).toBe(400);
    expect((noCorrection.body as Json).details).toEqual([{ field: 'body.decision', rule: 'an upheld objection corrects the total, the band or the honour list' }]);
    const upheld = await call('dept', 'POST', answerUrl(objections[0]!), { decision: 'upheld', reason: '经复核，台账齐全，调整为好', correctedBand: 'a' });
    expect(upheld.status).toBe(200);
    expect(upheld.body).toMatchObject({ status: 'upheld', correctedBand: 'a' });
    expect((await call('dept', 'POST', answerUrl(objections[0]!), { decision: 'dismissed', reason: '再答' })).body).toMatchObject({ error: 'wrong_stage' });
    expect((await call('dept', 'POST', answerUrl(objections[1]!), { decision: 'dismissed', reason: '经核实，评分无误' })).status).toBe(200);
    const corrected = (await json(call('dept', 'GET', url))).subjects.find((s: Json) => s.name === '运河社区');
    expect(corrected).toMatchObject({ bandName: '好', corrected: true, bonus: 3000, payGradeAfter: 2 });

    // 公示's 5 days are over with one objection open: the round stays in 公示 until it is answered.
    await world.env.sleep(6 * DAY);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await json(call('dept', 'GET', url))).stage).toBe('publicity');
    const notices = await world.app.orm.em.fork().getConnection().execute("select count(*) n from notification where kind = 'assessment_objection_overdue'");
    expect(Number(notices[0].n)).toBeGreaterThan(0);
    expect((await call('dept', 'POST', answerUrl(objections[2]!), { decision: 'dismissed', reason: '经核实，评分无误' })).status).toBe(200);
    await until(() => json(call('dept', 'GET', url)), (r) => r.stage === 'closed', 'closing');

    const grades = await json(call('dept', 'GET', '/assessment-pay-grades?q=社区'));
    expect(grades.total).toBe(3);
    expect(grades.items.map((g: Json) => `${g.name}:${g.grade}:${g.moves[0].band}:${g.moves[0].bonus}:${g.moves[0].period}`))
      .toEqual(['仙营社区:2:好:3000:2026年度', '运河社区:2:好:3000:2026年度', '洸河社区:1:较好:1500:2026年度']);
    expect(await json(call('dept2', 'GET', '/assessment-pay-grades'))).toEqual({ items: [], total: 0 });
    const xlsx = await call('street', 'GET', '/assessment-pay-grades/export');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(5).getCell(1).value).toBe('仙营社区');
    expect(sheet.getRow(6).getCell(8).value).toBe(3000);
    const audit = await world.app.orm.em.fork().getConnection().execute("select action from audit_entry where action like 'assessment_objection.%' order by seq");
    expect(audit.map((a: Json) => a.action)).toEqual(expect.arrayContaining(['assessment_objection.file', 'assessment_objection.file_public',
      'assessment_objection.accepted', 'assessment_objection.upheld', 'assessment_objection.dismissed']));
    await world.harness.replay(assessmentRoundWorkflowId(round.id));
  }, 240_000);
});
