// The channels a department switches on and how each one sends: e-mail over SMTP (nodemailer),
// SMS through Aliyun's or Tencent Cloud's official SDK (sms.ts: a template and its parameters, as
// the services require), and 钉钉 / 企业微信 group robots (webhooks; 钉钉's signed with the robot's secret).
// Every endpoint is a setting, so tests and staging point them at local fakes.
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { sendSms, SMS_DEFAULT_ENDPOINTS, smsParams } from './sms.ts';

export { smsParams };

export const CHANNEL_KINDS = ['email', 'sms', 'dingtalk', 'wecom'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** The fields of each channel: plain settings (returned by the API) and secrets (never returned). */
export const CHANNEL_FIELDS: Record<ChannelKind, { settings: readonly string[]; secrets: readonly string[] }> = {
  email: { settings: ['host', 'port', 'secure', 'user', 'from'], secrets: ['password'] },
  // provider: aliyun (the default) or tencent; sdkAppId and region are Tencent's (SmsSdkAppId, ap-guangzhou…);
  // accessKeyId / accessKeySecret are Aliyun's AccessKey or Tencent's SecretId / SecretKey.
  sms: { settings: ['provider', 'endpoint', 'protocol', 'accessKeyId', 'signName', 'templateCode', 'sdkAppId', 'region'], secrets: ['accessKeySecret'] },
  dingtalk: { settings: ['endpoint'], secrets: ['accessToken', 'signSecret'] },
  wecom: { settings: ['endpoint'], secrets: ['key'] },
};

export const DEFAULT_ENDPOINTS: Partial<Record<ChannelKind, string>> = {
  sms: SMS_DEFAULT_ENDPOINTS.aliyun,
  dingtalk: 'https://oapi.dingtalk.com/robot/send',
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
};

export type ChannelSettings = Record<string, string | number | boolean>;

export interface OutgoingMessage {
  subject: string;
  text: string;
  /** How many notices this message carries (1, or a digest's count). */
  count: number;
}

/** Where a person is reached on a channel: an e-mail address, a mobile number (SMS, @ in a robot group). */
export interface Address {
  email: string | null;
  phone: string | null;
}

/** Which address a channel needs, or null when the person has none for it. */
export function addressFor(kind: ChannelKind, address: Address): string | null {
  if (kind === 'email') return address.email;
  if (kind === 'sms') return address.phone;
  // A group robot posts to the department's group; the person's mobile is @-mentioned when known.
  return address.phone ?? '-';
}

const TIMEOUT_MS = 10_000;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Sends one message; throws with a readable reason when the service refuses or is unreachable. */
export async function sendOn(
  kind: ChannelKind, settings: ChannelSettings, secrets: Record<string, string>, to: string, message: OutgoingMessage, nowMs: number,
): Promise<{ messageId: string | null }> {
  if (kind === 'email') return sendEmail(settings, secrets, to, message);
  if (kind === 'sms') return sendSms(settings, secrets, to, message);
  if (kind === 'dingtalk') return sendDingtalk(settings, secrets, to, message, nowMs);
  return sendWecom(settings, secrets, to, message);
}

async function sendEmail(settings: ChannelSettings, secrets: Record<string, string>, to: string, message: OutgoingMessage) {
  const user = str(settings.user);
  const transport = nodemailer.createTransport({
    host: str(settings.host),
    port: Number(settings.port) || 25,
    secure: settings.secure === true,
    auth: user ? { user, pass: secrets.password ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({ from: str(settings.from) || user, to, subject: message.subject, text: message.text });
    return { messageId: info.messageId ?? null };
  } finally {
    transport.close();
  }
}

async function postJson(url: string, body: unknown): Promise<{ errcode?: number; errmsg?: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as { errcode?: number; errmsg?: string };
}

const robotText = (message: OutgoingMessage) => `${message.subject}\n${message.text}`;

/** 钉钉 custom robot: access_token, and when the robot is signed, timestamp + HMAC-SHA256 sign. */
export function dingtalkUrl(settings: ChannelSettings, secrets: Record<string, string>, nowMs: number): string {
  const url = new URL(str(settings.endpoint) || DEFAULT_ENDPOINTS.dingtalk!);
  url.searchParams.set('access_token', secrets.accessToken ?? '');
  if (secrets.signSecret) {
    const sign = createHmac('sha256', secrets.signSecret).update(`${nowMs}\n${secrets.signSecret}`).digest('base64');
    url.searchParams.set('timestamp', String(nowMs));
    url.searchParams.set('sign', sign);
  }
  return url.toString();
}

async function sendDingtalk(settings: ChannelSettings, secrets: Record<string, string>, to: string, message: OutgoingMessage, nowMs: number) {
  const mobiles = to === '-' ? [] : [to];
  // The robot's signature carries the time: 钉钉 refuses one more than an hour off.
  const answer = await postJson(dingtalkUrl(settings, secrets, nowMs), {
    msgtype: 'text', text: { content: robotText(message) }, at: { atMobiles: mobiles, isAtAll: false },
  });
  if (answer.errcode !== 0) throw new Error(`钉钉机器人拒绝：${answer.errcode} ${answer.errmsg ?? ''}`.trim());
  return { messageId: null };
}

async function sendWecom(settings: ChannelSettings, secrets: Record<string, string>, to: string, message: OutgoingMessage) {
  const url = new URL(str(settings.endpoint) || DEFAULT_ENDPOINTS.wecom!);
  url.searchParams.set('key', secrets.key ?? '');
  const answer = await postJson(url.toString(), { msgtype: 'text', text: { content: robotText(message), mentioned_mobile_list: to === '-' ? [] : [to] } });
  if (answer.errcode !== 0) throw new Error(`企业微信机器人拒绝：${answer.errcode} ${answer.errmsg ?? ''}`.trim());
  return { messageId: null };
}
