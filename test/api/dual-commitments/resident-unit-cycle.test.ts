// The 四双 variant through HTTP with time skipping: a resident unit (驻区单位) started by kind,
// drafted from the 四双 catalog, reviewed by its community, and evaluated by a 写实评价 that the
// department countersigns and sends to the unit's superior Party organization (PDF checked).
// No staff survey is opened for it: the 写实评价 is its whole evaluation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from 'date-fns/addDays';
import { startCycleHarness, grantWithToken, type CycleHarness, httpCaller } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { createDualCommitmentActivities } from '../../../activities/dual-commitment.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';
import { STAFF_SURVEY } from '../../../domain/dual-commitment/contracts.ts';
import { AccessLink } from '../../../domain/entities/access-link.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { Notification } from '../../../domain/entities/notification.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { shanghaiDate } from '../../../domain/time.ts';

const DAY = 86_400_000;

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
let unitOrgId = '';

beforeAll(async () => {
  harness = await startCycleHarness((app) => createDualCommitmentActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' }));
  ({ env, app } = harness);

  const em = app.orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'rd1', name: '测试区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共测试区委' } as never);
  district.path = `${district.id}/`;
  const street = em.create(AdministrativeUnit, { code: 'rs1', name: '东街道', level: 'street', parent: district, path: '', depth: 1, partyOrgName: '东街道党工委' } as never);
  street.path = `${district.path}${street.id}/`;
  const community = em.create(AdministrativeUnit, { code: 'rc1', name: '东社区', level: 'community', parent: street, path: '', depth: 2, partyOrgName: '东社区党委' } as never);
  community.path = `${street.path}${community.id}/`;
  const unit = em.create(Organization, {
    name: '测试区税务局', kind: 'resident_unit', unit: community, partyOrgName: '中共测试区税务局委员会', address: '东街道88号',
    responsiblePeople: [{ role: '党组织书记', name: '周明', phone: '13900000000' }, { role: '上级党组织', name: '中共测试市税务局委员会', phone: '0537-2345678' }],
  } as never);
  unitOrgId = unit.id;
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => grantWithToken(em, tokens, login, role, scope);
  grant('dept', 'org_department', { unit: district });
  grant('community', 'community_committee', { unit: community });
  grant('unitparty', 'enterprise_party_org', { organization: unit });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);

