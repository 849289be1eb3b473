// The papers of a round through HTTP with time skipping (issue 19): the department defines a NEW
// scheme of three grid workers (manual + checklist by themselves and the department, a grid-matter rate
// counted from the department's offline counts, a 群众满意率 with no answers = 无数据), runs it to 公示 through the
// street's and the department's sign-off; the round's workflow prints a 考核评分表 and a 考核结果通知书 per
// assessed, read back as text: the long name, the sources' weights and points, the counts, 无数据, the
// total, band, rank, the pay-grade move, the bonus, 评先树优, 公示's last day. The assessed reads only its own
// papers, the street and the community read those under them, another district gets 404, the clerk's zip holds all six; an
// upheld objection prints the corrected notice again before the round closes. The round's history replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { startAssessmentWorld, json, until, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';
import { readStoredZip } from '../../support/zip.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { assessmentRoundWorkflowId } from '../../../domain/assessment/contracts.ts';
import type { SchemeDefinition } from '../../../domain/assessment/rules.ts';

const DAY = 86_400_000;
const LONG = '欧阳慕容·阿卜杜热合曼·买买提依明';
let world: AssessmentWorld;

const SCHEME: SchemeDefinition = {
  name: '网格员履职考评', target: { kind: 'role', role: 'community_committee', unitLevel: 'grid' }, cadence: 'half_yearly',
  sections: [
    { key: 'duty', name: '履职尽责', indicators: [
      { key: 'patrol', name: '网格巡查', weight: 40, rule: 'manual', max: 20 },
      { key: 'ledger', name: '民情台账', weight: 20, rule: 'checklist', items: ['户籍台账', '走访记录', '矛盾排查'] },
    ] },
    { key: 'matters', name: '事项办理', indicators: [
      { key: 'closed', name: '事项按时办结率', weight: 20, rule: 'rate', rateSource: 'grid_matters_closed_in_time', offline: true },
      { key: 'satisfied', name: '群众满意率', weight: 20, rule: 'rate', rateSource: 'party_org_satisfaction' },
    ] },
  ],
  sources: [{ kind: 'self', weight: 20 }, { kind: 'department', weight: 80 }],
  deadlines: { scoringDays: 10, reminderDaysBefore: 0, signOffDays: 3 },
  bands: [{ key: 'excellent', name: '优秀', minScore: 90, maxShare: 0.34 }, { key: 'good', name: '良好', minScore: 70 }, { key: 'pass', name: '合格', minScore: 0 }],
  signOff: ['street_committee', 'org_department'], publicityDays: 5,
  outputs: { payGrade: { excellent: 1, good: 0, pass: -1 }, honourBands: ['excellent'], bonus: { excellent: 3000, good: 2000, pass: 0 },
    papers: ['score_sheet', 'result_notice'] },
  objections: { answerDays: 2 },
};

