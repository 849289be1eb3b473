// The department's notice channels and the audit log in headless Chromium: the organization
// department switches e-mail on (a refused save names the missing field in Chinese), sends a test
// message that the local SMTP server receives, sees it in the delivery list; switches SMS to
// Tencent Cloud (its own fields, the missing SmsSdkAppId named in Chinese) and sends a test SMS
// that the local fake endpoint receives through Tencent's SDK; a person chooses
// how notices reach them; the audit log shows the channel change (its secret never in it) and
// its verify button says the chain is intact. Screenshots go to test-screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startFakeHttp, startFakeSmtp } from '../support/fake-delivery.ts';
import { PASSWORD, fill, look, openBrowser, waitText, type BrowserSession } from '../support/browser.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { Account } from '../../domain/entities/account.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';

const SMTP_PASS = 'smtp-browser-secret-42';
let app: TestApp;
let browsing: BrowserSession;
let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
let fake: Awaited<ReturnType<typeof startFakeHttp>>;

beforeAll(async () => {
  const [started, launched, mail, http] = await Promise.all([
    startTestApp(), openBrowser('notify'), startFakeSmtp({ user: 'notice', pass: SMTP_PASS }), startFakeHttp(),
  ]);
  fake = http;
  app = started;
  browsing = launched;
  smtp = mail;
  const em = app.orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'd1', name: '测试区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共测试区委' } as never);
  district.path = `${district.id}/`;
  const passwordHash = await hashPassword(PASSWORD);
  const dept = em.create(Account, { login: 'dept', displayName: '测试区委组织部', passwordHash } as never);
  em.create(RoleAssignment, { account: dept, role: 'org_department', unit: district } as never);
  await em.flush();
  await browsing.serve(app.server);
}, 180_000);

afterAll(async () => {
  await browsing?.close();
  await app?.close();
  await smtp?.close();
  await fake?.close();
});

/** Each page of the walk into test-screenshots/notify-<name>.png. */
const shot = (page: Page, name: string) => look(page, `notify-${name}`);

describe('notice channels and the audit log in the browser', () => {
  it('the department sets up e-mail, sends a test message and finds the change in the audit log', async () => {
    const page = await browsing.signIn('dept');
    await browsing.step('walk', () => walk(page));
  }, 180_000);
});

async function walk(page: Page) {
    await page.locator('[data-menu=notification-channels]').click();
    await waitText(page, '通知渠道设置');
    const form = '[data-channel=email]';
    await page.locator(`${form} [data-test=enable-email]`).click();
    await fill(page, `${form} [data-setting=host]`, '127.0.0.1');
    // Saving without a sender is refused, the field named in Chinese.
    await page.locator(`${form} [data-test=save-email]`).click();
    await waitText(page, '填写的内容有误', '[data-test=channel-error]');
    await shot(page, 'channels-refused');
    await fill(page, `${form} [data-setting=from]`, '测试区委组织部 <notice@example.cn>');
    await fill(page, `${form} [data-setting=user]`, 'notice');
    await fill(page, `${form} [data-secret=password]`, SMTP_PASS);
    // The port: the local SMTP server's.
    const port = await page.waitForSelector(`${form} .el-input-number input`);
    await port!.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await port!.type(String(smtp.port));
    await page.keyboard.press('Tab');
    await page.locator(`${form} [data-test=save-email]`).click();
    await page.waitForSelector(`${form} [data-secret=password][placeholder^="已设置"]`);
    await fill(page, `${form} [data-test=test-to-email]`, 'tester@example.cn');
    await page.locator(`${form} [data-test=test-email]`).click();
    await waitText(page, '测试消息已发出', '[data-test=test-result-email]');
    expect(smtp.mails.map((m) => [m.to[0], m.subject, m.user])).toEqual([['tester@example.cn', '测试消息', 'notice']]);
    await shot(page, 'channels');

    await tencentSms(page);

    await page.locator('[data-menu=notification-preferences]').click();
    await waitText(page, '消息接收设置');
    await page.waitForSelector('[data-channel=email]');
    await fill(page, '[data-test=pref-phone]', '12345');
    await page.locator('[data-test=save-preferences]').click();
    await waitText(page, '填写的内容有误');
    await fill(page, '[data-test=pref-phone]', '13800138000');
    await fill(page, '[data-test=pref-email]', 'dept@example.cn');
    await page.locator('[data-test=save-preferences]').click();
    await waitText(page, '接收设置已保存');
    await shot(page, 'preferences');

    await page.locator('[data-menu=audit]').click();
    await waitText(page, 'notification_channel.save', '[data-test=audit]');
    const body = await page.$eval('[data-test=audit]', (e) => (e as unknown as { innerText: string }).innerText);
    expect(body).not.toContain(SMTP_PASS);
    await page.locator('[data-test=verify]').click();
    await waitText(page, '校验通过', '[data-test=verify-result]');
    await shot(page, 'audit');
}

/** SMS through Tencent Cloud: its fields appear when chosen, a missing SmsSdkAppId is named, a test SMS reaches the fake endpoint. */
async function tencentSms(page: Page) {
  await page.locator('#tab-sms').click();
  const form = '[data-channel=sms]';
  await page.locator(`${form} [data-test=enable-sms]`).click();
  await page.locator(`${form} [data-provider=tencent]`).click();
  await waitText(page, 'SmsSdkAppId', form);
  await waitText(page, '{1}', '[data-test=sms-template-hint]');
  await fill(page, `${form} [data-setting=endpoint]`, `127.0.0.1:${fake.port}`);
  await page.locator(`${form} .el-select`).click();
  await page.locator('::-p-xpath(//li[contains(@class, "el-select-dropdown__item")][contains(., "http（仅测试）")])').click();
  await fill(page, `${form} [data-setting=accessKeyId]`, 'AKID-browser');
  await fill(page, `${form} [data-setting=signName]`, '测试区委组织部');
  await fill(page, `${form} [data-setting=templateCode]`, '2045678');
  await fill(page, `${form} [data-secret=accessKeySecret]`, 'tencent-browser-key');
  await page.locator(`${form} [data-test=save-sms]`).click();
  await waitText(page, '开启该渠道必须填写', form);
  await shot(page, 'channels-tencent-refused');
  await fill(page, `${form} [data-setting=sdkAppId]`, '1400123456');
  await page.locator(`${form} [data-test=save-sms]`).click();
  await page.waitForSelector(`${form} [data-secret=accessKeySecret][placeholder^="已设置"]`);
  await fill(page, `${form} [data-test=test-to-sms]`, '13800138000');
  await page.locator(`${form} [data-test=test-sms]`).click();
  await waitText(page, '测试消息已发出', '[data-test=test-result-sms]');
  await shot(page, 'channels-tencent-sms');
  const sent = fake.requests.filter((r) => r.headers['x-tc-action'] === 'SendSms');
  expect(sent.map((r) => JSON.parse(r.body) as Record<string, unknown>)).toEqual([
    expect.objectContaining({ PhoneNumberSet: ['+8613800138000'], SmsSdkAppId: '1400123456', TemplateId: '2045678', TemplateParamSet: ['测试消息', '1'] }),
  ]);
}
