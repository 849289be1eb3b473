// A PDF the cycle could not make, made again through HTTP: the renderer fails once (a template
// error, which no retry fixes), the cycle records the failure and goes on; the set's view shows
// the failed notice with its reason and the re-render link; the department re-renders it through
// renderReportWorkflow on the reports queue; the PDF is filed, downloadable and in the audit log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from 'date-fns/addDays';
import { startCycleHarness, grantWithToken, type CycleHarness, httpCaller, type ReportEntryBody } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { createDualCommitmentActivities } from '../../../activities/dual-commitment.ts';
import { createReportRerenderActivities } from '../../../activities/reports.ts';
import { ReportTemplateError } from '../../../reports/errors.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { ReportFile } from '../../../domain/entities/report-file.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { shanghaiDate } from '../../../domain/time.ts';

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
let orgId = '';
let renders = 0;

beforeAll(async () => {
  harness = await startCycleHarness(
    (app) => ({ ...createDualCommitmentActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' }), ...createReportRerenderActivities({ orm: app.orm }) }),
    {
      // The first PDF fails as a broken template does: not retried, the cycle records it.
      renderer: (real) => ({
        render(type, data, meta) {
          renders += 1;
          if (renders === 1) return Promise.reject(new ReportTemplateError(type, new Error('字体模板缺失 (test)')));
          return real.render(type, data, meta);
        },
      }),
    },
  );
  ({ env, app } = harness);
  const em = app.orm.em.fork() as EntityManager;
  const unit = (code: string, name: string, level: string, parent: AdministrativeUnit | null) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, path: '', depth: parent ? parent.depth + 1 : 0, partyOrgName: `${name}党委` } as never);
    u.path = `${parent ? parent.path : ''}${u.id}/`;
    return u;
  };
  const district = unit('d1', '测试区', 'district', null);
  const community = unit('c1', '西社区', 'community', unit('s1', '西街道', 'street', district));
  const elsewhere = unit('d2', '别区', 'district', null);
  const org = em.create(Organization, { name: '测试重印有限公司', kind: 'non_public_enterprise', unit: community, partyOrgName: '测试重印有限公司党支部', responsiblePeople: [{ role: '党支部书记', name: '孙丽', phone: '13800000001' }] } as never);
  orgId = org.id;
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => grantWithToken(em, tokens, login, role, scope);
  grant('dept', 'org_department', { unit: district });
  grant('otherdept', 'org_department', { unit: elsewhere });
  grant('community', 'community_committee', { unit: community });
  grant('ent', 'enterprise_rep', { organization: org });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i >= 1200) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('re-rendering a failed report through HTTP', () => {
  it('shows the failed notice with its reason, refuses by role, scope and state, and files it on request', async () => {
    const now = await env.currentTimeMs();
    const day = (n: number) => shanghaiDate(addDays(new Date(now), n));
    const year = Number(day(0).slice(0, 4));
    const settings = { submissionDeadline: day(10), practiceEnd: day(25), evaluationStart: day(26), evaluationEnd: day(35), publicationDays: 7 };
    const cycleId = ((await call('dept', 'POST', '/dual-commitments/cycles', { year, settings, organizationIds: [orgId] })).body as { id: string }).id;
    await until(() => call('dept', 'GET', `/dual-commitments/cycles/${cycleId}`), (r) => (r.body as { start: { done: boolean } }).start.done);
    const setId = ((await call('ent', 'GET', `/dual-commitments/sets?year=${year}`)).body as { items: { id: string }[] }).items[0]!.id;
    const base = `/dual-commitments/sets/${setId}`;

    // Before publication there is no notice: 409 naming why.
    const early = await call('dept', 'POST', `${base}/reports/commitment-notice/render`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'not_ready' });

    const commitments = [
      { key: 'p1', side: 'party', title: '形势政策宣讲', content: '每季度组织职工宣讲', target: '全年宣讲4次', indicator: '宣讲≥4次', deadline: day(20), responsiblePerson: { name: '孙丽' } },
      { key: 'e1', side: 'enterprise', title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用', indicator: '面积≥30平方米', deadline: day(20), responsiblePerson: { name: '李总' } },
    ];
    expect((await call('ent', 'PUT', `${base}/draft`, { commitments })).body).toMatchObject({ problems: [] });
    expect((await call('ent', 'POST', `${base}/submit`)).status).toBe(200);
    expect((await call('community', 'POST', `${base}/review`, { version: 1, decision: 'approve' })).status).toBe(200);

    // The notice fails (once); the cycle goes on and the view says why, with the link.
    const failedView = await until(
      () => call('dept', 'GET', base),
      (r) => (r.body as { reports: ReportEntryBody[] }).reports?.[0]?.status === 'failed',
    );
    const failed = (failedView.body as { reports: ReportEntryBody[]; gate: string }).reports;
    expect(failed).toEqual([expect.objectContaining({ type: 'commitment-notice', status: 'failed', render: `POST ${base}/reports/commitment-notice/render`, download: null })]);
    expect(failed[0]!.reason).toContain('字体模板缺失');
    expect((await call('dept', 'GET', `${base}/reports/commitment-notice`)).status).toBe(404);

    // Wrong role 403, outside the jurisdiction 404, a report not yet reached 409, another variant's 404.
    expect((await call('ent', 'POST', `${base}/reports/commitment-notice/render`)).status).toBe(403);
    expect((await call('community', 'POST', `${base}/reports/commitment-notice/render`)).status).toBe(403);
    expect((await call('otherdept', 'POST', `${base}/reports/commitment-notice/render`)).status).toBe(404);
    const notFiled = await call('dept', 'POST', `${base}/reports/evaluation-record/render`);
    expect(notFiled.status).toBe(409);
    expect((notFiled.body as { error: string; message: string }).error).toBe('not_ready');
    expect((await call('dept', 'POST', `${base}/reports/factual-evaluation/render`)).status).toBe(404);

    // A double click: one render starts, the other is refused (already rendering, or filed by then).
    const [first, second] = await Promise.all([
      call('dept', 'POST', `${base}/reports/commitment-notice/render`),
      call('dept', 'POST', `${base}/reports/commitment-notice/render`),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const accepted = (first.status === 202 ? first : second).body as { workflowId: string; attempt: number };
    expect(accepted).toMatchObject({ workflowId: `report-render/commitment_set/${setId}/commitment-notice/1`, attempt: 1 });
    expect(['already_rendering', 'already_filed']).toContain(((first.status === 409 ? first : second).body as { error: string }).error);

    const filedView = await until(
      () => call('ent', 'GET', base),
      (r) => (r.body as { reports: ReportEntryBody[] }).reports?.[0]?.status === 'filed',
    );
    const filed = (filedView.body as { reports: ReportEntryBody[]; publication: { noticeSha256: string } });
    expect(filed.reports[0]).toMatchObject({ type: 'commitment-notice', status: 'filed', version: 1, render: null, download: `${base}/reports/commitment-notice` });
    expect(filed.publication.noticeSha256).toBe(filed.reports[0]!.sha256);

    const pdf = await call('ent', 'GET', `${base}/reports/commitment-notice`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['x-sha256']).toBe(filed.reports[0]!.sha256);
    const text = await pdfText(pdf.body as Buffer);
    // The notice is the Party organization's own, with the QR code of its public page.
    for (const expected of ['测试重印有限公司', '公示', '形势政策宣讲', '测试重印有限公司党支部', 'https://dangjian.example.cn/public/commitments/']) expect(text).toContain(expected);

    // Recorded as the cycle records a PDF: one ReportFile version, its SHA-256 in the audit log,
    // under the person who asked; the request is audited too. A filed report is not rendered again.
    const em = app.orm.em.fork() as EntityManager;
    expect((await em.find(ReportFile, { subjectId: setId })).map((f) => [f.type, f.version, f.sha256])).toEqual([['commitment-notice', 1, filed.reports[0]!.sha256]]);
    const audit = await em.find(AuditEntry, { entityId: setId, action: { $in: ['commitment_set.report_failed', 'commitment_set.report_render_requested', 'commitment_set.report_filed'] } }, { orderBy: { seq: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['commitment_set.report_failed', 'system'],
      ['commitment_set.report_render_requested', 'dept'],
      ['commitment_set.report_filed', 'dept'],
    ]);
    expect(audit[2]!.after).toMatchObject({ report: 'commitment-notice', sha256: filed.reports[0]!.sha256, version: 1, attempt: 1 });
    const again = await call('dept', 'POST', `${base}/reports/commitment-notice/render`);
    expect(again.status).toBe(409);
    expect((again.body as { error: string }).error).toBe('already_filed');
    expect(((await call('dept', 'GET', '/audit/verify')).body as { ok: boolean }).ok).toBe(true);

    await harness.replay(accepted.workflowId);
  }, 180_000);
});