// The world's 运河社区 under 柳行街道 with three grids and their workers w1…w3 (w1 with a long name).
beforeAll(async () => {
  world = await startAssessmentWorld({ communities: ['运河社区'], grids: 3, publicBaseUrl: 'https://dj.example.cn' });
  await world.app.orm.em.fork().getConnection().execute('update account set display_name = ? where login = ?', [LONG, 'w1']);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => world.call(login, method, url, payload);
const pdf = async (login: string, url: string) => {
  const answer = await call(login, 'GET', url);
  expect(answer.status).toBe(200);
  return answer.body as Buffer;
};

describe('score sheets and result notices of a round', () => {
  it('prints, serves and bundles each assessed one\'s papers to those who may read them', async () => {
    const scheme = await json(call('dept', 'POST', '/assessment-schemes', { unitId: world.ids.district, definition: SCHEME }));
    expect((await call('dept', 'POST', `/assessment-schemes/${scheme.id}/versions`)).status).toBe(201);
    const round = await json(call('dept', 'POST', '/assessment-rounds', { schemeId: scheme.id, unitId: world.ids.street, period: '2026年上半年',
      from: '2026-01-01', to: '2026-06-30' }));
    expect(round).toMatchObject({ stage: 'scoring', assessed: 3 });
    const url = `/assessment-rounds/${round.id}`;
    const subjects = Object.fromEntries(((await json(call('dept', 'GET', url))).subjects as Json[]).map((s) => [s.name, s.id]));
    const [s1, s2, s3] = [subjects[LONG], subjects.w2, subjects.w3];
    const file = (login: string, subject: string, source: string, points: number, ticked: number[]) => async () =>
      ({ status: (await call(login, 'POST', `${url}/subjects/${subject}/scores`, { source, scores: { patrol: { points }, ledger: { ticked } } })).status });
    await until(file('w1', s1, 'self', 20, [0, 1, 2]), (r) => r.status === 200, 'self filing');
    for (const [subject, points, ticked] of [[s1, 18, [0, 1]], [s2, 20, [0, 1, 2]], [s3, 10, [0]]] as const) {
      await until(file('dept', subject, 'department', points, [...ticked]), (r) => r.status === 200, 'department filing');
    }
    // The grid matters' rate from paper ledgers (线下): no records in the system, the department's counts only.
    for (const [subject, numerator] of [[s1, 27], [s2, 30], [s3, 15]] as const) {
      expect((await call('dept', 'PUT', `${url}/subjects/${subject}/offline-counts`,
        { indicator: 'closed', numerator, denominator: 30, note: '纸质台账' })).status).toBe(200);
    }
    // Nothing printed before the chain has signed.
    expect((await call('dept', 'GET', `${url}/subjects/${s1}/score-sheet.pdf`)).status).toBe(404);
    expect((await call('dept', 'POST', `${url}/close-scoring`)).status).toBe(200);
    await until(() => json(call('dept', 'GET', url)), (r) => r.stage === 'sign_off', 'grading');
    expect((await call('street', 'POST', `${url}/sign-offs`)).status).toBe(200);
    expect((await call('dept', 'POST', `${url}/sign-offs`)).status).toBe(200);
    const shown = await until(() => json(call('dept', 'GET', url)), (r) => r.stage === 'publicity'
      && r.subjects.every((s: Json) => s.papers.scoreSheet && s.papers.resultNotice), 'the papers', 120_000);
    expect(shown.subjects.map((s: Json) => `${s.name}:${s.total}:${s.bandName}`)).toEqual(['w2:100:优秀', `${LONG}:86.83:良好`, 'w3:45.83:合格']);

    // 考核评分表 of w1: self 20 / department 80; patrol 40 → self 40.00, department 36.00; 群众满意率 无数据, the others rescaled by 100/80:
    // patrol 36.8 → 46.00, ledger 14.67 → 18.33, closed 27/30 of 20 = 18 → 22.50; 86.83 in all.
    const sheet = await pdfText(await pdf('dept', `${url}/subjects/${s1}/score-sheet.pdf`));
    for (const text of ['2026年上半年网格员履职考评评分表', LONG, '运河社区第1网格', '本人自评（权重20%，1份）', '组织部门（权重80%，1份）', '网格巡查', '40.00', '36.00',
      '折50.00', '46.00', '18.33', '22.50', '按记录计算：27/30（90.0%），含线下27/30', '无数据', '“群众满意率”无数据未计入', '86.83', '等次：良好', '在3名被考核对象中排第2名',
      '街道党工委', '系统签批：street', '系统签批：dept']) expect(sheet).toContain(text);
    // 考核结果通知书 of w1 and of w2 (the top one: a grade up, the bonus, 评先树优).
    const notice = await pdfText(await pdf('dept', `${url}/subjects/${s1}/result-notice.pdf`));
    for (const text of ['2026年上半年网格员履职考评结果通知书', `${LONG}：`, '86.83分', '良好', '第2名（共3名）', '保持1级不变', '2,000元', '未列入评先树优名单',
      '考核结果公示5天', '/public/assessment-objections/']) expect(notice).toContain(text);
    expect(notice).toMatch(/至\d{4}年\d{1,2}月\d{1,2}日止/);
    const top = await pdfText(await pdf('w2', `${url}/subjects/${s2}/result-notice.pdf`));
    for (const text of ['100.00分', '优秀', '第1名（共3名）', '由1级调整为2级', '3,000元', '列入评先树优名单']) expect(top).toContain(text);

    // Who reads what: the assessed its own only, the street and the community those under them, another district nothing.
    expect((await call('w2', 'GET', `${url}/subjects/${s1}/result-notice.pdf`)).status).toBe(404);
    expect((await call('w2', 'GET', `${url}/subjects/${s1}/score-sheet.pdf`)).status).toBe(404);
    expect((await call('w2', 'GET', `${url}/subjects/${s2}/score-sheet.pdf`)).status).toBe(200);
    const mine = await json(call('w2', 'GET', url));
    expect(mine.subjects.filter((s: Json) => s.papers.resultNotice).map((s: Json) => s.name)).toEqual(['w2']);
    expect((await call('street', 'GET', `${url}/subjects/${s3}/result-notice.pdf`)).status).toBe(200);
    expect((await call('community', 'GET', `${url}/subjects/${s3}/score-sheet.pdf`)).status).toBe(200);
    expect((await call('dept2', 'GET', `${url}/subjects/${s1}/result-notice.pdf`)).status).toBe(404);
    expect((await call('dept2', 'GET', `${url}/papers.zip`)).status).toBe(404);
    expect((await call('street', 'GET', `${url}/papers.zip`)).status).toBe(403);

    // The clerk's zip: all six papers by rank, each the very PDF served alone.
    const zipped = await call('dept', 'GET', `${url}/papers.zip`);
    expect(zipped.status).toBe(200);
    expect(String(zipped.headers['content-disposition'])).toContain(encodeURIComponent('考核文书.zip'));
    const entries = readStoredZip(zipped.body as Buffer);
    expect(entries.map((e) => e.name)).toEqual(['考核评分表/001-w2-考核评分表.pdf', '考核结果通知书/001-w2-考核结果通知书.pdf',
      `考核评分表/002-${LONG}-考核评分表.pdf`, `考核结果通知书/002-${LONG}-考核结果通知书.pdf`, '考核评分表/003-w3-考核评分表.pdf', '考核结果通知书/003-w3-考核结果通知书.pdf']);
    const served = await call('dept', 'GET', `${url}/subjects/${s3}/result-notice.pdf`);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(entries[5]!.data)).toBe(served.headers['x-sha256']);

    // An upheld objection corrects w3 to 良好: its notice is printed again (the corrected result) before the round closes.
    const objection = await call('w3', 'POST', `${url}/objections`, { subjectId: s3, reason: '台账齐全，应为良好' });
    expect(objection.status).toBe(201);
    expect((await call('dept', 'POST', `${url}/objections/${(objection.body as Json).id}/answer`,
      { decision: 'upheld', reason: '经复核，调整为良好', correctedBand: 'good' })).status).toBe(200);
    await world.env.sleep(5 * DAY + 60_000);
    await until(() => json(call('dept', 'GET', url)), (r) => r.stage === 'closed', 'closing', 120_000);
    const again = await call('dept', 'GET', `${url}/subjects/${s3}/result-notice.pdf`);
    expect(again.headers['x-sha256']).not.toBe(served.headers['x-sha256']);
    const corrected = await pdfText(again.body as Buffer);
    for (const text of ['良好（经公示异议复核，结果已更正。）', '2,000元']) expect(corrected).toContain(text);
    await world.harness.replay(assessmentRoundWorkflowId(round.id));
  }, 300_000);
});
