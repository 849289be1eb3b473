// The points ledger over PostgreSQL. Every posting is a row of point_entry keyed by its source
// (unique), inserted with `on conflict do nothing`, so a retried or concurrent posting of the
// same source writes once and returns the entry already there. The account's balance moves in
// the same transaction as the entry it sums (confirmed entries only), so balance = Σ ledger at
// every commit. Exchanges take stock and points with conditional updates (stock >= n, balance >=
// points), so concurrent exchanges never oversell nor overdraw. Lock order in every transaction:
// exchange row → goods row → account row → audit lock, so they never deadlock each other.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record.ts';
import { clockOf } from '../clock.ts';
import { DAY_MS } from '../time.ts';
import { badRequest, conflictOf, notFound } from '../errors.ts';
import type { CreditPointsInput, ExchangeInput, ExchangeStatus, Holder, PostedEntry } from './contracts.ts';
import { defaultRule, EXCHANGE_HOLD_DAYS, holderErrors, holderRef, type EarningRule } from './rules.ts';
import { entryRefusal, exchangeRefusal, type ExchangeAction } from './state.ts';

interface EntryRow { id: string; source_key: string; account_id: string; amount: number; status: PostedEntry['status'] }

const posted = (row: EntryRow, created: boolean): PostedEntry => ({
  entryId: row.id, sourceKey: row.source_key, accountId: row.account_id, amount: row.amount, status: row.status, created,
});

/** The rule of this code for the community: the department's nearest own rule above it, else the default. */
export async function ruleFor(em: EntityManager, code: string, communityId: string): Promise<EarningRule | undefined> {
  const [own] = await em.execute<{ code: string; label: string; holder_kind: 'member' | 'resident'; points: number; needs_confirmation: boolean }[]>(
    `select r.code, r.label, r.holder_kind, r.points, r.needs_confirmation from point_rule r
       join administrative_unit u on u.id = r.unit_id, administrative_unit c
      where c.id = ? and r.code = ? and r.active and c.path like u.path || '%' order by u.depth desc limit 1`,
    [communityId, code],
  );
  if (own) return { code: own.code, label: own.label, holderKind: own.holder_kind, points: own.points, needsConfirmation: own.needs_confirmation };
  return defaultRule(code);
}

/** The holder's account (made on first use in this community), in the caller's transaction. */
export async function accountOf(em: EntityManager, holder: Holder, communityId: string, now: Date): Promise<string> {
  const { kind, ref } = holderRef(holder);
  const [existing] = await em.execute<{ id: string }[]>('select id from point_account where holder_kind = ? and holder_ref = ?', [kind, ref]);
  if (existing) return existing.id;
  let name: string;
  if (holder.kind === 'member') {
    const [person] = await em.execute<{ name: string }[]>('select name from person where id = ?', [holder.personId]);
    if (!person) throw notFound('person');
    name = person.name;
  } else name = holder.name?.trim() || `居民${ref.slice(-4)}`;
  await em.execute(
    `insert into point_account (id, holder_kind, holder_ref, display_name, community_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?) on conflict (holder_kind, holder_ref) do nothing`,
    [randomUUID(), kind, ref, name.slice(0, 100), communityId, now, now],
  );
  const [row] = await em.execute<{ id: string }[]>('select id from point_account where holder_kind = ? and holder_ref = ?', [kind, ref]);
  return row!.id;
}

async function entryBySource(em: EntityManager, sourceKey: string): Promise<EntryRow | undefined> {
  const [row] = await em.execute<EntryRow[]>('select id, source_key, account_id, amount, status from point_entry where source_key = ?', [sourceKey]);
  return row;
}

/** Moves an account's balance by a confirmed amount (a negative amount below the balance fails the check). */
async function moveBalance(em: EntityManager, accountId: string, amount: number, now: Date): Promise<void> {
  const earned = amount > 0 ? amount : 0;
  await em.execute('update point_account set balance = balance + ?, earned = earned + ?, updated_at = ? where id = ?', [amount, earned, now, accountId]);
}

/**
 * Credits the points of a rule to a holder, once per source: posting the same sourceKey again
 * (a retried activity, a second click) returns the entry already posted with created=false.
 * Pending until the community confirms when the rule says so; confirmed entries count at once.
 */
