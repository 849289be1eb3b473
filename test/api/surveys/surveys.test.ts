// Survey integrity through HTTP (issue 19 item 4): a street sets a staff survey's questions and
// asks for one-time codes; an answer without a code, with a made-up one, or with a spent one is
// refused naming body.code; one code racing in parallel answers once; a roster's codes go out by
// SMS (a local fake) and answer; the response rate and 知晓率 add up; the questions freeze once
// answered; the posting residents' survey keeps its old one-field answers; other districts see nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { bearer, buildWorld, type World } from '../../support/fixtures.ts';
import { startFakeHttp } from '../../support/fake-delivery.ts';
import { AccessLink } from '../../../domain/entities/access-link.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CommitmentFeedback, CommitmentSet } from '../../../domain/entities/commitment.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { PostingCohort } from '../../../domain/entities/posting-cohort.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { DEFAULT_COHORT_SETTINGS } from '../../../domain/posting/rules.ts';
import { clockOf } from '../../../domain/clock.ts';
import { deliverNow } from '../../../domain/notifications/delivery.ts';
import { RECENT_AWARENESS_SQL } from '../../../api/services/dual-commitments/public.ts';

let app: TestApp;
let world: World;
let fake: Awaited<ReturnType<typeof startFakeHttp>>;
const ids: Record<string, string> = {};
const STAFF = 'pcl_staff-survey-token-0001';
const NOTICE = 'pcl_public-notice-token-0001';
const RESIDENTS = 'pcl_residents-survey-token-01';

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  fake = await startFakeHttp();
  const em = app.orm.em.fork() as EntityManager;
  const cycle = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: '双向承诺', scope: { unitIds: [world.district.id] }, settings: {}, status: 'running' } as never);
  const set = em.create(CommitmentSet, {
    cycle, organization: world.orgA, year: 2026, workflowId: `dual-commitment/${world.orgA.id}/2026`, gate: 'evaluate', status: 'approved', latestVersion: 1,
    selfEvaluations: {}, gateEnteredAt: new Date(), startedAt: new Date(),
  } as never);
  const dispatcher = em.create(Organization, { name: '区财政局', kind: 'resident_unit', unit: world.district, creditCode: null, partyOrgName: '区财政局党组', responsiblePeople: [], address: null });
  const person = em.create(Person, { name: '赵书记', phone: null, title: null, unit: world.communityA, organization: null });
  const cohort = em.create(PostingCohort, { name: '第一书记', region: world.district, startsOn: '2026-01-01', settings: DEFAULT_COHORT_SETTINGS } as never);
  const posting = em.create(Posting, { person, community: world.communityA, dispatchingOrganization: dispatcher, cohort, startsOn: '2026-01-01', endsOn: '2027-12-31', phase: 'serving' } as never);
  const link = (token: string, purpose: string, subjectType: string, subjectId: string) => em.create(AccessLink, {
    tokenHash: hashSecret(token), purpose, subjectType, subjectId, expiresAt: new Date(Date.now() + 30 * 86_400_000), createdBy: world.accounts.streetA,
  } as never);
  link(STAFF, 'staff_survey', 'commitment_set', set.id);
  link(NOTICE, 'public_commitments', 'commitment_set', set.id);
  link(RESIDENTS, 'posting_resident_survey', 'posting', posting.id);
  await em.flush();
  Object.assign(ids, { set: set.id, posting: posting.id });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

const call = async (token: string | null, method: string, url: string, payload?: unknown) => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: token ? bearer(world.tokens[token]!) : {} });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
};
const surveyRows = async () => (await (app.orm.em.fork() as EntityManager).execute<{ n: number }[]>(
  'select count(*)::int as n from survey where subject_id = ?', [ids.set]))[0]!.n;
const fieldsOf = (body: Record<string, any>) => (body.details as { field: string }[] | undefined)?.map((d) => d.field);

const questions = [
  { key: 'rating', text: '总体评价', kind: 'rating', required: true },
  { key: 'wages', text: '工资是否按时足额发放', kind: 'yes_no', required: true },
  { key: 'channel', text: '您从哪里知道承诺', kind: 'choice', required: false, options: ['公示栏', '微信群'] },
  { key: 'comment', text: '意见建议', kind: 'text', required: false },
];

