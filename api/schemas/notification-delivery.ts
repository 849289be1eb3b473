// Notices that reach people: the department's channels, a person's preferences, deliveries.
import Type from 'typebox';
import { DateTime, Nullable, PageQuery, Uuid } from './common.ts';

export const ChannelKind = Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('dingtalk'), Type.Literal('wecom')], {
  description: 'email (SMTP), sms (Aliyun or Tencent Cloud SMS, settings.provider), dingtalk (钉钉 group robot), wecom (企业微信 group robot)',
});
export const KindParams = Type.Object({ kind: ChannelKind });
export const UnitQuery = Type.Object({
  unitId: Type.Optional(Uuid),
}, { additionalProperties: false, description: "the department's unit; default: the caller's organization department unit" });

const SettingValue = Type.Union([Type.String({ maxLength: 500 }), Type.Integer(), Type.Boolean()]);
const channelExample = {
  kind: 'email', unitId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a', enabled: true,
  settings: { host: 'smtp.example.cn', port: 465, secure: true, user: 'notice@example.cn', from: '组织部 <notice@example.cn>' },
  secretsSet: ['password'], fields: { settings: ['host', 'port', 'secure', 'user', 'from'], secrets: ['password'] }, updatedAt: '2026-11-21T08:00:00.000Z',
};
export const ChannelDto = Type.Object({
  kind: ChannelKind,
  unitId: Uuid,
  enabled: Type.Boolean(),
  settings: Type.Record(Type.String(), SettingValue),
  /** Names of the secrets that are set; their values are never returned. */
  secretsSet: Type.Array(Type.String()),
  fields: Type.Object({ settings: Type.Array(Type.String()), secrets: Type.Array(Type.String()) }),
  updatedAt: Nullable(DateTime),
}, { examples: [channelExample] });
export const ChannelList = Type.Object(
  { unitId: Uuid, unitName: Type.String(), items: Type.Array(ChannelDto) },
  { examples: [{ unitId: channelExample.unitId, unitName: '测试区', items: [channelExample] }] },
);

export const ChannelBody = Type.Object({
  unitId: Type.Optional(Uuid),
  enabled: Type.Boolean(),
  settings: Type.Record(Type.String({ maxLength: 40 }), SettingValue, { maxProperties: 10 }),
  /** Secrets to set; a secret left out keeps its stored value, an empty string clears it. */
  secrets: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 500 }), { maxProperties: 5 })),
}, { additionalProperties: false, examples: [{ enabled: true, settings: channelExample.settings, secrets: { password: '…' } }] });

export const TestBody = Type.Object({
  unitId: Type.Optional(Uuid),
  to: Type.String({ minLength: 1, maxLength: 200, description: 'e-mail address (email) or mobile number (sms, robots)' }),
}, { additionalProperties: false, examples: [{ to: 'me@example.cn' }] });
export const TestResult = Type.Object({ ok: Type.Boolean(), error: Nullable(Type.String()) }, { examples: [{ ok: true, error: null }] });

export const Preferences = Type.Object({
  channels: Type.Array(ChannelKind, { maxItems: 4, uniqueItems: true }),
  mode: Type.Union([Type.Literal('immediate'), Type.Literal('digest')], {
    description: 'immediate (at most 3 a day per channel, the rest in the evening digest) or digest (one message at 18:00)',
  }),
  email: Nullable(Type.String({ format: 'email', maxLength: 200 })),
  phone: Nullable(Type.String({ pattern: '^1[3-9][0-9]{9}$', description: 'a mainland mobile number of 11 digits' })),
}, { additionalProperties: false, examples: [{ channels: ['email', 'sms'], mode: 'immediate', email: 'me@example.cn', phone: '13800138000' }] });
export const PreferencesDto = Type.Object({
  ...Preferences.properties,
  /** The channels the person's department has switched on (others are never used). */
  available: Type.Array(ChannelKind),
}, { examples: [{ channels: ['email', 'sms'], mode: 'immediate', email: 'me@example.cn', phone: null, available: ['email'] }] });

const statuses = [Type.Literal('pending'), Type.Literal('held'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')] as const;
export const DeliveryStatus = Type.Union([...statuses], {
  description: 'pending (due), held (for the evening digest), sent, failed (after the last retry)',
});
const deliveryExample = {
  id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', notificationId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6f', channel: 'sms', status: 'sent', digest: false,
  attempts: 1, lastError: null, nextAttemptAt: '2026-11-21T08:00:00.000Z', sentAt: '2026-11-21T08:00:02.000Z',
};
export const DeliveryDto = Type.Object({
  id: Uuid, notificationId: Nullable(Uuid), channel: ChannelKind, status: DeliveryStatus, digest: Type.Boolean(), attempts: Type.Integer(),
  lastError: Nullable(Type.String()), nextAttemptAt: DateTime, sentAt: Nullable(DateTime),
}, { examples: [deliveryExample] });
export const DepartmentDelivery = Type.Object({
  ...DeliveryDto.properties, recipient: Type.String(), title: Type.String(), address: Type.String(), createdAt: DateTime,
}, { examples: [{ ...deliveryExample, recipient: '张三', title: '双向承诺逾期督办', address: '138****8000', createdAt: '2026-11-21T08:00:00.000Z' }] });
export const DeliveryQuery = Type.Object({
  unitId: Type.Optional(Uuid),
  status: Type.Optional(DeliveryStatus),
  channel: Type.Optional(ChannelKind),
  ...PageQuery,
}, { additionalProperties: false });
export const DeliveryPage = Type.Object({
  items: Type.Array(DepartmentDelivery), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'deliveries per status, the filters but status applied' }),
}, { examples: [{ items: [], total: 0, limit: 50, offset: 0, counts: { sent: 0 } }] });