export async function creditPoints(em: EntityManager, input: CreditPointsInput): Promise<PostedEntry> {
  const sourceKey = input.sourceKey.trim();
  if (sourceKey.length === 0 || sourceKey.length > 200) throw badRequest('sourceKey is 1-200 characters', [{ field: 'body.sourceKey', rule: '来源编号为1-200个字符' }]);
  const before = await entryBySource(em, sourceKey);
  if (before) return posted(before, false);
  const holderBroken = holderErrors(input.holder);
  if (holderBroken.length) throw badRequest('the holder breaks a rule', holderBroken);
  const [community] = await em.execute<{ id: string }[]>(`select id from administrative_unit where id = ?`, [input.communityId]);
  if (!community) throw notFound('community');
  const rule = await ruleFor(em, input.ruleCode, input.communityId);
  if (!rule) throw badRequest(`no earning rule ${input.ruleCode}`, [{ field: 'body.ruleCode', rule: '没有这个积分规则' }], 'unknown_rule');
  if (rule.holderKind !== input.holder.kind) {
    throw badRequest(`rule ${rule.code} credits ${rule.holderKind}s`, [{ field: 'body.holder.kind', rule: rule.holderKind === 'member' ? '该规则只给在职党员记分' : '该规则只给居民记分' }]);
  }
  const now = clockOf(em).now();
  return em.transactional(async (tx) => {
    const accountId = await accountOf(tx, input.holder, input.communityId, now);
    const status = rule.needsConfirmation ? 'pending' : 'confirmed';
    const [row] = await tx.execute<EntryRow[]>(
      `insert into point_entry (id, account_id, source_key, kind, rule_code, amount, status, memo, community_id, created_at, decided_at)
       values (?, ?, ?, 'earn', ?, ?, ?, ?, ?, ?, ?) on conflict (source_key) do nothing
       returning id, source_key, account_id, amount, status`,
      [randomUUID(), accountId, sourceKey, rule.code, rule.points, status, input.memo?.slice(0, 200) ?? null, input.communityId, now,
        status === 'confirmed' ? now : null],
    );
    if (!row) return posted((await entryBySource(tx, sourceKey))!, false);
    if (status === 'confirmed') await moveBalance(tx, accountId, row.amount, now);
    await recordAudit(tx, {
      actor: input.actor ?? SYSTEM_ACTOR, action: 'point_entry.credit', entityType: 'point_entry', entityId: row.id,
      after: { sourceKey, ruleCode: rule.code, amount: row.amount, status, accountId },
    });
    return posted(row, true);
  });
}

/** The community confirms a pending entry (it counts from now on) or rejects it (it never counts). */
export async function decideEntry(em: EntityManager, entryId: string, decision: 'confirm' | 'reject', actor: AuditActor): Promise<PostedEntry> {
  const now = clockOf(em).now();
  return em.transactional(async (tx) => {
    const [row] = await tx.execute<EntryRow[]>('select id, source_key, account_id, amount, status from point_entry where id = ? for update', [entryId]);
    if (!row) throw notFound('point entry');
    const refusal = entryRefusal(row.status);
    if (refusal) throw refusal;
    const status = decision === 'confirm' ? 'confirmed' : 'rejected';
    await tx.execute('update point_entry set status = ?, decided_at = ?, decided_by = ? where id = ?', [status, now, actor.accountId, entryId]);
    if (status === 'confirmed') await moveBalance(tx, row.account_id, row.amount, now);
    await recordAudit(tx, { actor, action: `point_entry.${decision}`, entityType: 'point_entry', entityId: entryId, before: { status: row.status }, after: { status } });
    return posted({ ...row, status }, true);
  });
}

export interface ExchangeRow {
  id: string;
  goods_id: string;
  account_id: string;
  community_id: string;
  quantity: number;
  points: number;
  status: ExchangeStatus;
  expires_at: Date;
}

const EXCHANGE_COLUMNS = 'id, goods_id, account_id, community_id, quantity, points, status, expires_at';

/**
 * Reserves goods for a holder: stock and points are held until hand-over (confirm) or release.
 * The same requestId again returns the exchange already made. 409 out_of_stock / insufficient_points.
 */
