// The delivery service behind the inbox. `notify` writes a notice in the cycle's transaction
// (unchanged); the dispatcher then, durably through PostgreSQL (an outbox):
// 1. plans each new notice: one `notification_delivery` row per channel the recipient's
//    department has switched on and the person wants (unique per notice and channel, so a notice
//    is never planned or sent twice on a channel), due now, or held for the evening digest when
//    the person chose a digest or has already had IMMEDIATE_PER_DAY messages on it that day;
// 2. sends what is due, folding a person's held notices on a channel into one message, and on
//    failure retries with exponential back-off (1, 4, 16, 64 min, 4 h) until MAX_ATTEMPTS.
// A row may also carry a message addressed straight to a number (a survey roster's code): no notice,
// no account, its subject and text on the row until it is sent or given up, then cleared.
// A claimed row is leased (its next attempt moved LEASE_MS ahead) so a dispatcher that dies
// mid-send leaves it to be retried, never lost.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DAY_MS, shanghaiDate, startOfShanghaiDay } from '../time.ts';
import { addressFor, CHANNEL_KINDS, sendOn, type ChannelKind, type ChannelSettings, type OutgoingMessage } from './channels.ts';
import { openSecrets } from './secret-box.ts';

export const IMMEDIATE_PER_DAY = 3;
export const MAX_ATTEMPTS = 6;
export const DIGEST_HOUR = 18;
const LEASE_MS = 10 * 60_000;
const BATCH = 100;

/** Wait before attempt n+1 after n failed attempts: 1 min × 4^(n-1), at most 4 h 16 min. */
export const backoffMs = (failedAttempts: number): number => 60_000 * 4 ** Math.min(Math.max(failedAttempts - 1, 0), 4);

/** The evening digest (18:00 Shanghai) at or after `nowMs`. */
export function digestTime(nowMs: number): Date {
  const today = startOfShanghaiDay(shanghaiDate(nowMs)) + DIGEST_HOUR * 3_600_000;
  return new Date(nowMs <= today ? today : today + DAY_MS);
}

interface ChannelRow { id: string; unit_id: string; kind: ChannelKind; path: string; parent_id: string | null; settings: ChannelSettings; secrets: string | null }
export interface Preferences { channels: ChannelKind[]; mode: 'immediate' | 'digest'; email: string | null; phone: string | null }

/** A person's preferences, or the defaults: every channel, immediate, the person record's mobile. */
export async function preferencesOf(em: EntityManager, accountId: string): Promise<Preferences> {
  const [row] = await em.execute<{ channels: string[] | null; mode: string | null; email: string | null; phone: string | null; person_phone: string | null }[]>(
    `select np.channels, np.mode, np.email, np.phone, p.phone as person_phone from account a left join person p on p.id = a.person_id
      left join notification_preference np on np.account_id = a.id where a.id = ?`,
    [accountId],
  );
  return {
    channels: (row?.channels ?? [...CHANNEL_KINDS]) as ChannelKind[],
    mode: row?.mode === 'digest' ? 'digest' : 'immediate',
    email: row?.email ?? null,
    phone: row?.phone ?? row?.person_phone ?? null,
  };
}

/** Per kind, the switched-on channel of the department nearest above the recipient's grants. */
async function channelsFor(em: EntityManager, accountId: string, enabled: ChannelRow[]): Promise<Map<ChannelKind, ChannelRow>> {
  const grants = await em.execute<{ path: string | null }[]>(
    `select coalesce(u.path, ou.path) as path from role_assignment ra left join administrative_unit u on u.id = ra.unit_id
      left join organization o on o.id = ra.organization_id left join administrative_unit ou on ou.id = o.unit_id where ra.account_id = ?`,
    [accountId],
  );
  const paths = grants.flatMap((g) => (g.path ? [g.path] : []));
  const chosen = new Map<ChannelKind, ChannelRow>();
  for (const channel of enabled) {
    // Administrators and evaluators hold no unit: the top departments' channels reach them.
    const applies = paths.length > 0 ? paths.some((p) => p.startsWith(channel.path)) : channel.parent_id === null;
    const current = chosen.get(channel.kind);
    if (applies && (!current || channel.path.length > current.path.length)) chosen.set(channel.kind, channel);
  }
  return chosen;
}

/** Plans the deliveries of a batch of notices not yet planned; returns how many notices it planned. */
export async function planDeliveries(em: EntityManager, now: Date): Promise<number> {
  return em.transactional(async (tx) => {
    const notices = await tx.execute<{ id: string; recipient_id: string }[]>(
      'select id, recipient_id from notification where not delivery_planned order by created_at limit ? for update skip locked',
      [BATCH],
    );
    if (notices.length === 0) return 0;
    const enabled = await tx.execute<ChannelRow[]>(
      `select c.id, c.unit_id, c.kind, c.settings, c.secrets, u.path, u.parent_id from notification_channel c
        join administrative_unit u on u.id = c.unit_id where c.enabled`,
    );
    const day = shanghaiDate(now);
    for (const notice of notices) {
      if (enabled.length === 0) break;
      const prefs = await preferencesOf(tx, notice.recipient_id);
      const channels = await channelsFor(tx, notice.recipient_id, enabled);
      for (const [kind, channel] of channels) {
        if (!prefs.channels.includes(kind)) continue;
        const address = addressFor(kind, prefs);
        if (!address) continue;
        const [{ n }] = (await tx.execute<{ n: string }[]>(
          "select count(*) as n from notification_delivery where recipient_id = ? and channel = ? and day = ? and status <> 'held' and not digest",
          [notice.recipient_id, kind, day],
        )) as [{ n: string }];
        const hold = prefs.mode === 'digest' || Number(n) >= IMMEDIATE_PER_DAY;
        await tx.execute(
          `insert into notification_delivery (notification_id, channel_id, channel, recipient_id, unit_id, address, status, day, next_attempt_at, created_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (notification_id, channel) do nothing`,
          [notice.id, channel.id, kind, notice.recipient_id, channel.unit_id, address, hold ? 'held' : 'pending', day, hold ? digestTime(now.getTime()) : now, now],
        );
      }
    }
    await tx.execute('update notification set delivery_planned = true where id in (?)', [notices.map((n) => n.id)]);
    return notices.length;
  });
}

