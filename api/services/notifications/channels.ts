// The department's channels: read (secrets named, never returned), written (secrets sealed,
// audited without their values), tested (one message to an address the caller gives).
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, type Principal } from '../../../domain/auth/principal.ts';
import { isAdmin, requireUnitInScope, scopeOf } from '../../../domain/auth/scope.ts';
import { badRequest, conflict, notFound, type ErrorDetail } from '../../../domain/errors.ts';
import { CHANNEL_FIELDS, CHANNEL_KINDS, sendOn, type ChannelKind, type ChannelSettings } from '../../../domain/notifications/channels.ts';
import { openSecrets, sealSecrets } from '../../../domain/notifications/secret-box.ts';
import { SMS_PROVIDERS, smsProviderOf } from '../../../domain/notifications/sms.ts';
import type { Clock } from '../../../domain/clock.ts';

export interface Caller { em: EntityManager; principal: Principal; clock: Clock }

/** The department whose channels the caller manages: the given unit (in scope) or the caller's own. */
export async function departmentUnit(caller: Caller, unitId: string | undefined): Promise<{ id: string; name: string; path: string }> {
  const { em, principal } = caller;
  type Unit = { id: string; name: string; path: string };
  if (unitId) {
    const [unit] = await em.execute<Unit[]>('select id, name, path from administrative_unit where id = ?', [unitId]);
    if (!unit) throw notFound('unit');
    requireUnitInScope(scopeOf(principal, ['org_department']), unit.path);
    return unit;
  }
  const own = principal.grants.find((g) => g.role === 'org_department' && g.unitId);
  const [unit] = own
    ? await em.execute<Unit[]>('select id, name, path from administrative_unit where id = ?', [own.unitId])
    : isAdmin(principal)
      ? await em.execute<Unit[]>('select id, name, path from administrative_unit where parent_id is null order by path limit 1')
      : [];
  if (!unit) throw notFound('unit');
  return unit;
}

interface Row { kind: ChannelKind; enabled: boolean; settings: ChannelSettings; secrets: string | null; updated_at: Date | null }

const dto = (em: EntityManager, unitId: string, kind: ChannelKind, row: Row | undefined) => ({
  kind,
  unitId,
  enabled: row?.enabled ?? false,
  settings: row?.settings ?? {},
  secretsSet: Object.entries(openSecrets(em, row?.secrets ?? null)).filter(([, v]) => v !== '').map(([k]) => k),
  fields: { settings: [...CHANNEL_FIELDS[kind].settings], secrets: [...CHANNEL_FIELDS[kind].secrets] },
  updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
});

async function rowsOf(em: EntityManager, unitId: string): Promise<Map<ChannelKind, Row>> {
  const rows = await em.execute<Row[]>('select kind, enabled, settings, secrets, updated_at from notification_channel where unit_id = ?', [unitId]);
  return new Map(rows.map((r) => [r.kind, r]));
}

export async function listChannels(caller: Caller, unitId: string | undefined) {
  const unit = await departmentUnit(caller, unitId);
  const rows = await rowsOf(caller.em, unit.id);
  return { unitId: unit.id, unitName: unit.name, items: CHANNEL_KINDS.map((kind) => dto(caller.em, unit.id, kind, rows.get(kind))) };
}

/** What a switched-on channel cannot do without. */
const REQUIRED: Record<ChannelKind, { settings: string[]; secrets: string[] }> = {
  email: { settings: ['host', 'port', 'from'], secrets: [] },
  sms: { settings: ['accessKeyId', 'signName', 'templateCode'], secrets: ['accessKeySecret'] },
  dingtalk: { settings: [], secrets: ['accessToken'] },
  wecom: { settings: [], secrets: ['key'] },
};

type ChannelInput = { enabled: boolean; settings: ChannelSettings; secrets?: Record<string, string> };

/** What each SMS provider needs besides the common fields: Tencent's template ID is numeric and it needs the SMS application's ID. */
function checkSms(body: ChannelInput, details: ErrorDetail[]): void {
  const { provider, templateCode, sdkAppId } = body.settings;
  if (provider !== undefined && !(SMS_PROVIDERS as readonly unknown[]).includes(provider)) {
    details.push({ field: 'body.settings.provider', rule: `must be one of ${SMS_PROVIDERS.join(', ')}` });
    return;
  }
  if (smsProviderOf(body.settings) !== 'tencent') return;
  if (templateCode !== undefined && templateCode !== '' && !/^\d{1,20}$/.test(String(templateCode))) {
    details.push({ field: 'body.settings.templateCode', rule: 'must be the numeric template ID of Tencent Cloud SMS' });
  }
  if (sdkAppId !== undefined && sdkAppId !== '' && !/^\d{6,20}$/.test(String(sdkAppId))) {
    details.push({ field: 'body.settings.sdkAppId', rule: 'must be the numeric SmsSdkAppId of Tencent Cloud SMS' });
  }
  if (body.enabled && (sdkAppId === undefined || sdkAppId === '')) {
    details.push({ field: 'body.settings.sdkAppId', rule: 'is required to switch the channel on' });
  }
}

