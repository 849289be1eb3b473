// A whole dual commitments cycle through HTTP on the devserver with time skipping: start,
// draft, return, resubmit, approve, publish, feedback, evidence, overdue escalation,
// evaluation, sign-offs and the filed record PDF, with the refusals on the way.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from 'date-fns/addDays';
import { startCycleHarness, grantWithToken, type CycleHarness, httpCaller } from '../../support/cycle-harness.ts';
import { createReportStore } from '../../../reports/store.ts';
import type { TestApp } from '../../support/app.ts';
import { createDualCommitmentActivities } from '../../../activities/dual-commitment.ts';
import { ReportFile } from '../../../domain/entities/report-file.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { EvaluatorAssignment } from '../../../domain/entities/evaluator-assignment.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { Notification } from '../../../domain/entities/notification.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { shanghaiDate } from '../../../domain/time.ts';

const DAY = 86_400_000;

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
let orgId = '';

beforeAll(async () => {
  harness = await startCycleHarness((app) => createDualCommitmentActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' }));
  ({ env, app } = harness);

  const em = app.orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'd1', name: '测试区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共测试区委' } as never);
  district.path = `${district.id}/`;
  const street = em.create(AdministrativeUnit, { code: 's1', name: '东街道', level: 'street', parent: district, path: '', depth: 1, partyOrgName: '东街道党工委' } as never);
  street.path = `${district.path}${street.id}/`;
  const community = em.create(AdministrativeUnit, { code: 'c1', name: '东社区', level: 'community', parent: street, path: '', depth: 2, partyOrgName: '东社区党委' } as never);
  community.path = `${street.path}${community.id}/`;
  const org = em.create(Organization, { name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', unit: community, partyOrgName: '中共鲁恒机械支部委员会', responsiblePeople: [{ role: '党组织书记', name: '王建国', phone: '13800000000' }] } as never);
  const other = em.create(Organization, { name: '另一家公司', kind: 'non_public_enterprise', unit: street, responsiblePeople: [] } as never);
  const westStreet = em.create(AdministrativeUnit, { code: 's2', name: '西街道', level: 'street', parent: district, path: '', depth: 1, partyOrgName: '西街道党工委' } as never);
  westStreet.path = `${district.path}${westStreet.id}/`;
  orgId = org.id;
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => grantWithToken(em, tokens, login, role, scope);
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  grant('weststreet', 'street_committee', { unit: westStreet });
  grant('community', 'community_committee', { unit: community });
  grant('rep', 'enterprise_rep', { organization: org });
  grant('party', 'enterprise_party_org', { organization: org });
  grant('otherrep', 'enterprise_rep', { organization: other });
  const evaluator = grant('evaluator', 'evaluator', {});
  em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: org.id } as never);
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);

