// SMS through the providers' official SDKs: Aliyun (dysmsapi 2017-05-25) and Tencent Cloud
// (sms 2021-01-11). Both send a template approved by the service, never free text: the setting
// templateCode is Aliyun's template code (SMS_…, named variables ${title} and ${count}) or
// Tencent's numeric template ID (positional variables {1} = title, {2} = count). The endpoint and
// protocol are settings, so tests point them at a local fake.
import * as dysms from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import tencentcloud from 'tencentcloud-sdk-nodejs-sms';

export const SMS_PROVIDERS = ['aliyun', 'tencent'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

export const SMS_DEFAULT_ENDPOINTS: Record<SmsProvider, string> = {
  aliyun: 'dysmsapi.aliyuncs.com',
  tencent: 'sms.tencentcloudapi.com',
};
/** Tencent's SMS is served from these regions; the SDK needs one. */
export const TENCENT_DEFAULT_REGION = 'ap-guangzhou';

type Settings = Record<string, string | number | boolean>;
export interface SmsMessage { subject: string; count: number }

const TIMEOUT_MS = 10_000;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export const smsProviderOf = (settings: Settings): SmsProvider => (settings.provider === 'tencent' ? 'tencent' : 'aliyun');

/** Template variables are short: the title cut to 20 characters (both services limit a variable's length). */
export function smsParams(message: SmsMessage): Record<string, string> {
  return { title: [...message.subject].slice(0, 20).join(''), count: String(message.count) };
}

/** Sends one SMS; throws with a readable reason when the service refuses or is unreachable. */
export async function sendSms(settings: Settings, secrets: Record<string, string>, to: string, message: SmsMessage): Promise<{ messageId: string | null }> {
  return smsProviderOf(settings) === 'tencent' ? sendTencent(settings, secrets, to, message) : sendAliyun(settings, secrets, to, message);
}

async function sendAliyun(settings: Settings, secrets: Record<string, string>, to: string, message: SmsMessage) {
  const config = new $OpenApiUtil.Config({
    accessKeyId: str(settings.accessKeyId),
    accessKeySecret: secrets.accessKeySecret ?? '',
    endpoint: str(settings.endpoint) || SMS_DEFAULT_ENDPOINTS.aliyun,
    protocol: settings.protocol === 'http' ? 'http' : 'https',
    readTimeout: TIMEOUT_MS,
    connectTimeout: TIMEOUT_MS,
  });
  // The SDK is CommonJS: its client class is the module's `default` export.
  const client = new dysms.default.default(config);
  const request = new dysms.SendSmsRequest({
    phoneNumbers: to, signName: str(settings.signName), templateCode: str(settings.templateCode), templateParam: JSON.stringify(smsParams(message)),
  });
  const answer = await client.sendSms(request);
  if (answer.body?.code !== 'OK') throw new Error(`短信服务拒绝：${answer.body?.code ?? answer.statusCode} ${answer.body?.message ?? ''}`.trim());
  return { messageId: answer.body.bizId ?? null };
}

/** A mainland number as Tencent wants it (E.164): +86 and the 11 digits. */
const e164 = (phone: string) => (phone.startsWith('+') ? phone : `+86${phone}`);

async function sendTencent(settings: Settings, secrets: Record<string, string>, to: string, message: SmsMessage) {
  const client = new tencentcloud.sms.v20210111.Client({
    credential: { secretId: str(settings.accessKeyId), secretKey: secrets.accessKeySecret ?? '' },
    region: str(settings.region) || TENCENT_DEFAULT_REGION,
    profile: {
      httpProfile: {
        endpoint: str(settings.endpoint) || SMS_DEFAULT_ENDPOINTS.tencent,
        protocol: settings.protocol === 'http' ? 'http://' : 'https://',
        reqTimeout: TIMEOUT_MS / 1000,
      },
    },
  });
  const params = smsParams(message);
  let answer: Awaited<ReturnType<typeof client.SendSms>>;
  try {
    answer = await client.SendSms({
      PhoneNumberSet: [e164(to)],
      SmsSdkAppId: str(settings.sdkAppId),
      SignName: str(settings.signName),
      TemplateId: str(settings.templateCode),
      TemplateParamSet: [params.title!, params.count!],
    });
  } catch (error) {
    // The SDK's exception carries the service's code (AuthFailure…, FailedOperation…) or the HTTP status.
    const e = error as { code?: string; httpCode?: number; message?: string };
    throw new Error(`短信服务拒绝：${e.code || (e.httpCode ? `HTTP ${e.httpCode}` : '')} ${e.message ?? ''}`.trim());
  }
  // One status per number: "Ok", or why that number was refused.
  const status = answer.SendStatusSet?.[0];
  if (!status || status.Code !== 'Ok') throw new Error(`短信服务拒绝：${status?.Code ?? '无发送结果'} ${status?.Message ?? ''}`.trim());
  return { messageId: status.SerialNo ?? null };
}
