// A posting's PDF that the cycle could not make, made again through HTTP: the joint assessment
// is on record and the final assessment form's failure is recorded as the posting workflow
// records it; the posting's view shows it with the reason and the link; the department
// re-renders it (renderReportWorkflow on the reports queue) and downloads the filed PDF. Also:
// paper and link ratings are written with their audit rows, under the right actor.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, type CycleHarness, httpCaller, type ReportEntryBody } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { createPostingActivities, residentSurveyToken } from '../../../activities/posting.ts';
import { createReportRerenderActivities } from '../../../activities/reports.ts';
import type { PostingStatus } from '../../../domain/posting/contracts.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { Notification } from '../../../domain/entities/notification.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Account } from '../../../domain/entities/account.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { ApiToken } from '../../../domain/entities/api-token.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { seedPostingWorld, type PostingWorld } from '../../support/fixtures.ts';

let harness: CycleHarness;
let app: TestApp;
let world: PostingWorld;
const outsiderToken = `pct_outsider_${'x'.repeat(32)}`;

beforeAll(async () => {
  harness = await startCycleHarness((app) => ({ ...createPostingActivities({ orm: app.orm }), ...createReportRerenderActivities({ orm: app.orm }) }));
  app = harness.app;
  const em = app.orm.em.fork() as EntityManager;
  world = await seedPostingWorld(em, { postings: 1 });
  const elsewhere = em.create(AdministrativeUnit, { code: 'other-d', name: '别县', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共别县委' } as never);
  elsewhere.path = `${elsewhere.id}/`;
  const outsider = em.create(Account, { login: 'outsider', displayName: 'outsider', passwordHash: 'x' } as never);
  em.create(RoleAssignment, { account: outsider, role: 'org_department', unit: elsewhere } as never);
  em.create(ApiToken, { account: outsider, name: 'test', tokenHash: hashSecret(outsiderToken) } as never);
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) =>
  httpCaller(app, (l) => (l === 'outsider' ? outsiderToken : world.tokens[l]))(login, method, url, payload);

describe('posting reports rendered again', () => {
  it('re-renders a failed final assessment form on the department\'s request', async () => {
    const postingId = world.postingIds[0]!;
    const acts = createPostingActivities({ orm: app.orm });
    const signedAt = Date.parse('2025-12-31T08:00:00Z');
    const status: PostingStatus = {
      postingId,
      phase: 'completed',
      guarantees: { insuranceYuan: 1_000_000, workFundsYuan: 10_000 },
      missingGuarantees: [],
      startedOn: '2025-01-01',
      endsOn: '2025-12-31',
      recalled: null,
      extendedMonths: 0,
      months: [],
      quarters: [],
      tally: [],
      routineScore: 100,
      yearEnd: { self: { score: 90, summary: '完成各项任务' }, organization: { score: 88, comment: '较好', by: 'dept' }, residents: { respondents: 3, score: 92 }, routine: 100, total: 90.4, ranking: { rank: 1, cohortSize: 1, grade: '优秀' } },
      finalSignatures: [],
      missingFinalSigners: [],
      outcome: 'passed',
      reports: [],
    };
    const base = `/postings/${postingId}`;
    const render = `${base}/reports/final-assessment/render`;
    // Not signed yet: nothing to render.
    expect((await call('dept', 'POST', render)).body).toMatchObject({ error: 'not_ready' });

    await acts.savePostingProgress(status);
    await acts.saveFinalAssessment({
      postingId,
      outcome: 'passed',
      signatures: [
        { as: 'street_committee', accountId: world.accounts.street!, name: '顺德街道党工委', decision: 'agree', comment: '表现突出', signedAt },
        { as: 'dispatching_unit', accountId: world.accounts.unit!, name: '县财政局党组', decision: 'agree', comment: '同意', signedAt },
        { as: 'org_department', accountId: world.accounts.dept!, name: '县委组织部', decision: 'agree', comment: '同意', signedAt },
      ],
    });
    // As the posting workflow records a PDF that could not be made.
    await acts.recordPostingReportFailure({ cohortId: world.cohortId, postingId, type: 'final-assessment', key: `posting/${postingId}/final-assessment`, reason: 'Chromium did not start (test)' });

    const failed = (await call('dept', 'GET', base)).body as { reports: ReportEntryBody[] };
    expect(failed.reports).toEqual([expect.objectContaining({ type: 'final-assessment', status: 'failed', reason: 'Chromium did not start (test)', render: `POST ${render}`, download: null })]);

    expect((await call('street', 'POST', render)).status).toBe(403);
    expect((await call('sec1', 'POST', render)).status).toBe(403);
    expect((await call('outsider', 'POST', render)).status).toBe(404);
    const noQuarter = await call('dept', 'POST', `${base}/reports/quarterly-review/render`);
    expect(noQuarter.status).toBe(400);
    expect((noQuarter.body as { details: { field: string }[] }).details.map((d) => d.field)).toEqual(['querystring.quarter']);
    expect((await call('dept', 'POST', `${base}/reports/quarterly-review/render?quarter=1`)).body).toMatchObject({ error: 'not_ready' });

    const started = await call('dept', 'POST', render);
    expect(started.status).toBe(202);
    const { workflowId } = started.body as { workflowId: string };
    expect(workflowId).toBe(`report-render/posting/${postingId}/final-assessment/1`);
    const result = await harness.env.client.workflow.getHandle(workflowId).result();
    expect(result.outcome.status).toBe('stored');

    const filed = ((await call('sec1', 'GET', base)).body as { reports: ReportEntryBody[] }).reports;
    expect(filed).toEqual([expect.objectContaining({ type: 'final-assessment', status: 'filed', version: 1, render: null })]);
    const pdf = await call('sec1', 'GET', filed[0]!.download!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['x-sha256']).toBe(filed[0]!.sha256);
    const text = await pdfText(pdf.body as Buffer);
    for (const expected of ['书记1', '期满联合考核表', '表现突出', '通过']) expect(text).toContain(expected);
    const listed = ((await call('dept', 'GET', `${base}/reports`)).body as { reports: { type: string; version: number }[] }).reports;
    expect(listed.map((r) => [r.type, r.version])).toEqual([['final-assessment', 1]]);
    expect((await call('dept', 'POST', render)).body).toMatchObject({ error: 'already_filed' });

    const audit = await (app.orm.em.fork() as EntityManager).find(AuditEntry, { entityId: postingId, action: { $like: 'posting.report_%' } }, { orderBy: { seq: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['posting.report_failed', 'system'],
      ['posting.report_render_requested', 'dept'],
      ['posting.report_filed', 'dept'],
    ]);
    expect(audit[2]!.after).toMatchObject({ report: 'final-assessment', key: `posting/${postingId}/final-assessment`, sha256: filed[0]!.sha256, attempt: 1 });
    await harness.replay(workflowId);
  }, 180_000);

  it('writes paper ratings and survey answers with their audit rows', async () => {
    const postingId = world.postingIds[0]!;
    expect((await call('community', 'POST', `/postings/${postingId}/resident-ratings`, { scores: [90, 85] })).status).toBe(201);
    const em = app.orm.em.fork() as EntityManager;
    await createPostingActivities({ orm: app.orm }).openResidentsSurvey({ postingId, expiresAt: Date.now() + 86_400_000 });
    const token = await residentSurveyToken(em, postingId);
    // Whom the link rates, for the survey page; a made-up token is not found.
    expect((await call(null, 'GET', `/public/posting-surveys/${token}`)).body).toMatchObject({ secretary: '书记1', community: '红旗社区', dispatchingUnit: '县财政局' });
    expect((await call(null, 'GET', '/public/posting-surveys/pcl_made-up-token-000')).status).toBe(404);
    expect((await call(null, 'POST', `/public/posting-surveys/${token}`, { score: 95, comment: '很负责' })).status).toBe(201);
    // The posting's page shows the link (to open or print as a QR poster) with how many answered.
    const survey = ((await call('community', 'GET', `/postings/${postingId}`)).body as { survey: unknown }).survey;
    expect(survey).toEqual({ path: `/public/posting-surveys/${token}`, expiresAt: expect.any(String), open: true, respondents: 3 });
    // The year-end notice carries the link to the secretary, the community and the department (not the dispatching unit).
    const acts = createPostingActivities({ orm: app.orm, publicBaseUrl: 'https://dj.example.cn/' });
    await acts.notifyPosting({ postingId, key: 'year-end-task', to: ['first_secretary', 'org_department'], kind: 'task', title: '书记1：年终考核已开始', body: '请提交晒绩自评。' });
    const notices = await em.fork().find(Notification, { title: '书记1：年终考核已开始' }, {});
    expect(notices.map((n) => n.recipient.id).sort()).toEqual([world.accounts.sec1, world.accounts.dept, world.accounts.community].sort());
    for (const n of notices) expect(n.body).toContain(`https://dj.example.cn/public/posting-surveys/${token}`);
    const audit = await em.find(AuditEntry, { entityId: postingId, action: { $in: ['posting.resident_ratings', 'posting.survey_answer'] } }, { orderBy: { seq: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor, a.actorAccountId ?? null])).toEqual([
      ['posting.resident_ratings', 'community', world.accounts.community],
      ['posting.survey_answer', 'public-link', null],
    ]);
    expect(audit[0]!.after).toMatchObject({ source: 'paper', scores: [90, 85] });
    expect(audit[1]!.after).toMatchObject({ source: 'link', score: 95 });
  }, 60_000);
});