describe('a staff survey answered with one-time codes', () => {
  it('is set up by the street over the organization and nobody else', async () => {
    const first = await call('streetA', 'GET', `/surveys/staff_survey/${ids.set}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mode: 'open', subject: expect.stringContaining('甲科技有限公司'), results: { responses: 0, responseRate: null } });
    expect(first.body.questionnaire.questions.map((q: { key: string }) => q.key)).toEqual(['rating', 'comment']);
    expect((await call('streetB', 'GET', `/surveys/staff_survey/${ids.set}`)).status).toBe(404);
    expect((await call('enterpriseA', 'GET', `/surveys/staff_survey/${ids.set}`)).status).toBe(403);
    expect((await call('streetB', 'POST', `/surveys/staff_survey/${ids.set}/codes`, { count: 5 })).status).toBe(404);
    // Reading writes nothing: the GETs answer the defaults, and the row is made by the first write.
    expect([first.body.id, first.body.updatedAt]).toEqual([null, null]);
    expect((await call('streetA', 'GET', `/surveys/staff_survey/${ids.set}/codes`)).body.items).toEqual([]);
    expect((await call(null, 'GET', `/public/commitment-surveys/${STAFF}`)).body.survey.mode).toBe('open');
    expect(await surveyRows()).toBe(0);

    const bad = await call('streetA', 'PUT', `/surveys/staff_survey/${ids.set}`, {
      mode: 'codes', audience: null, questionnaire: { questions: [{ ...questions[0], kind: 'score' }, { ...questions[2], options: ['只有一个'] }] },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['body.questionnaire.questions.1.options', 'body.questionnaire.questions']);
    const saved = await call('streetA', 'PUT', `/surveys/staff_survey/${ids.set}`, { mode: 'codes', audience: null, questionnaire: { questions } });
    expect(saved.status).toBe(200);
    expect(saved.body.questionnaire.questions).toHaveLength(4);
    expect([await surveyRows(), saved.body.id]).toEqual([1, expect.any(String)]);
    // The public page now shows the four questions and asks for a code.
    const page = await call(null, 'GET', `/public/commitment-surveys/${STAFF}`);
    expect(page.body.survey).toMatchObject({ mode: 'codes', questions: expect.arrayContaining([expect.objectContaining({ key: 'wages', kind: 'yes_no' })]) });
  });

  it('takes one answer per code, refusing missing, unknown and spent codes by field', async () => {
    const issued = await call('streetA', 'POST', `/surveys/staff_survey/${ids.set}/codes`, { count: 3 });
    expect(issued.status).toBe(201);
    const codes: string[] = issued.body.codes.map((c: { code: string }) => c.code);
    expect(codes).toHaveLength(3);
    expect(codes[0]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const answer = (payload: unknown) => call(null, 'POST', `/public/commitment-surveys/${STAFF}`, payload);

    const noCode = await answer({ answers: { rating: 5, wages: true } });
    expect([noCode.status, fieldsOf(noCode.body)]).toEqual([400, ['body.code']]);
    const madeUp = await answer({ answers: { rating: 5, wages: true }, code: 'ABCD-EFGH' });
    expect([madeUp.status, fieldsOf(madeUp.body)]).toEqual([400, ['body.code']]);
    // A wrong answer names the question and does not spend the code.
    const missing = await answer({ answers: { rating: 5 }, code: codes[0] });
    expect([missing.status, fieldsOf(missing.body)]).toEqual([400, ['body.answers.wages']]);
    const ok = await answer({ answers: { rating: 5, wages: true, channel: '公示栏', comment: '很好' }, code: codes[0]!.toLowerCase().replace('-', ' ') });
    expect(ok.status).toBe(201);
    const again = await answer({ answers: { rating: 1, wages: false }, code: codes[0] });
    expect([again.status, again.body.error, fieldsOf(again.body)]).toEqual([409, 'code_used', ['body.code']]);

    // Five answers racing with one code: one is taken.
    const race = await Promise.all(Array.from({ length: 5 }, () => answer({ answers: { rating: 3, wages: false }, code: codes[1] })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);

    // The cycle's own tally (the evaluation's satisfaction) got the two ratings.
    const em = app.orm.em.fork();
    const ratings = await em.find(CommitmentFeedback, { set: ids.set, kind: 'satisfaction' }, { orderBy: { rating: 'desc' } });
    expect(ratings.map((r) => [r.rating, r.body])).toEqual([[5, '很好'], [3, null]]);

    const results = (await call('streetA', 'GET', `/surveys/staff_survey/${ids.set}`)).body.results;
    expect(results).toMatchObject({ responses: 2, codes: { issued: 3, used: 2, sent: 0 }, audience: 3, responseRate: 66.7 });
    expect(results.questions[0]).toMatchObject({ key: 'rating', answered: 2, mean: 4 });
    expect(results.questions[1]).toMatchObject({ key: 'wages', counts: { 是: 1, 否: 1 } });
    const listed = (await call('streetA', 'GET', `/surveys/staff_survey/${ids.set}/codes`)).body.items;
    expect(listed.map((c: { serial: number; usedAt: string | null }) => [c.serial, c.usedAt !== null])).toEqual([[1, true], [2, true], [3, false]]);
    expect(JSON.stringify(listed)).not.toContain(codes[2]!.replace('-', ''));
  });

  it('freezes the questions once answered, but lets the mode change', async () => {
    const changed = await call('streetA', 'PUT', `/surveys/staff_survey/${ids.set}`, { mode: 'codes', audience: null, questionnaire: { questions: questions.slice(0, 2) } });
    expect([changed.status, changed.body.error, fieldsOf(changed.body)]).toEqual([409, 'survey_answered', ['body.questionnaire']]);
    const open = await call('streetA', 'PUT', `/surveys/staff_survey/${ids.set}`, { mode: 'open', audience: 40, questionnaire: { questions } });
    expect([open.status, open.body.mode, open.body.results.audience]).toEqual([200, 'open', 40]);
    const audit = await (app.orm.em.fork() as EntityManager).execute<{ n: number }[]>(`select count(*)::int as n from audit_entry where action in ('survey.settings', 'survey.codes_issue')`);
    expect(audit[0]!.n).toBe(3);
  });

  it('sends a roster\'s codes by SMS through the department\'s channel, one per number', async () => {
    const sms = await call('orgDept', 'PUT', '/notification-channels/sms', {
      enabled: true,
      settings: { endpoint: `127.0.0.1:${fake.port}`, protocol: 'http', accessKeyId: 'LTAI-test', signName: '党建', templateCode: 'SMS_100' },
      secrets: { accessKeySecret: 'sms-secret' },
    });
    expect(sms.status).toBe(200);
    const badRoster = await call('streetA', 'POST', `/surveys/staff_survey/${ids.set}/codes`, { roster: [{ name: '王五', phone: '1380000' }, { name: '', phone: '13800000009' }] });
    expect(fieldsOf(badRoster.body)).toEqual(['body.roster.0.phone', 'body.roster.1.name']);
    const roster = await call('streetA', 'POST', `/surveys/staff_survey/${ids.set}/codes`, {
      roster: [{ name: '王五', phone: '13800000011' }, { name: '赵六', phone: '13800000012' }], send: true,
    });
    expect(roster.status).toBe(201);
    // The request answers before anything is sent: the messages wait in the notice outbox.
    const summary = (c: { serial: number; phone: string; sent: boolean; queued: boolean }) => [c.serial, c.phone, c.sent, c.queued];
    expect(roster.body.codes.map(summary)).toEqual([[4, '138****0011', false, true], [5, '138****0012', false, true]]);
    const toRoster = () => fake.requests.filter((r) => ['13800000011', '13800000012'].includes(r.url.searchParams.get('PhoneNumbers') ?? ''));
    expect(toRoster()).toHaveLength(0);
    // The dispatcher sends them; a failed send is retried after its back-off, and nothing goes twice.
    const em = app.orm.em.fork() as EntityManager;
    const now = clockOf(em).now().getTime();
    fake.state.failNext = 1;
    expect(await deliverNow(em, new Date(now))).toEqual({ sent: 1, failed: 0, retrying: 1 });
    expect(await deliverNow(em, new Date(now + 30_000))).toEqual({ sent: 0, failed: 0, retrying: 0 });
    expect(await deliverNow(em, new Date(now + 61_000))).toEqual({ sent: 1, failed: 0, retrying: 0 });
    expect(await deliverNow(em, new Date(now + 3_600_000))).toEqual({ sent: 0, failed: 0, retrying: 0 });
    expect(toRoster()).toHaveLength(3);
    const listed = (await call('streetA', 'GET', `/surveys/staff_survey/${ids.set}/codes`)).body.items.slice(-2);
    expect(listed.map((c: { queued: boolean; sentAt: string | null }) => [c.queued, c.sentAt !== null])).toEqual([[false, true], [false, true]]);
    // Each number got one message (the one the service accepted), carrying its own code.
    const sent = fake.requests.filter((r) => r.url.searchParams.get('PhoneNumbers') === '13800000012');
    const code = /测评码([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(JSON.parse(sent.at(-1)!.url.searchParams.get('TemplateParam')!).title)![1]!;
    expect(code).toBe(roster.body.codes[1].code);
    expect(new Set(toRoster().map((r) => r.url.searchParams.get('TemplateParam'))).size).toBe(2);
    // The code that went by SMS answers (the roster switched the survey to codes), once.
    expect((await call(null, 'GET', `/public/commitment-surveys/${STAFF}`)).body.survey.mode).toBe('codes');
    expect((await call(null, 'POST', `/public/commitment-surveys/${STAFF}`, { answers: { rating: 4, wages: true }, code })).status).toBe(201);
    const twice = await call('streetA', 'POST', `/surveys/staff_survey/${ids.set}/codes`, { roster: [{ name: '赵六', phone: '13800000012' }] });
    expect([twice.status, fieldsOf(twice.body)]).toEqual([409, ['body.roster.0.phone']]);
  });
});

describe('the other public ratings', () => {
  it('keeps the residents\' one-field answer working and counts it in the survey', async () => {
    const page = await call(null, 'GET', `/public/posting-surveys/${RESIDENTS}`);
    expect(page.body.survey).toMatchObject({ mode: 'open', questions: [expect.objectContaining({ key: 'score', kind: 'score' }), expect.objectContaining({ key: 'comment' })] });
    expect((await call(null, 'POST', `/public/posting-surveys/${RESIDENTS}`, { score: 88, comment: '常来走访' })).status).toBe(201);
    const wrong = await call(null, 'POST', `/public/posting-surveys/${RESIDENTS}`, { answers: { score: 88, visits: 3 } });
    expect([wrong.status, fieldsOf(wrong.body)]).toEqual([400, ['body.answers.visits']]);
    const survey = await call('communityA', 'GET', `/surveys/posting_resident_survey/${ids.posting}`);
    expect(survey.body.results).toMatchObject({ responses: 1, questions: [expect.objectContaining({ mean: 88 }), expect.objectContaining({ answered: 1 })] });
    expect((await call('streetB', 'GET', `/surveys/posting_resident_survey/${ids.posting}`)).status).toBe(404);
  });

  it('measures 知晓率 from the commitment notice', async () => {
    for (const aware of [true, true, false]) expect((await call(null, 'POST', `/public/commitments/${NOTICE}/awareness`, { answers: { aware } })).status).toBe(201);
    const bad = await call(null, 'POST', `/public/commitments/${NOTICE}/awareness`, { answers: { aware: '知道' } });
    expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['body.answers.aware']]);
    const survey = await call('orgDept', 'GET', `/surveys/commitment_awareness/${ids.set}`);
    expect(survey.body.results).toMatchObject({ responses: 3, awarenessRate: 66.7 });
  });

  it('finds a client\'s recent 知晓率 answers through the audit log\'s entity index (the rate limit reads it on every answer)', async () => {
    // A few test rows make a sequential scan the cheapest plan: with it ruled out, the index must serve both columns.
    const plan = await (app.orm.em.fork() as EntityManager).transactional(async (tx) => {
      await tx.execute('set local enable_seqscan = off');
      const rows = await tx.execute<{ 'QUERY PLAN': string }[]>(`explain ${RECENT_AWARENESS_SQL}`, [ids.set, 'client', new Date(0)]);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Cond: \(\(\(entity_type\)::text = 'commitment_set'::text\) AND \(\(entity_id\)::text = /);
    expect(plan).toContain('audit_entry_entity_idx');
  });
});
