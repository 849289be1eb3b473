// Notices that reach people: a reminder of a real dual-commitments cycle (a workflow on the
// devserver with the real activities) goes out by e-mail to a real SMTP server and by SMS
// through Aliyun's SDK to a local endpoint; the SMS is retried after the endpoint answers 500;
// many notices to one person in a day fold into one evening digest; secrets never come back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, type CycleHarness, httpCaller } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { startFakeHttp, startFakeSmtp } from '../../support/fake-delivery.ts';
import { createDualCommitmentActivities } from '../../../activities/dual-commitment.ts';
import { gatePlan, resolveSettings } from '../../../domain/dual-commitment/rules.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CommitmentSet } from '../../../domain/entities/commitment.ts';
import { notify } from '../../../domain/notifications/notify.ts';
import { deliverNow, digestTime } from '../../../domain/notifications/delivery.ts';
import { dualCommitment } from '../../../workflows/dual-commitment.ts';
import { DAY_MS, shanghaiDate } from '../../../domain/time.ts';
import { unitMaker } from '../../support/fixtures.ts';

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
let fake: Awaited<ReturnType<typeof startFakeHttp>>;
const tokens: Record<string, string> = {};
const accounts: Record<string, string> = {};
const ids: Record<string, string> = {};
const SMTP_PASS = 'smtp-secret-3f9a';
const SMS_SECRET = 'sms-secret-7c1e';

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: 'notice', pass: SMTP_PASS });
  fake = await startFakeHttp();
  harness = await startCycleHarness((app) => createDualCommitmentActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' }));
  ({ env, app } = harness);
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('d1', '测试区', 'district', null);
  const street = unit('s1', '东街道', 'street', district);
  const community = unit('c1', '东社区', 'community', street);
  const org = em.create(Organization, { name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', unit: community, responsiblePeople: [] } as never);
  Object.assign(ids, { district: district.id, street: street.id, org: org.id });
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => {
    accounts[login] = grantWithToken(em, tokens, login, role, scope).id;
  };
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  grant('rep', 'enterprise_rep', { organization: org });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await smtp?.close();
  await fake?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);
type Delivery = { channel: string; status: string; attempts: number; lastError: string | null; digest: boolean };
type InboxBody = { items: { title: string; deliveries: Delivery[] }[] };

describe('notices that reach people', () => {
  it('lets the department switch channels on, keeps the secrets encrypted and never returns them', async () => {
    const email = await call('dept', 'PUT', '/notification-channels/email', {
      enabled: true,
      settings: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'notice', from: '测试区委组织部 <notice@example.cn>' },
      secrets: { password: SMTP_PASS },
    });
    expect(email.status).toBe(200);
    expect(email.body).toMatchObject({ kind: 'email', enabled: true, secretsSet: ['password'] });
    // Switching SMS on without its secret is refused naming the field.
    const missing = await call('dept', 'PUT', '/notification-channels/sms', { enabled: true, settings: { accessKeyId: 'ak', signName: '党建', templateCode: 'SMS_100' } });
    expect(missing.status).toBe(400);
    expect((missing.body as { details: unknown[] }).details).toEqual([{ field: 'body.secrets.accessKeySecret', rule: 'is required to switch the channel on' }]);
    const sms = await call('dept', 'PUT', '/notification-channels/sms', {
      enabled: true,
      settings: { endpoint: `127.0.0.1:${fake.port}`, protocol: 'http', accessKeyId: 'LTAI-test', signName: '党建', templateCode: 'SMS_100' },
      secrets: { accessKeySecret: SMS_SECRET },
    });
    expect(sms.status).toBe(200);
    const list = await call('dept', 'GET', '/notification-channels');
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(SMTP_PASS);
    expect(text).not.toContain(SMS_SECRET);
    const [stored] = await app.orm.em.fork().getConnection().execute<{ secrets: string }[]>("select secrets from notification_channel where kind = 'sms'");
    expect(stored!.secrets).toMatch(/^v1\./);
    expect(stored!.secrets).not.toContain(SMS_SECRET);
    // Only the organization department (and administrators) manage channels.
    expect((await call('street', 'GET', '/notification-channels')).status).toBe(403);
    // The test button: one message to the address given, through the stored settings.
    const test = await call('dept', 'POST', '/notification-channels/email/test', { to: 'tester@example.cn' });
    expect(test.body).toEqual({ ok: true, error: null });
    expect(smtp.mails.map((m) => [m.to, m.subject, m.user])).toEqual([[['tester@example.cn'], '测试消息', 'notice']]);
    smtp.mails.length = 0;
  }, 60_000);

  it('sends a reminder of a real cycle by e-mail and SMS, retrying the SMS after the endpoint answers 500', async () => {
    expect((await call('dept', 'PUT', '/notification-preferences', { channels: ['email', 'sms'], mode: 'immediate', email: 'dept@example.cn', phone: '13800138000' })).status).toBe(200);
    expect((await call('street', 'PUT', '/notification-preferences', { channels: ['email'], mode: 'immediate', email: 'street@example.cn', phone: null })).status).toBe(200);
    const bad = await call('rep', 'PUT', '/notification-preferences', { channels: ['sms'], mode: 'digest', email: 'nope', phone: '123' });
    expect(bad.status).toBe(400);
    expect([...new Set((bad.body as { details: { field: string }[] }).details.map((d) => d.field))].sort()).toEqual(['body.email', 'body.phone']);

    // A cycle started weeks after its submission deadline: the workflow sends 逾期督办 at once.
    const now = await env.currentTimeMs();
    const year = Number(shanghaiDate(new Date(now)).slice(0, 4));
    const em = app.orm.em.fork() as EntityManager;
    const cycle = em.create(Cycle, { type: 'dual_commitment', year, name: `${year}年度双向承诺`, scope: {}, settings: {}, status: 'running' } as never);
    const set = em.create(CommitmentSet, { cycle, organization: ids.org, year, workflowId: `dual-commitment/${ids.org}/${year}-notify` } as never);
    await em.flush();
    const plan = { ...gatePlan(year, resolveSettings(year, {}).settings), submissionDeadline: new Date(now - 10 * DAY_MS).toISOString(), evaluationEnd: new Date(now + 60 * DAY_MS).toISOString() };
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue: app.config.TEMPORAL_TASK_QUEUE, workflowId: set.workflowId, args: [{ setId: set.id, cycleId: cycle.id, organizationId: ids.org!, year, plan }],
    });
    await env.sleep(DAY_MS);

    fake.state.failNext = 1;
    const first = new Date();
    await deliverNow(app.orm.em.fork() as EntityManager, first);
    // The e-mails went out; the SMS endpoint answered 500 once.
    expect(smtp.mails.map((m) => [m.to[0], m.subject]).sort()).toEqual([['dept@example.cn', '双向承诺逾期督办'], ['street@example.cn', '双向承诺逾期督办']]);
    expect(smtp.mails[0]!.from).toContain('notice@example.cn');
    let inbox = (await call('dept', 'GET', '/notifications')).body as InboxBody;
    const deliveriesOf = (body: InboxBody) => Object.fromEntries(body.items.find((i) => i.title === '双向承诺逾期督办')!.deliveries.map((d) => [d.channel, d]));
    expect(deliveriesOf(inbox).email).toMatchObject({ status: 'sent', attempts: 1 });
    expect(deliveriesOf(inbox).sms).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('500') });
    expect(fake.requests).toHaveLength(1);

    // Not before its back-off (one minute) …
    await deliverNow(app.orm.em.fork() as EntityManager, new Date(first.getTime() + 30_000));
    expect(fake.requests).toHaveLength(1);
    // … then the retry goes through, with the template code and parameters the SMS service requires.
    await deliverNow(app.orm.em.fork() as EntityManager, new Date(first.getTime() + 61_000));
    expect(fake.requests).toHaveLength(2);
    const sms = fake.requests[1]!;
    expect(sms.url.searchParams.get('PhoneNumbers')).toBe('13800138000');
    expect(sms.url.searchParams.get('SignName')).toBe('党建');
    expect(sms.url.searchParams.get('TemplateCode')).toBe('SMS_100');
    expect(JSON.parse(sms.url.searchParams.get('TemplateParam')!)).toEqual({ title: '双向承诺逾期督办', count: '1' });
    // Signed with the access key (the secret itself never travels).
    expect(String(sms.headers.authorization)).toContain('LTAI-test');
    expect(JSON.stringify(sms.headers) + sms.url.search).not.toContain(SMS_SECRET);
    inbox = (await call('dept', 'GET', '/notifications')).body as InboxBody;
    expect(deliveriesOf(inbox).sms).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    // Sent once each: another round sends nothing again.
    await deliverNow(app.orm.em.fork() as EntityManager, new Date(first.getTime() + 3_600_000));
    expect(fake.requests).toHaveLength(2);
    expect(smtp.mails).toHaveLength(2);

    // The department sees each delivery, the address masked.
    const department = (await call('dept', 'GET', '/notification-deliveries?channel=sms')).body as { items: { address: string; status: string }[]; counts: Record<string, number> };
    expect(department.items).toEqual([expect.objectContaining({ address: '138****8000', status: 'sent' })]);
    expect(department.counts).toEqual({ sent: 1 });
    await handle.terminate('test done');
    await harness.replay(set.workflowId);
  }, 120_000);

  it('folds a storm of notices to one person into one evening digest', async () => {
    smtp.mails.length = 0;
    // The street already had one message today: two more go at once, the rest wait for 18:00.
    const em = app.orm.em.fork() as EntityManager;
    for (let i = 1; i <= 5; i += 1) notify(em, { recipientAccountId: accounts.street!, kind: 'deadline_reminder', title: `提醒${i}`, body: `第${i}条提醒` });
    await em.flush();
    const now = new Date();
    await deliverNow(app.orm.em.fork() as EntityManager, now);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['提醒1', '提醒2']);
    const evening = digestTime(now.getTime());
    await deliverNow(app.orm.em.fork() as EntityManager, new Date(evening.getTime() - 1000));
    expect(smtp.mails).toHaveLength(2);
    await deliverNow(app.orm.em.fork() as EntityManager, evening);
    expect(smtp.mails).toHaveLength(3);
    expect(smtp.mails[2]!.subject).toBe('今日通知汇总（3条）');
    expect(smtp.mails[2]!.text).toContain('提醒3');
    expect(smtp.mails[2]!.text).toContain('提醒5');
    const inbox = (await call('street', 'GET', '/notifications')).body as InboxBody;
    expect(inbox.items.find((i) => i.title === '提醒4')!.deliveries).toEqual([expect.objectContaining({ channel: 'email', status: 'sent', digest: true })]);
  }, 60_000);
});