describe('dual commitments through HTTP', () => {
  it('runs a cycle end to end with refusals, and files a record whose hash is in the audit log', async () => {
    const now = await env.currentTimeMs();
    const day = (n: number) => shanghaiDate(addDays(new Date(now), n));
    const year = Number(day(0).slice(0, 4));
    const settings = { submissionDeadline: day(10), practiceEnd: day(25), evaluationStart: day(26), evaluationEnd: day(35), publicationDays: 7 };

    // Start: only the department; enterprise accounts are refused by role.
    expect((await call('rep', 'POST', '/dual-commitments/cycles', { year, settings })).status).toBe(403);
    const started = await call('dept', 'POST', '/dual-commitments/cycles', { year, settings, organizationIds: [orgId] });
    expect(started.status).toBe(202);
    const cycleId = (started.body as { id: string }).id;
    let dashboard: Record<string, unknown> = {};
    for (let i = 0; i < 1200; i++) {
      dashboard = (await call('dept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body as Record<string, unknown>;
      if ((dashboard.start as { done: boolean }).done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(dashboard.start).toMatchObject({ total: 1, started: 1, failed: 0, pending: 0, failures: [] });
    // The street over the organization sees the cycle; a street without any of its organizations does not.
    expect(((await call('street', 'GET', `/dual-commitments/cycles/${cycleId}`)).body as { start: unknown }).start).toMatchObject({ total: 1 });
    expect((await call('weststreet', 'GET', `/dual-commitments/cycles/${cycleId}`)).status).toBe(404);
    expect((await call('weststreet', 'POST', `/dual-commitments/cycles/${cycleId}/start-retries`)).status).toBe(403);
    // A repeated start for the same organization and year is refused, not duplicated.
    expect((await call('dept', 'POST', '/dual-commitments/cycles', { year, settings, organizationIds: [orgId] })).status).toBe(409);

    const em = app.orm.em.fork() as EntityManager;
    // The enterprise finds its set; another enterprise sees none.
    const mine = (await call('rep', 'GET', `/dual-commitments/sets?year=${year}`)).body as { total: number; items: { id: string; cycleId: string }[] };
    expect(mine).toMatchObject({ total: 1, items: [{ cycleId }] });
    expect(((await call('otherrep', 'GET', `/dual-commitments/sets?year=${year}`)).body as { total: number }).total).toBe(0);
    expect(((await call('evaluator', 'GET', `/dual-commitments/sets?year=${year}`)).body as { total: number }).total).toBe(1);
    const setId = mine.items[0]!.id;
    const base = `/dual-commitments/sets/${setId}`;
    expect((await call('otherrep', 'GET', base)).status).toBe(404);

    // 定诺: the draft names what is missing; submit refuses it with details.
    const commitments = [
      { key: 'p1', side: 'party', catalogItemCode: 'P1-01', title: '形势政策宣讲', content: '每季度组织职工宣讲', target: '', indicator: '宣讲≥1次', deadline: day(15), responsiblePerson: { name: '王建国' } },
      { key: 'e1', side: 'enterprise', catalogItemCode: null, title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用', indicator: '面积≥30平方米', deadline: day(20), responsiblePerson: { name: '李总' } },
    ];
    const draft = await call('rep', 'PUT', `${base}/draft`, { commitments });
    expect(draft.body).toMatchObject({ version: 1, problems: [{ field: 'body.commitments[0].target', rule: 'is required: a concrete target that can be seen' }] });
    const refused = await call('rep', 'POST', `${base}/submit`);
    expect(refused.status).toBe(400);
    expect((refused.body as { details: unknown[] }).details).toEqual([{ field: 'draft.commitments[0].target', rule: 'is required: a concrete target that can be seen' }]);
    commitments[0]!.target = '全年宣讲4次，职工知晓率90%';
    expect((await call('rep', 'PUT', `${base}/draft`, { commitments })).body).toMatchObject({ version: 1, problems: [] });
    expect((await call('rep', 'POST', `${base}/submit`)).body).toMatchObject({ version: 1, setStatus: 'submitted' });
    // Wrong role (route guard) and a returned set, then a resubmission as a new version.
    expect((await call('rep', 'POST', `${base}/review`, { version: 1, decision: 'approve' })).status).toBe(403);
    expect((await call('community', 'POST', `${base}/review`, { version: 1, decision: 'return', comments: '请细化企业承诺指标' })).body).toMatchObject({ setStatus: 'returned' });
    commitments[1]!.indicator = '面积≥40平方米，每周开放';
    expect((await call('party', 'PUT', `${base}/draft`, { commitments })).body).toMatchObject({ version: 2 });
    expect((await call('party', 'POST', `${base}/submit`)).status).toBe(200);
    expect((await call('street', 'POST', `${base}/review`, { version: 2, decision: 'approve' })).body).toMatchObject({ approvedVersion: 2 });
    const twice = await call('community', 'POST', `${base}/review`, { version: 2, decision: 'approve' });
    expect(twice.status).toBe(409);
    expect((twice.body as { error: string }).error).toBe('already_decided');

    // 亮诺: the public page and feedback through the unguessable link.
    let set = (await call('rep', 'GET', base)).body as Record<string, any>;
    for (let i = 0; i < 1200 && !set.publication; i++) {
      await new Promise((r) => setTimeout(r, 50));
      set = (await call('rep', 'GET', base)).body as Record<string, any>;
    }
    expect(set.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'returned'], [2, 'approved']]);
    const publicPath = set.publication.publicPath as string;
    const page = await call(null, 'GET', publicPath);
    expect(page.body).toMatchObject({ organization: '济宁鲁恒机械有限公司', publication: { feedbackOpen: true } });
    expect((page.body as { commitments: unknown[] }).commitments).toHaveLength(2);
    expect((await call(null, 'GET', '/public/commitments/pcl_guessed_token_123')).status).toBe(404);
    expect((await call(null, 'POST', `${publicPath}/feedback`, { body: '希望宣讲安排在午休时间' })).status).toBe(201);
    expect((await call(null, 'POST', `${publicPath}/feedback`, { body: '长'.repeat(501) })).status).toBe(400);
    expect(((await call('party', 'GET', `${base}/feedback`)).body as { items: unknown[] }).items).toHaveLength(1);

    // The notice PDF (承诺公示) renders on the reports queue while the window is open.
    for (let i = 0; i < 200 && !set.publication.noticeSha256; i++) {
      await new Promise((r) => setTimeout(r, 100));
      set = (await call('rep', 'GET', base)).body as Record<string, any>;
    }
    const notice = await call('rep', 'GET', `${base}/reports/commitment-notice`);
    expect(notice.status).toBe(200);
    const noticeText = await pdfText(notice.body as Buffer);
    expect(noticeText).toContain('济宁鲁恒机械有限公司');
    expect(noticeText).toContain('全年宣讲4次');

    // 践诺: the Party side uploads evidence (the shared multipart upload) and files p1; the
    // enterprise may not file the Party side's item.
    const p1 = (set.progress as { id: string; itemKey: string }[]).find((p) => p.itemKey === 'p1')!;
    const boundary = '----dualcommitment';
    const upload = await app.server.inject({
      method: 'POST',
      url: `/evidence?title=${encodeURIComponent('宣讲记录')}&organizationId=${orgId}&subjectType=commitment_item&subjectId=${p1.id}&effectiveFrom=${day(0)}`,
      headers: { authorization: `Bearer ${tokens.party}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="record.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        Buffer.from('%PDF-1.4 宣讲记录'),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(upload.statusCode).toBe(201);
    const evidenceFileId = upload.json().id as string;
    expect((await call('rep', 'POST', `${base}/items/p1/status`, { status: 'fulfilled', description: '已宣讲', evidenceFileId })).status).toBe(403);
    expect((await call('party', 'POST', `${base}/items/p1/status`, { status: 'fulfilled', description: '已完成4次宣讲', evidenceFileId })).body).toMatchObject({ status: 'fulfilled', evidenceFileId });

    // The window closes by itself; e1 passes its deadline unfiled and is escalated.
    await env.sleep(22 * DAY);
    expect((await call(null, 'POST', `${publicPath}/feedback`, { body: '迟到的意见' })).status).toBe(409);
    dashboard = (await call('dept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body as Record<string, unknown>;
    expect(dashboard.perGate).toMatchObject({ practice: 1 });
    expect((dashboard.overdue as { items: { itemKey: string }[] }).items.map((i) => i.itemKey)).toEqual(['e1']);
    const inbox = await em.fork().find(Notification, { kind: 'escalation' }, { populate: ['recipient'] });
    expect(inbox.map((n) => n.recipient.getEntity().login).sort()).toEqual(['dept', 'street']);
    expect((await call('rep', 'POST', `${base}/items/e1/status`, { status: 'partly', description: '活动室装修中', reason: '场地改造延期' })).status).toBe(200);

    // 评诺: wrong gate before it opens is gone; self-evaluations, survey, scores, sign-offs.
    await env.sleep(5 * DAY);
    set = (await call('rep', 'GET', base)).body as Record<string, any>;
    expect(set.gate).toBe('evaluate');
    expect((await call('rep', 'POST', `${base}/items/e1/status`, { status: 'fulfilled', description: '完成' })).status).toBe(409);
    expect((await call('party', 'POST', `${base}/self-evaluation`, { side: 'party', score: 90, summary: '较好完成' })).status).toBe(200);
    expect((await call('rep', 'POST', `${base}/self-evaluation`, { side: 'enterprise', score: 80, summary: '基本完成' })).status).toBe(200);
    expect((await call(null, 'POST', set.surveyPath, { rating: 5 })).status).toBe(201);
    expect((await call(null, 'POST', set.surveyPath, { rating: 4 })).status).toBe(201);
    expect((await call('evaluator', 'POST', `${base}/sign-off`)).status).toBe(409);
    expect((await call('evaluator', 'POST', `${base}/scores`, { scores: [{ itemKey: 'p1', score: 95 }, { itemKey: 'e1', score: 75, remark: '延期' }] })).status).toBe(200);
    expect((await call('dept', 'POST', `${base}/countersign`)).status).toBe(409);
    expect((await call('evaluator', 'POST', `${base}/sign-off`)).status).toBe(200);
    const again = await call('evaluator', 'POST', `${base}/sign-off`);
    expect(again.status).toBe(409);
    expect((again.body as { error: string }).error).toBe('already_decided');
    expect((await call('evaluator', 'POST', `${base}/countersign`)).status).toBe(403);
    expect((await call('dept', 'POST', `${base}/countersign`)).status).toBe(200);

    const result = await env.client.workflow.getHandle(set.workflowId).result();
    // self 85 × 20% + staff 87.5 × 30% + organization 85 × 50% = 17 + 26.25 + 42.5
    expect(result).toMatchObject({ outcome: 'filed', totalScore: 85.8, grade: '良好' });
    set = (await call('dept', 'GET', base)).body as Record<string, any>;
    expect(set.result).toMatchObject({ totalScore: 85.8, grade: '良好' });
    const pdf = await call('dept', 'GET', `${base}/reports/evaluation-record`);
    expect(pdf.status).toBe(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('济宁鲁恒机械有限公司');
    expect(text).toContain('85.8');
    expect(text).toContain('良好');
    expect(pdf.headers['x-sha256']).toBe(result.recordSha256);
    // What people filed directly through the API is in the audit log too, with who did it.
    const direct = await em.fork().find(AuditEntry, { entityId: { $in: [setId, cycleId] } }, { orderBy: { seq: 'asc' } });
    expect(direct.map((e) => e.action)).toEqual(expect.arrayContaining(['dual_commitment.cycle_start', 'commitment_set.draft_save', 'commitment_set.score', 'commitment_set.self_evaluate']));
    expect(direct.find((e) => e.action === 'commitment_set.draft_save')!.actor).toBe('rep');
    const filedReports = await em.fork().find(AuditEntry, { action: 'commitment_set.report_filed', entityId: setId }, { orderBy: { seq: 'asc' } });
    expect(filedReports.map((a) => (a.after as { report: string; sha256: string }))).toEqual([
      expect.objectContaining({ report: 'commitment-notice', sha256: set.publication.noticeSha256 }),
      expect.objectContaining({ report: 'evaluation-record', sha256: set.result.recordSha256 }),
    ]);
    const reportFile = await em.fork().findOneOrFail(ReportFile, { type: 'evaluation-record', subjectId: setId });
    expect(reportFile.sha256).toBe(set.result.recordSha256);
    expect(await createReportStore({ dataDir: app.config.DATA_DIR }).read(set.result.recordSha256)).toEqual(pdf.body);

    // The cycle is closed: a late action is a 409 naming the state, not a 500.
    const late = await call('evaluator', 'POST', `${base}/sign-off`);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'cycle_closed' });
    expect((late.body as { message: string }).message).toContain('备案');

    await harness.replay(set.workflowId);
  }, 180_000);
});