/** A message to one number or address, not an inbox notice: the roster's survey code it carries. */
export interface DirectMessage { address: string; subject: string; text: string; surveyCodeId: string }

/** Puts messages in the outbox on a channel, due now, in the caller's transaction (so they go out only if it commits). */
export async function queueDirect(tx: EntityManager, channel: { id: string; unit_id: string; kind: ChannelKind }, messages: DirectMessage[], now: Date) {
  const day = shanghaiDate(now);
  for (let i = 0; i < messages.length; i += 500) {
    const chunk = messages.slice(i, i + 500);
    await tx.execute(
      `insert into notification_delivery (channel_id, channel, unit_id, address, status, day, next_attempt_at, created_at, subject, body, survey_code_id)
         values ${chunk.map(() => "(?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)").join(', ')}`,
      chunk.flatMap((m) => [channel.id, channel.kind, channel.unit_id, m.address, day, now, now, m.subject, m.text, m.surveyCodeId]),
    );
  }
}

interface DueRow {
  id: string; notification_id: string | null; channel_id: string; channel: ChannelKind;
  recipient_id: string | null; address: string; status: 'pending' | 'held';
  attempts: number; title: string; body: string; link: string | null; enabled: boolean; settings: ChannelSettings; secrets: string | null;
}

export interface DispatchOutcome { sent: number; failed: number; retrying: number }

/** Sends the deliveries due at `now`: one message per pending notice, one per person and channel for held ones. */
export async function dispatchDue(em: EntityManager, now: Date): Promise<DispatchOutcome> {
  const due = await em.transactional(async (tx) => {
    const rows = await tx.execute<DueRow[]>(
      `select d.id, d.notification_id, d.channel_id, d.channel, d.recipient_id, d.address, d.status, d.attempts,
              coalesce(n.title, d.subject) as title, coalesce(n.body, d.body) as body, n.link, c.enabled, c.settings, c.secrets
         from notification_delivery d left join notification n on n.id = d.notification_id join notification_channel c on c.id = d.channel_id
        where d.status in ('pending', 'held') and d.next_attempt_at <= ? order by d.next_attempt_at, coalesce(n.created_at, d.created_at)
        limit ? for update of d skip locked`,
      [now, BATCH],
    );
    if (rows.length > 0) {
      await tx.execute('update notification_delivery set next_attempt_at = ? where id in (?)', [new Date(now.getTime() + LEASE_MS), rows.map((r) => r.id)]);
    }
    return rows;
  });
  const groups = new Map<string, DueRow[]>();
  for (const row of due) {
    const key = row.status === 'held' ? `held:${row.recipient_id}:${row.channel_id}` : `one:${row.id}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const outcome: DispatchOutcome = { sent: 0, failed: 0, retrying: 0 };
  for (const rows of groups.values()) {
    const first = rows[0]!;
    const ids = rows.map((r) => r.id);
    const digest = first.status === 'held';
    try {
      if (!first.enabled) throw Object.assign(new Error('渠道已关闭'), { final: true });
      const message = digest ? digestMessage(rows) : singleMessage(first);
      const { messageId } = await sendOn(first.channel, first.settings, openSecrets(em, first.secrets), first.address, message, now.getTime());
      await em.execute(
        `update notification_delivery set status = 'sent', sent_at = ?, attempts = attempts + 1, digest = ?, message_id = ?, last_error = null,
            subject = null, body = null where id in (?)`,
        [now, digest, messageId, ids],
      );
      outcome.sent += rows.length;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
      const final = attempts >= MAX_ATTEMPTS || (error as { final?: boolean }).final === true;
      await em.execute(
        `update notification_delivery set attempts = attempts + 1, last_error = ?, status = case when ? then 'failed' else status end, next_attempt_at = ?,
            subject = case when ? then null else subject end, body = case when ? then null else body end where id in (?)`,
        [reason, final, new Date(now.getTime() + backoffMs(attempts)), final, final, ids],
      );
      if (final) outcome.failed += rows.length;
      else outcome.retrying += rows.length;
    }
  }
  return outcome;
}

function singleMessage(row: DueRow): OutgoingMessage {
  return { subject: row.title, text: row.link ? `${row.body}\n${row.link}` : row.body, count: 1 };
}

function digestMessage(rows: DueRow[]): OutgoingMessage {
  const lines = rows.map((r, i) => `${i + 1}. ${r.title}\n   ${r.body}`);
  return { subject: `今日通知汇总（${rows.length}条）`, text: `您今天有 ${rows.length} 条通知：\n\n${lines.join('\n\n')}\n\n请登录系统查看详情。`, count: rows.length };
}

/** Plans and sends until nothing more is due now; returns what was sent. */
export async function deliverNow(em: EntityManager, now: Date): Promise<DispatchOutcome> {
  while ((await planDeliveries(em, now)) > 0) {
    /* plan in batches */
  }
  const total: DispatchOutcome = { sent: 0, failed: 0, retrying: 0 };
  for (;;) {
    const step = await dispatchDue(em, now);
    total.sent += step.sent;
    total.failed += step.failed;
    total.retrying += step.retrying;
    if (step.sent + step.failed + step.retrying === 0) return total;
  }
}
