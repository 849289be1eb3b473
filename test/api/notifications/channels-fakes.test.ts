// The channels that go out over HTTP, against one local endpoint standing in for each service:
// Tencent Cloud SMS through its official SDK (template ID, SmsSdkAppId, positional parameters,
// TC3 signature), the 钉钉 robot signed as 钉钉 checks it, the 企业微信 robot; a service's refusal
// kept as the delivery's error; retries with back-off 1, 4, 16, 64, 256 minutes ending failed after
// the sixth attempt; a digest person's notices folded into one robot message at 18:00.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { grantWithToken, httpCaller } from '../../support/cycle-harness.ts';
import { startFakeHttp, type ReceivedRequest } from '../../support/fake-delivery.ts';
import { unitMaker } from '../../support/fixtures.ts';
import { notify } from '../../../domain/notifications/notify.ts';
import { deliverNow, digestTime } from '../../../domain/notifications/delivery.ts';

let app: TestApp;
let fake: Awaited<ReturnType<typeof startFakeHttp>>;
const tokens: Record<string, string> = {};
const accounts: Record<string, string> = {};
const SECRET_KEY = 'tencent-secret-key-5d2b';
const SIGN_SECRET = 'SEC0123456789abcdef';

beforeAll(async () => {
  [app, fake] = await Promise.all([startTestApp(), startFakeHttp()]);
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('d1', '测试区', 'district', null);
  const street = unit('s1', '东街道', 'street', district);
  const community = unit('c1', '东社区', 'community', street);
  const grant = (login: string, role: string, where: unknown) => {
    accounts[login] = grantWithToken(em, tokens, login, role, { unit: where }).id;
  };
  grant('dept', 'org_department', district);
  grant('sms-person', 'street_committee', street);
  grant('ding-person', 'community_committee', community);
  grant('wecom-person', 'community_committee', community);
  grant('unlucky', 'street_committee', street);
  grant('digest-person', 'community_committee', community);
  await em.flush();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await fake?.close();
});

const call = (login: string, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);
type Delivery = { channel: string; status: string; attempts: number; lastError: string | null; digest: boolean };
const deliveriesOf = async (login: string, title: string) => {
  const inbox = (await call(login, 'GET', '/notifications')).body as { items: { title: string; deliveries: Delivery[] }[] };
  return inbox.items.find((i) => i.title === title)!.deliveries;
};
async function send(login: string, title: string, body: string, at: Date) {
  const em = app.orm.em.fork() as EntityManager;
  notify(em, { recipientAccountId: accounts[login]!, kind: 'deadline_reminder', title, body, link: '/todo' });
  await em.flush();
  await deliverNow(app.orm.em.fork() as EntityManager, at);
}
const deliver = (at: Date) => deliverNow(app.orm.em.fork() as EntityManager, at);
const prefer = async (login: string, channels: string[], phone: string, mode = 'immediate') =>
  expect((await call(login, 'PUT', '/notification-preferences', { channels, mode, email: null, phone })).status).toBe(200);
/** The requests since `from` (of one person's messages when `about` is given: earlier tests' retries come due meanwhile). */
const newRequests = (from: number, about?: string): ReceivedRequest[] => fake.requests.slice(from).filter((r) => !about || r.body.includes(about));