describe('四双 for a resident unit through HTTP', () => {
  it('starts by kind, reviews by the community, and files a 写实评价 sent to the superior Party organization', async () => {
    const now = await env.currentTimeMs();
    const day = (n: number) => shanghaiDate(addDays(new Date(now), n));
    const year = Number(day(0).slice(0, 4));
    const settings = { submissionDeadline: day(10), practiceEnd: day(25), evaluationStart: day(26), evaluationEnd: day(35), publicationDays: 7 };
    // Resident units commit from their own catalog, so they cannot share a cycle with enterprises.
    const mixed = await call('dept', 'POST', '/dual-commitments/cycles', { year, settings, kinds: ['resident_unit', 'non_public_enterprise'] });
    expect(mixed.status).toBe(400);
    expect((mixed.body as { details: { field: string }[] }).details.map((d) => d.field)).toEqual(['body.kinds']);
    const started = await call('dept', 'POST', '/dual-commitments/cycles', { year, settings, kinds: ['resident_unit'], organizationIds: [unitOrgId] });
    expect(started.status).toBe(202);
    const cycleId = (started.body as { id: string }).id;
    for (let i = 0; i < 1200; i++) {
      const dashboard = (await call('dept', 'GET', `/dual-commitments/cycles/${cycleId}`)).body as { start: { done: boolean } };
      if (dashboard.start.done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // The cycle keeps the 四双 catalog version it started with, marked as used.
    const cycle = await app.orm.em.fork().findOneOrFail(Cycle, { id: cycleId }, { populate: ['catalogVersion'] });
    expect(cycle.catalogVersion?.getEntity()).toMatchObject({ kind: 'resident_unit_commitment', version: 1 });
    expect(cycle.catalogVersion?.getEntity().usedAt).toBeInstanceOf(Date);
    const setId = ((await call('unitparty', 'GET', `/dual-commitments/sets?year=${year}`)).body as { items: { id: string }[] }).items[0]!.id;
    const base = `/dual-commitments/sets/${setId}`;

    // 定诺 from the 四双 catalog: an enterprise catalog code is not an item of it.
    const commitments = [
      { key: 'p1', side: 'party', catalogItemCode: 'RP2-04', title: '提供在职党员报到服务岗位', content: '设立服务岗位', target: '岗位不少于5个', indicator: '岗位≥5个', deadline: day(15), responsiblePerson: { name: '社区书记' } },
      { key: 'u1', side: 'enterprise', catalogItemCode: 'E1-01', title: '在职党员到社区报到', content: '组织在职党员报到服务', target: '报到率100%', indicator: '每人服务≥2次', deadline: day(20), responsiblePerson: { name: '周明' } },
    ];
    expect((await call('unitparty', 'PUT', `${base}/draft`, { commitments })).body).toMatchObject({ problems: [{ field: 'body.commitments[1].catalogItemCode', rule: 'is not an item of the cycle catalog' }] });
    commitments[1]!.catalogItemCode = 'RU2-01';
    expect((await call('unitparty', 'PUT', `${base}/draft`, { commitments })).body).toMatchObject({ problems: [] });
    expect((await call('unitparty', 'POST', `${base}/submit`)).status).toBe(200);
    const byDept = await call('dept', 'POST', `${base}/review`, { version: 1, decision: 'approve' });
    expect(byDept.status).toBe(403);
    expect((await call('community', 'POST', `${base}/review`, { version: 1, decision: 'approve' })).body).toMatchObject({ approvedVersion: 1 });

    // 践诺: each side files its own items.
    await env.sleep(8 * DAY);
    expect((await call('unitparty', 'POST', `${base}/items/p1/status`, { status: 'fulfilled', description: '已设岗' })).status).toBe(403);
    expect((await call('community', 'POST', `${base}/items/p1/status`, { status: 'fulfilled', description: '已设岗6个' })).status).toBe(200);
    expect((await call('unitparty', 'POST', `${base}/items/u1/status`, { status: 'partly', description: '报到率92%', reason: '部分党员外派' })).status).toBe(200);

    // 评诺: no score; the community writes the 写实评价 once; the department countersigns.
    await env.sleep(19 * DAY);
    const evaluating = (await call('unitparty', 'GET', base)).body as { gate: string; surveyPath: string | null };
    expect(evaluating.gate).toBe('evaluate');
    // No staff survey (职工满意度) for a resident unit: no link is opened or shown, and a survey
    // token for the set is not honoured; the community is told to write the 写实评价 instead.
    expect(evaluating.surveyPath).toBeNull();
    const em = app.orm.em.fork() as EntityManager;
    expect(await em.count(AccessLink, { purpose: STAFF_SURVEY, subjectId: setId })).toBe(0);
    const surveyToken = await derivedLinkToken(em, STAFF_SURVEY, setId);
    expect((await call(null, 'POST', `/public/commitment-surveys/${surveyToken}`, { rating: 5 })).status).toBe(404);
    const opened = await em.find(Notification, { kind: 'evaluation_open' }, { populate: ['recipient'] });
    expect(opened.map((n) => n.recipient.getEntity().login).sort()).toEqual(['community', 'unitparty']);
    expect((await call('community', 'POST', `${base}/factual-evaluation`, { text: '   ' })).status).toBe(400);
    const text = '该单位党委全年参加社区联席会议2次，组织在职党员报到服务。\n\n在职党员报到率92%，部分党员外派未能参加。';
    expect((await call('community', 'POST', `${base}/factual-evaluation`, { text, itemStatuses: [{ itemKey: 'u1', status: 'partly' }] })).body).toMatchObject({ gate: 'evaluate' });
    const again = await call('community', 'POST', `${base}/factual-evaluation`, { text: '再写一次' });
    expect(again.status).toBe(409);
    expect((again.body as { error: string }).error).toBe('already_decided');
    expect((await call('dept', 'POST', `${base}/countersign`)).status).toBe(200);
    const set = (await call('dept', 'GET', base)).body as { workflowId: string; result: { recordSha256: string; evaluation: { superior: unknown; sentAt: string } } };
    const result = await env.client.workflow.getHandle(set.workflowId).result();
    expect(result).toMatchObject({ outcome: 'filed', totalScore: null, grade: null });
    const filed = (await call('dept', 'GET', base)).body as typeof set;
    expect(filed.result.evaluation).toMatchObject({ superior: { name: '中共测试市税务局委员会', contact: '0537-2345678' } });
    expect(filed.result.evaluation.sentAt).toBeTruthy();
    const sent = await app.orm.em.fork().find(AuditEntry, { action: 'commitment_set.factual_evaluation_sent', entityId: setId });
    expect(sent.map((a) => a.after)).toEqual([expect.objectContaining({ delivered: true, superior: { name: '中共测试市税务局委员会', contact: '0537-2345678' } })]);
    const notices = await app.orm.em.fork().find(Notification, { kind: 'factual_evaluation_sent' }, { populate: ['recipient'] });
    expect(notices.map((n) => n.recipient.getEntity().login)).toEqual(['dept']);

    const pdf = await call('dept', 'GET', `${base}/reports/factual-evaluation`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['x-sha256']).toBe(result.recordSha256);
    const pdfContent = await pdfText(pdf.body as Buffer);
    for (const expected of ['测试区税务局', '写实评价', '中共测试市税务局委员会', '报到率92%', '部分兑现', '东社区党委']) expect(pdfContent).toContain(expected);
    expect((await call('dept', 'GET', `${base}/reports/evaluation-record`)).status).toBe(404);

    await harness.replay(set.workflowId);
  }, 180_000);
});