export async function reserveExchange(em: EntityManager, input: ExchangeInput): Promise<{ exchange: ExchangeRow; created: boolean }> {
  const holderBroken = holderErrors(input.holder);
  if (holderBroken.length) throw badRequest('the holder breaks a rule', holderBroken);
  const [goods] = await em.execute<{ id: string; price: number; community_id: string; active: boolean }[]>(
    'select id, price, community_id, active from point_goods where id = ?', [input.goodsId]);
  if (!goods) throw notFound('goods');
  if (!goods.active) throw conflictOf('goods_withdrawn', '该商品已下架');
  const now = clockOf(em).now();
  const points = goods.price * input.quantity;
  return em.transactional(async (tx) => {
    const accountId = await accountOf(tx, input.holder, goods.community_id, now);
    const [made] = await tx.execute<ExchangeRow[]>(
      `insert into point_exchange (id, goods_id, account_id, community_id, quantity, points, status, expires_at, created_at)
       values (?, ?, ?, ?, ?, ?, 'reserved', ?, ?) on conflict (id) do nothing returning ${EXCHANGE_COLUMNS}`,
      [input.requestId, goods.id, accountId, goods.community_id, input.quantity, points, new Date(now.getTime() + EXCHANGE_HOLD_DAYS * DAY_MS), now],
    );
    if (!made) {
      const [existing] = await tx.execute<ExchangeRow[]>(`select ${EXCHANGE_COLUMNS} from point_exchange where id = ?`, [input.requestId]);
      if (existing!.account_id !== accountId || existing!.goods_id !== goods.id) throw conflictOf('request_reused', 'requestId was used for another exchange');
      return { exchange: existing!, created: false };
    }
    const stocked = await tx.execute('update point_goods set stock = stock - ?, updated_at = ? where id = ? and stock >= ? returning id',
      [input.quantity, now, goods.id, input.quantity]);
    if (stocked.length === 0) throw conflictOf('out_of_stock', '库存不足');
    const paid = await tx.execute('update point_account set balance = balance - ?, spent = spent + ?, updated_at = ? where id = ? and balance >= ? returning id',
      [points, points, now, accountId, points]);
    if (paid.length === 0) throw conflictOf('insufficient_points', '积分余额不足');
    await tx.execute(
      `insert into point_entry (id, account_id, source_key, kind, amount, status, memo, community_id, created_at, decided_at)
       values (?, ?, ?, 'hold', ?, 'confirmed', ?, ?, ?, ?)`,
      [randomUUID(), accountId, `exchange/${made.id}/hold`, -points, `兑换 ×${input.quantity}`, goods.community_id, now, now],
    );
    await recordAudit(tx, { actor: input.actor, action: 'point_exchange.reserve', entityType: 'point_exchange', entityId: made.id, after: { goodsId: goods.id, quantity: input.quantity, points } });
    return { exchange: made, created: true };
  });
}

/** Hand-over (confirm) or release (cancel at the counter, or expiry): a release gives stock and points back. */
export async function decideExchange(em: EntityManager, exchangeId: string, action: ExchangeAction, actor: AuditActor): Promise<ExchangeRow> {
  const now = clockOf(em).now();
  return em.transactional(async (tx) => {
    const [row] = await tx.execute<ExchangeRow[]>(`select ${EXCHANGE_COLUMNS} from point_exchange where id = ? for update`, [exchangeId]);
    if (!row) throw notFound('exchange');
    const refusal = exchangeRefusal(row.status, new Date(row.expires_at), now, action);
    if (refusal) throw refusal;
    const status: ExchangeStatus = action === 'confirm' ? 'confirmed' : 'released';
    await tx.execute('update point_exchange set status = ?, decided_at = ?, decided_by = ?, release_reason = ? where id = ?',
      [status, now, actor.accountId, action === 'confirm' ? null : action, exchangeId]);
    if (status === 'released') {
      await tx.execute('update point_goods set stock = stock + ?, updated_at = ? where id = ?', [row.quantity, now, row.goods_id]);
      await tx.execute('update point_account set balance = balance + ?, spent = spent - ?, updated_at = ? where id = ?', [row.points, row.points, now, row.account_id]);
      await tx.execute(
        `insert into point_entry (id, account_id, source_key, kind, amount, status, memo, community_id, created_at, decided_at)
         values (?, ?, ?, 'release', ?, 'confirmed', ?, ?, ?, ?)`,
        [randomUUID(), row.account_id, `exchange/${row.id}/release`, row.points, action === 'expire' ? '兑换过期退回' : '兑换取消退回', row.community_id, now, now],
      );
    }
    await recordAudit(tx, { actor, action: `point_exchange.${action}`, entityType: 'point_exchange', entityId: exchangeId, before: { status: row.status }, after: { status } });
    return { ...row, status };
  });
}

/** Releases every reservation of these communities (all when null) whose hand-over time has passed; how many. */
export async function releaseExpired(em: EntityManager, communityIds: string[] | null): Promise<number> {
  const now = clockOf(em).now();
  const filter = communityIds === null ? '' : communityIds.length ? `and community_id in (${communityIds.map(() => '?').join(', ')})` : 'and false';
  const due = await em.execute<{ id: string }[]>(
    `select id from point_exchange where status = 'reserved' and expires_at <= ? ${filter} order by expires_at limit 500`, [now, ...(communityIds ?? [])]);
  let released = 0;
  for (const { id } of due) {
    try {
      await decideExchange(em, id, 'expire', SYSTEM_ACTOR);
      released += 1;
    } catch (error) {
      if (!(error instanceof Error && 'kind' in error && (error as { kind: string }).kind === 'conflict')) throw error;
    }
  }
  return released;
}
