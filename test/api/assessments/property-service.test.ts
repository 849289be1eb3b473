// The rates lane's routes through HTTP with time skipping (issue 19). 红色物业: the community rates two property
// companies, the street's first review refuses a return without a reason (400 naming body.reason), another
// street cannot review (403) and lists none of ours, the street returns one rating with a reason and confirms
// after the community files again; after closing the department downloads the report's PDF and Excel and
// records it as sent (once; before closing it is refused). 四率评价: the department's offline counts refuse a bad
// body naming the field, another district's department gets 404; a community with no records shows 无数据.
// 小区自治: a grid outside the caller's area is refused, another street lists nothing of ours, a bad body is 400.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantWithToken } from '../../support/cycle-harness.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { startAssessmentWorld, json, until, type AssessmentWorld, type Json } from '../../support/assessment-world.ts';

const DAY = 86_400_000;
let world: AssessmentWorld;
let ids: AssessmentWorld['ids'];

beforeAll(async () => {
  world = await startAssessmentWorld({ communities: ['仙营社区', '琵琶山社区'], grids: 1, street2Grid: true });
  ids = world.ids;
  // An admin who also keeps compounds as the other district's department (the console's route needs a staff role).
  const em = world.app.orm.em.fork() as EntityManager;
  const admin = grantWithToken(em, world.tokens, 'admin', 'admin', {});
  em.create(RoleAssignment, { account: admin, role: 'org_department', unit: em.getReference(AdministrativeUnit, ids.district2!), organization: null });
  await em.flush();
  for (const name of ['鲁商物业', '安居物业']) {
    await em.getConnection().execute(`insert into organization (id, name, kind, unit_id, responsible_people, created_at, updated_at)
      values (?, ?, 'property_service', ?, '[]', now(), now())`, [randomUUID(), name, ids.community]);
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const call: AssessmentWorld['call'] = (...args) => world.call(...args);
async function startShipped(name: string) {
  const schemes = await json(call('dept', 'GET', '/assessment-schemes'));
  const shipped = schemes.items.find((s: Json) => s.isDefault && s.draft.name === name);
  expect(shipped).toBeDefined();
  const body = { schemeId: shipped.id, unitId: ids.district, period: '2026年度', from: '2026-01-01', to: '2026-12-31' };
  const started = await call('dept', 'POST', '/assessment-rounds', body);
  expect(started.status).toBe(201);
  return started.body as Json;
}
const rating = (quality: number) => ({ source: 'supervisor',
  scores: { party_building: { ticked: [0, 1, 2, 3] }, service_quality: { points: quality }, disputes: { points: 18 } } });
/** Calls until the answer is not 409: a round refuses filings and closing until every assessed's workflow has started. */
const settled = (login: string, method: string, url: string, payload?: unknown) =>
  until(async () => { const a = await call(login, method, url, payload); return { status: a.status, body: a.body }; }, (a) => a.status !== 409, url);

describe('the rates lane\'s routes', () => {
  it('红色物业: the street\'s first review, then the report to the regulator after closing', async () => {
    const round = await startShipped('“红色物业”服务评价');
    expect(round.subjects.map((s: Json) => s.name).sort()).toEqual(['安居物业', '鲁商物业']);
    const mine = await json(call('community', 'GET', `/assessment-rounds/${round.id}`));
    const [p1, p2] = mine.subjects as Json[];
    expect(p1!.mySources).toEqual(['supervisor']);
    for (const [s, q] of [[p1!, 38], [p2!, 40]] as const) {
      const filed = await settled('community', 'POST', `/assessment-rounds/${round.id}/subjects/${s.id}/scores`, rating(q));
      expect([filed.status, filed.body]).toEqual([200, expect.anything()]);
    }

    const pending = await json(call('street', 'GET', `/assessment-rounds/${round.id}/first-review`));
    expect(pending).toMatchObject({ role: 'street_committee', source: 'supervisor', canReview: true });
    expect(pending.items.map((i: Json) => `${i.subjectName}:${i.filer}:${i.status}`).sort()).toEqual(['安居物业:community:pending', '鲁商物业:community:pending']);
    const filer = pending.items[0].filerAccountId;
    const reviewUrl = (s: Json) => `/assessment-rounds/${round.id}/subjects/${s.id}/first-review`;
    const noReason = await call('street', 'POST', reviewUrl(p2!), { filerAccountId: filer, decision: 'return', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect((noReason.body as Json).details).toEqual([{ field: 'body.reason', rule: 'is required to return a rating' }]);
    const badBody = await call('street', 'POST', reviewUrl(p2!), { filerAccountId: filer, decision: 'maybe' });
    expect(badBody.status).toBe(400);
    expect((badBody.body as Json).details.map((d: Json) => d.field)).toContain('body.decision');
    expect((await call('street2', 'POST', reviewUrl(p2!), { filerAccountId: filer, decision: 'confirm' })).status).toBe(403);
    expect(await json(call('street2', 'GET', `/assessment-rounds/${round.id}/first-review`))).toMatchObject({ items: [] });
    expect((await call('community', 'POST', reviewUrl(p2!), { filerAccountId: filer, decision: 'confirm' })).status).toBe(403);

    const reason = '服务质量评分偏高，请核实投诉台账';
    expect(await json(call('street', 'POST', reviewUrl(p2!), { filerAccountId: filer, decision: 'return', reason })))
      .toEqual({ subjectId: p2!.id, filer, status: 'returned' });
    expect((await call('community', 'POST', `/assessment-rounds/${round.id}/subjects/${p2!.id}/scores`, rating(30))).status).toBe(200);
    for (const s of [p1!, p2!]) {
      expect((await json(call('street', 'POST', reviewUrl(s), { filerAccountId: filer, decision: 'confirm' }))).status).toBe('confirmed');
    }
    const reviewed = await json(call('street', 'GET', `/assessment-rounds/${round.id}/first-review`));
    expect(reviewed.items.every((i: Json) => i.status === 'confirmed' && i.reviewedAt)).toBe(true);

    // The report to the regulator: only the department, only once the round has closed, recorded as sent once.
    const before = await json(call('dept', 'GET', `/assessment-rounds/${round.id}/report-to`));
    expect(before).toMatchObject({ addressee: '区住房和城乡建设局（物业监管）', ready: false, sentAt: null });
    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/report-to/sent`, {})).body).toMatchObject({ error: 'report_not_ready' });
    expect((await call('dept2', 'GET', `/assessment-rounds/${round.id}/report-to`)).status).toBe(404);
    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/report-to/sent`, { note: 'x'.repeat(301) })).body)
      .toMatchObject({ details: [{ field: 'body.note' }] });

    expect((await settled('dept', 'POST', `/assessment-rounds/${round.id}/close-scoring`)).status).toBe(200);
    await until(() => json(call('dept', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.stage === 'sign_off', 'grading');
    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/sign-offs`)).status).toBe(200);
    await until(() => json(call('dept', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.stage === 'publicity', 'publicity');
    await world.env.sleep(6 * DAY);
    const ready = await until(() => json(call('dept', 'GET', `/assessment-rounds/${round.id}/report-to`)), (r) => r.ready, 'the report PDF', 90_000);
    expect(ready.stage).toBe('closed');
    const pdf = await call('dept', 'GET', `/assessment-rounds/${round.id}/report-to.pdf`);
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await call('dept', 'GET', `/assessment-rounds/${round.id}/report-to.xlsx`);
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await call('street', 'GET', `/assessment-rounds/${round.id}/report-to.pdf`)).status).toBe(403);
    const sent = await json(call('dept', 'POST', `/assessment-rounds/${round.id}/report-to/sent`, { note: '高新党建〔2026〕12号，线上报送' }));
    expect(sent).toMatchObject({ sentBy: 'dept', note: '高新党建〔2026〕12号，线上报送' });
    expect(sent.sentAt).toEqual(expect.any(String));
    expect((await call('dept', 'POST', `/assessment-rounds/${round.id}/report-to/sent`, {})).body).toMatchObject({ error: 'already_sent' });
  }, 300_000);

  it('四率评价: offline counts with field errors, 无数据 for a community without records; 小区自治 records by area', async () => {
    // 小区自治 first: the street records its grid; another street lists none of ours and cannot record it.
    const compound = { partyOrg: true, ownersCommittee: false, selfGoverningGroup: true, note: '2026年成立自管小组' };
    expect((await call('street2', 'PUT', `/compound-governance/${ids.grid}`, compound)).status).toBe(404);
    const badCompound = await call('street', 'PUT', `/compound-governance/${ids.grid}`, { ...compound, partyOrg: 'yes' });
    expect(badCompound.status).toBe(400);
    expect((badCompound.body as Json).details.map((d: Json) => d.field)).toContain('body.partyOrg');
    expect(await json(call('street', 'PUT', `/compound-governance/${ids.grid}`, compound)))
      .toMatchObject({ name: '仙营社区第1网格', recorded: true, recordedBy: 'street' });
    expect((await json(call('street2', 'GET', '/compound-governance'))).items.map((i: Json) => i.name)).toEqual(['洸河社区第1网格']);
    expect(await json(call('street', 'GET', '/compound-governance')))
      .toMatchObject({ items: [{ name: '仙营社区第1网格', partyOrg: true }], recorded: 1, selfGoverned: 1 });
    expect((await call('dept2', 'GET', `/compound-governance?unitId=${ids.grid}`)).status).toBeGreaterThanOrEqual(403);
    // An admin lists every compound (it listed none: its scope was the path '/', and unit paths do not start with '/').
    expect((await json(call('admin', 'GET', '/compound-governance'))).items.map((i: Json) => i.name).sort()).toEqual(['仙营社区第1网格', '洸河社区第1网格']);

    const round = await startShipped('社区党组织“四率评价”');
    const counts = await json(call('dept', 'GET', `/assessment-rounds/${round.id}/offline-counts`));
    expect(counts.editable).toBe(true);
    expect(counts.indicators.map((i: Json) => i.key)).toEqual(['satisfaction', 'participation', 'self_governance', 'owner_support']);
    const c1 = counts.subjects.find((s: Json) => s.name === '仙营社区');
    const url = `/assessment-rounds/${round.id}/subjects/${c1.id}/offline-counts`;
    const over = await call('dept', 'PUT', url, { indicator: 'satisfaction', numerator: 9, denominator: 5, note: '' });
    expect(over.status).toBe(400);
    expect((over.body as Json).details).toEqual([
      { field: 'body.numerator', rule: 'must not exceed the denominator' }, { field: 'body.note', rule: 'is required: say where the counts come from' }]);
    const wrongType = await call('dept', 'PUT', url, { indicator: 'satisfaction', numerator: 'nine', denominator: 10, note: '纸质测评' });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body as Json).details.map((d: Json) => d.field)).toContain('body.numerator');
    expect((await call('dept2', 'GET', `/assessment-rounds/${round.id}/offline-counts`)).status).toBe(404);
    const paper = { indicator: 'satisfaction', numerator: 9, denominator: 10, note: '纸质测评' };
    expect((await call('dept2', 'PUT', url, paper)).status).toBe(404);
    expect((await call('street', 'PUT', url, paper)).status).toBe(403);
    const saved = await json(call('dept', 'PUT', url, { indicator: 'satisfaction', numerator: 9, denominator: 10, note: '6月居民代表会议纸质测评' }));
    expect(saved.subjects.find((s: Json) => s.id === c1.id).counts)
      .toMatchObject([{ indicator: 'satisfaction', numerator: 9, denominator: 10, enteredBy: 'dept' }]);

    expect((await settled('dept', 'POST', `/assessment-rounds/${round.id}/close-scoring`)).status).toBe(200);
    const graded = await until(() => json(call('dept', 'GET', `/assessment-rounds/${round.id}`)), (r) => r.stage === 'sign_off', 'grading');
    const byName = Object.fromEntries(graded.subjects.map((s: Json) => [s.name, s]));
    expect(byName['仙营社区'].rates.party_org_satisfaction).toMatchObject({ n: 9, of: 10, offline: { n: 9, of: 10 } });
    expect(byName['仙营社区'].noData).not.toContain('satisfaction');
    expect(byName['琵琶山社区'].noData).toContain('satisfaction');
    expect(byName['琵琶山社区'].total).toBe(0);
    expect((await call('dept', 'PUT', url, { ...paper, note: '补录' })).body).toMatchObject({ error: 'wrong_stage' });
  }, 300_000);
});