function checkChannel(kind: ChannelKind, body: ChannelInput, secrets: Record<string, string>): void {
  const details: ErrorDetail[] = [];
  if (kind === 'sms') checkSms(body, details);
  const fields = CHANNEL_FIELDS[kind];
  for (const key of Object.keys(body.settings)) {
    if (fields.settings.includes(key)) continue;
    details.push({ field: `body.settings.${key}`, rule: `not a setting of ${kind}; settings: ${fields.settings.join(', ')}` });
  }
  for (const key of Object.keys(body.secrets ?? {})) {
    if (!fields.secrets.includes(key)) details.push({ field: `body.secrets.${key}`, rule: `not a secret of ${kind}; secrets: ${fields.secrets.join(', ')}` });
  }
  const port = body.settings.port;
  if (port !== undefined && !(Number.isInteger(Number(port)) && Number(port) >= 1 && Number(port) <= 65535)) {
    details.push({ field: 'body.settings.port', rule: 'must be an integer from 1 to 65535' });
  }
  const endpoint = body.settings.endpoint;
  if (endpoint !== undefined && kind !== 'sms' && !/^https?:\/\/[^\s]+$/.test(String(endpoint))) {
    details.push({ field: 'body.settings.endpoint', rule: 'must be an http(s):// address' });
  }
  if (body.enabled) {
    for (const key of REQUIRED[kind].settings) {
      const value = body.settings[key];
      if (value === undefined || value === '') details.push({ field: `body.settings.${key}`, rule: 'is required to switch the channel on' });
    }
    for (const key of REQUIRED[kind].secrets) if (!secrets[key]) details.push({ field: `body.secrets.${key}`, rule: 'is required to switch the channel on' });
  }
  if (details.length > 0) throw badRequest('the channel settings are not valid', details);
}

export async function saveChannel(
  caller: Caller, kind: ChannelKind, body: { unitId?: string; enabled: boolean; settings: ChannelSettings; secrets?: Record<string, string> },
) {
  const unit = await departmentUnit(caller, body.unitId);
  return caller.em.transactional(async (em) => {
    const [current] = await em.execute<Row[]>(
      'select kind, enabled, settings, secrets, updated_at from notification_channel where unit_id = ? and kind = ? for update',
      [unit.id, kind],
    );
    const secrets = { ...openSecrets(em, current?.secrets ?? null) };
    for (const [key, value] of Object.entries(body.secrets ?? {})) {
      if (value === '') delete secrets[key];
      else secrets[key] = value;
    }
    checkChannel(kind, body, secrets);
    const now = caller.clock.now();
    await em.execute(
      `insert into notification_channel (unit_id, kind, enabled, settings, secrets, updated_at) values (?, ?, ?, ?::jsonb, ?, ?)
       on conflict (unit_id, kind) do update set enabled = excluded.enabled, settings = excluded.settings, secrets = excluded.secrets,
         updated_at = excluded.updated_at`,
      [unit.id, kind, body.enabled, JSON.stringify(body.settings), Object.keys(secrets).length > 0 ? sealSecrets(em, secrets) : null, now],
    );
    // The audit row names which secrets changed, never their values.
    await recordAudit(em, {
      actor: auditActor(caller.principal), action: 'notification_channel.save', entityType: 'notification_channel', entityId: unit.id,
      before: current ? { unitId: unit.id, kind, enabled: current.enabled, settings: current.settings } : null,
      after: { unitId: unit.id, kind, enabled: body.enabled, settings: body.settings, secretsChanged: Object.keys(body.secrets ?? {}) },
    });
    const rows = await rowsOf(em, unit.id);
    return dto(em, unit.id, kind, rows.get(kind));
  });
}

/** Sends one test message with the stored settings; answers what the service said. */
export async function testChannel(caller: Caller, kind: ChannelKind, body: { unitId?: string; to: string }, sandboxed: boolean) {
  if (sandboxed) throw conflict('the sandbox sends no messages outside the application', [], 'sandbox_no_delivery');
  const unit = await departmentUnit(caller, body.unitId);
  const row = (await rowsOf(caller.em, unit.id)).get(kind);
  if (!row) throw conflict(`the ${kind} channel has no settings yet: save them first`, [], 'channel_not_configured');
  if (kind === 'email' && !/^[^\s@]+@[^\s@]+$/.test(body.to)) {
    throw badRequest('not an e-mail address', [{ field: 'body.to', rule: 'must be an e-mail address' }]);
  }
  if (kind !== 'email' && !/^1[3-9][0-9]{9}$/.test(body.to)) {
    throw badRequest('not a mobile number', [{ field: 'body.to', rule: 'must be a mainland mobile number of 11 digits' }]);
  }
  const now = caller.clock.now();
  try {
    const message = { subject: '测试消息', text: `这是${unit.name}通知渠道的测试消息，收到即表示设置正确。`, count: 1 };
    await sendOn(kind, row.settings, openSecrets(caller.em, row.secrets), body.to, message, now.getTime());
    return { ok: true, error: null };
  } catch (error) {
    return { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
  }
}