describe('notices over the SMS and robot services (local fakes)', () => {
  it('sends SMS through Tencent Cloud’s SDK with the template ID, application ID and positional parameters', async () => {
    const settings = { provider: 'tencent', endpoint: `127.0.0.1:${fake.port}`, protocol: 'http', accessKeyId: 'AKID-test-0001', signName: '测试区委组织部', templateCode: 'SMS_1' };
    const refused = await call('dept', 'PUT', '/notification-channels/sms', { enabled: true, settings, secrets: { accessKeySecret: SECRET_KEY } });
    expect(refused.status).toBe(400);
    expect((refused.body as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual(['body.settings.sdkAppId', 'body.settings.templateCode']);
    const saved = await call('dept', 'PUT', '/notification-channels/sms', {
      enabled: true, settings: { ...settings, templateCode: '2045678', sdkAppId: '1400123456' }, secrets: { accessKeySecret: SECRET_KEY },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ kind: 'sms', enabled: true, settings: { provider: 'tencent', sdkAppId: '1400123456' }, secretsSet: ['accessKeySecret'] });
    expect(JSON.stringify(saved.body)).not.toContain(SECRET_KEY);
    await prefer('sms-person', ['sms'], '13900139000');

    const from = fake.requests.length;
    await send('sms-person', '双向承诺逾期督办：请尽快审核东街道的承诺书', '3 份承诺书已超过审核截止日', new Date());
    const [request] = newRequests(from, '13900139000');
    expect(newRequests(from, '13900139000')).toHaveLength(1);
    expect(request!.method).toBe('POST');
    expect(request!.headers['x-tc-action']).toBe('SendSms');
    expect(request!.headers['x-tc-version']).toBe('2021-01-11');
    expect(request!.headers['x-tc-region']).toBe('ap-guangzhou');
    // Signed with the SecretId (TC3-HMAC-SHA256); the SecretKey itself never travels.
    expect(String(request!.headers.authorization)).toMatch(/^TC3-HMAC-SHA256 Credential=AKID-test-0001\/\d{4}-\d{2}-\d{2}\//);
    expect(JSON.stringify(request!.headers) + request!.body).not.toContain(SECRET_KEY);
    expect(JSON.parse(request!.body)).toEqual({
      PhoneNumberSet: ['+8613900139000'], SmsSdkAppId: '1400123456', SignName: '测试区委组织部', TemplateId: '2045678',
      // {1} the title cut to 20 characters, {2} how many notices the message carries.
      TemplateParamSet: ['双向承诺逾期督办：请尽快审核东街道的承诺', '1'],
    });
    expect(await deliveriesOf('sms-person', '双向承诺逾期督办：请尽快审核东街道的承诺书')).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent', attempts: 1 })]);
  }, 60_000);

  it('keeps Tencent’s refusal of a number as the error and sends on the retry', async () => {
    fake.state.refuseNext = 1;
    const first = new Date();
    const from = fake.requests.length;
    await send('sms-person', '星级评定自评提醒', '请在 10 月 31 日前提交自评', first);
    expect(await deliveriesOf('sms-person', '星级评定自评提醒')).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, lastError: expect.stringContaining('LimitExceeded.PhoneNumberDailyLimit') }),
    ]);
    await deliver(new Date(first.getTime() + 61_000));
    expect(newRequests(from, '13900139000')).toHaveLength(2);
    expect(await deliveriesOf('sms-person', '星级评定自评提醒')).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, lastError: null })]);
  }, 60_000);

  it('posts to the signed 钉钉 robot: access_token, timestamp and the HMAC-SHA256 sign 钉钉 checks, the person @-mentioned', async () => {
    const saved = await call('dept', 'PUT', '/notification-channels/dingtalk', {
      enabled: true, settings: { endpoint: `http://127.0.0.1:${fake.port}/robot/send` }, secrets: { accessToken: 'ding-token-1', signSecret: SIGN_SECRET },
    });
    expect(saved.status).toBe(200);
    await prefer('ding-person', ['dingtalk'], '13700137000');
    const now = new Date();
    const from = fake.requests.length;
    await send('ding-person', '第一书记打卡待确认', '李明 11 月 28 日的打卡待社区确认', now);
    const [request] = newRequests(from, '13700137000');
    expect(newRequests(from, '13700137000')).toHaveLength(1);
    expect(request!.url.pathname).toBe('/robot/send');
    expect(request!.url.searchParams.get('access_token')).toBe('ding-token-1');
    // What 钉钉 verifies: the timestamp within the hour, and sign = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
    const timestamp = request!.url.searchParams.get('timestamp')!;
    expect(Number(timestamp)).toBe(now.getTime());
    expect(request!.url.searchParams.get('sign')).toBe(createHmac('sha256', SIGN_SECRET).update(`${timestamp}\n${SIGN_SECRET}`).digest('base64'));
    expect(request!.body).not.toContain(SIGN_SECRET);
    expect(JSON.parse(request!.body)).toEqual({
      msgtype: 'text', text: { content: '第一书记打卡待确认\n李明 11 月 28 日的打卡待社区确认\n/todo' }, at: { atMobiles: ['13700137000'], isAtAll: false },
    });
    expect(await deliveriesOf('ding-person', '第一书记打卡待确认')).toEqual([expect.objectContaining({ channel: 'dingtalk', status: 'sent' })]);

    // 钉钉 answering errcode 310000 (bad signature) is the delivery's error, retried later.
    fake.state.refuseNext = 1;
    await send('ding-person', '第一书记月度考勤已结算', '10 月考勤表已生成', now);
    expect(await deliveriesOf('ding-person', '第一书记月度考勤已结算')).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, lastError: '钉钉机器人拒绝：310000 sign not match' }),
    ]);
    await deliver(new Date(now.getTime() + 61_000));
    expect(await deliveriesOf('ding-person', '第一书记月度考勤已结算')).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, lastError: null })]);
  }, 60_000);

  it('posts to the 企业微信 robot with its key and the person’s mobile mentioned', async () => {
    expect((await call('dept', 'PUT', '/notification-channels/wecom', {
      enabled: true, settings: { endpoint: `http://127.0.0.1:${fake.port}/cgi-bin/webhook/send` }, secrets: { key: 'wecom-key-9' },
    })).status).toBe(200);
    await prefer('wecom-person', ['wecom'], '13600136000');
    const from = fake.requests.length;
    await send('wecom-person', '季度述评待评分', '第 1 季度述评已提交，请评分', new Date());
    const [request] = newRequests(from, '13600136000');
    expect(newRequests(from, '13600136000')).toHaveLength(1);
    expect(request!.url.pathname).toBe('/cgi-bin/webhook/send');
    expect(request!.url.searchParams.get('key')).toBe('wecom-key-9');
    expect(JSON.parse(request!.body)).toEqual({
      msgtype: 'text', text: { content: '季度述评待评分\n第 1 季度述评已提交，请评分\n/todo', mentioned_mobile_list: ['13600136000'] },
    });
  }, 60_000);

  it('retries after 1, 4, 16, 64 and 256 minutes and marks the delivery failed after the sixth attempt', async () => {
    await prefer('unlucky', ['wecom'], '13500135000');
    fake.state.failNext = 1000;
    const from = fake.requests.length;
    const start = new Date();
    await send('unlucky', '年终考核测评提醒', '请组织群众测评', start);
    expect(newRequests(from, '13500135000')).toHaveLength(1);
    let at = start.getTime();
    for (const [i, minutes] of [1, 4, 16, 64, 256].entries()) {
      const due = at + minutes * 60_000;
      // Not a moment before its back-off …
      await deliver(new Date(due - 1000));
      expect(newRequests(from, '13500135000')).toHaveLength(i + 1);
      const [waiting] = await deliveriesOf('unlucky', '年终考核测评提醒');
      expect(waiting).toMatchObject({ status: 'pending', attempts: i + 1, lastError: 'HTTP 500' });
      // … and then once.
      await deliver(new Date(due));
      expect(newRequests(from, '13500135000')).toHaveLength(i + 2);
      at = due;
    }
    expect(await deliveriesOf('unlucky', '年终考核测评提醒')).toEqual([expect.objectContaining({ channel: 'wecom', status: 'failed', attempts: 6, lastError: 'HTTP 500' })]);
    // Failed is final: a day later nothing is sent again.
    await deliver(new Date(at + 86_400_000));
    expect(newRequests(from, '13500135000')).toHaveLength(6);
    fake.state.failNext = 0;
    // The department's delivery list shows it failed, the mobile masked.
    const list = (await call('dept', 'GET', '/notification-deliveries?status=failed')).body as { items: { address: string; title: string; attempts: number }[] };
    expect(list.items).toEqual([expect.objectContaining({ title: '年终考核测评提醒', address: '135****5000', attempts: 6 })]);
  }, 60_000);

  it('folds a digest person’s notices into one 钉钉 message at 18:00', async () => {
    await prefer('digest-person', ['dingtalk'], '13300133000', 'digest');
    const now = new Date();
    const from = fake.requests.length;
    const em = app.orm.em.fork() as EntityManager;
    for (const i of [1, 2, 3]) notify(em, { recipientAccountId: accounts['digest-person']!, kind: 'deadline_reminder', title: `待办提醒${i}`, body: `第${i}件待办` });
    await em.flush();
    await deliver(now);
    const evening = digestTime(now.getTime());
    await deliver(new Date(evening.getTime() - 1000));
    expect(newRequests(from, '13300133000')).toHaveLength(0);
    await deliver(evening);
    expect(newRequests(from, '13300133000')).toHaveLength(1);
    const content = (JSON.parse(newRequests(from, '13300133000')[0]!.body) as { text: { content: string } }).text.content;
    expect(content).toContain('今日通知汇总（3条）');
    for (const i of [1, 2, 3]) expect(content).toContain(`待办提醒${i}`);
    expect(await deliveriesOf('digest-person', '待办提醒2')).toEqual([expect.objectContaining({ channel: 'dingtalk', status: 'sent', digest: true })]);
  }, 60_000);
});
