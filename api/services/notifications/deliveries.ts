// A person's delivery preferences, the deliveries of their notices (shown in the inbox), and the
// department's view of the deliveries through its channels.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CHANNEL_KINDS, type ChannelKind } from '../../../domain/notifications/channels.ts';
import { preferencesOf, type Preferences } from '../../../domain/notifications/delivery.ts';
import { departmentUnit, type Caller } from './channels.ts';

/** The channels switched on above the account's grants (or at the top, for unscoped accounts). */
async function availableFor(em: EntityManager, accountId: string): Promise<ChannelKind[]> {
  const rows = await em.execute<{ kind: ChannelKind }[]>(
    `select distinct c.kind from notification_channel c join administrative_unit cu on cu.id = c.unit_id where c.enabled and (
       exists (select 1 from role_assignment ra left join administrative_unit u on u.id = ra.unit_id
                 left join organization o on o.id = ra.organization_id left join administrative_unit ou on ou.id = o.unit_id
                where ra.account_id = ? and coalesce(u.path, ou.path) like cu.path || '%')
       or (cu.parent_id is null and not exists (
             select 1 from role_assignment ra where ra.account_id = ? and (ra.unit_id is not null or ra.organization_id is not null))))`,
    [accountId, accountId],
  );
  return CHANNEL_KINDS.filter((k) => rows.some((r) => r.kind === k));
}

export async function readPreferences(caller: Caller) {
  const prefs = await preferencesOf(caller.em, caller.principal.accountId);
  return { ...prefs, available: await availableFor(caller.em, caller.principal.accountId) };
}

export async function savePreferences(caller: Caller, body: Preferences) {
  await caller.em.execute(
    `insert into notification_preference (account_id, channels, mode, email, phone, updated_at) values (?, ?::text[], ?, ?, ?, ?)
     on conflict (account_id) do update set channels = excluded.channels, mode = excluded.mode, email = excluded.email, phone = excluded.phone,
       updated_at = excluded.updated_at`,
    [caller.principal.accountId, `{${body.channels.join(',')}}`, body.mode, body.email, body.phone, caller.clock.now()],
  );
  return readPreferences(caller);
}

interface DeliveryRow {
  id: string; notification_id: string | null; channel: ChannelKind; status: string; digest: boolean; attempts: number; last_error: string | null;
  next_attempt_at: Date; sent_at: Date | null;
}
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const deliveryDto = (r: DeliveryRow) => ({
  id: r.id, notificationId: r.notification_id, channel: r.channel, status: r.status as 'pending' | 'held' | 'sending' | 'sent' | 'failed',
  digest: r.digest, attempts: r.attempts,
  lastError: r.last_error, nextAttemptAt: iso(r.next_attempt_at)!, sentAt: iso(r.sent_at),
});

/** The deliveries of these notices, by notice id. */
export async function deliveriesOf(em: EntityManager, notificationIds: string[]) {
  const byNotice = new Map<string, ReturnType<typeof deliveryDto>[]>();
  if (notificationIds.length === 0) return byNotice;
  const rows = await em.execute<DeliveryRow[]>(
    `select id, notification_id, channel, status, digest, attempts, last_error, next_attempt_at, sent_at from notification_delivery
      where notification_id in (?) order by channel`,
    [notificationIds],
  );
  for (const row of rows) byNotice.set(row.notification_id!, [...(byNotice.get(row.notification_id!) ?? []), deliveryDto(row)]);
  return byNotice;
}

/** Masks an address for the department's list: 138****8000, z***@example.cn. */
export function maskAddress(address: string): string {
  if (/^1[0-9]{10}$/.test(address)) return `${address.slice(0, 3)}****${address.slice(7)}`;
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  return address;
}

export async function departmentDeliveries(
  caller: Caller, query: { unitId?: string; status?: string; channel?: string; limit: number; offset: number },
) {
  const unit = await departmentUnit(caller, query.unitId);
  const where = ['d.unit_id = ?'];
  const params: unknown[] = [unit.id];
  if (query.channel) {
    where.push('d.channel = ?');
    params.push(query.channel);
  }
  const counts = await caller.em.execute<{ status: string; n: string }[]>(
    `select d.status, count(*) as n from notification_delivery d where ${where.join(' and ')} group by d.status`,
    params,
  );
  if (query.status) {
    where.push('d.status = ?');
    params.push(query.status);
  }
  type Row = DeliveryRow & { display_name: string; title: string; address: string; created_at: Date };
  const rows = await caller.em.execute<Row[]>(
    `select d.id, d.notification_id, d.channel, d.status, d.digest, d.attempts, d.last_error, d.next_attempt_at, d.sent_at, d.address, d.created_at,
            coalesce(a.display_name, sc.holder, '') as display_name, coalesce(n.title, '测评码短信') as title
       from notification_delivery d left join account a on a.id = d.recipient_id left join notification n on n.id = d.notification_id
            left join survey_code sc on sc.id = d.survey_code_id
      where ${where.join(' and ')} order by d.created_at desc, d.id limit ? offset ?`,
    [...params, query.limit, query.offset],
  );
  const totals = await caller.em.execute<{ n: string }[]>(`select count(*) as n from notification_delivery d where ${where.join(' and ')}`, params);
  const total = totals[0]?.n ?? '0';
  return {
    items: rows.map((r) => ({ ...deliveryDto(r), recipient: r.display_name, title: r.title, address: maskAddress(r.address), createdAt: iso(r.created_at)! })),
    total: Number(total),
    limit: query.limit,
    offset: query.offset,
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
  };
}
