// The ledger as people use it: earning rules a department sets, credits a community posts (a
// volunteer activity), the community's confirmations, and the accounts with their entries.
// Writes go through domain/points/ledger.ts (idempotent by source key, balance in step).
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { scopeOf } from '../../../domain/auth/scope.ts';
import { clockOf } from '../../../domain/clock.ts';
import { badRequest, notFound } from '../../../domain/errors.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { creditPoints, decideEntry } from '../../../domain/points/ledger.ts';
import { DEFAULT_RULES, validateRule } from '../../../domain/points/rules.ts';
import type * as S from '../../schemas/points.ts';
import { actorOf, POINT_CLERKS, POINT_READERS, RULE_SETTERS, unitInScope, unitScopeSql, type Caller } from './access.ts';

type Entry = Static<typeof S.Entry>;
type Account = Static<typeof S.Account>;

export const ENTRY_SELECT = `select e.id, e.account_id, a.display_name, a.holder_kind, e.source_key, e.kind, e.rule_code, e.amount, e.status, e.memo,
  e.community_id, u.name community_name, e.created_at, e.decided_at
  from point_entry e join point_account a on a.id = e.account_id join administrative_unit u on u.id = e.community_id`;

export const entryOf = (r: Record<string, unknown>): Entry => ({
  id: r.id as string, accountId: r.account_id as string, displayName: r.display_name as string, holderKind: r.holder_kind as Entry['holderKind'],
  sourceKey: r.source_key as string, kind: r.kind as Entry['kind'], ruleCode: (r.rule_code as string | null) ?? null, amount: Number(r.amount),
  status: r.status as Entry['status'], memo: (r.memo as string | null) ?? null, communityId: r.community_id as string,
  communityName: r.community_name as string, createdAt: new Date(r.created_at as string).toISOString(),
  decidedAt: r.decided_at ? new Date(r.decided_at as string).toISOString() : null,
});

export const ACCOUNT_SELECT = `select a.id, a.holder_kind, a.holder_ref, a.display_name, a.community_id, u.name community_name, a.balance, a.earned, a.spent,
  (select coalesce(sum(p.amount), 0) from point_entry p where p.account_id = a.id and p.status = 'pending') pending
  from point_account a join administrative_unit u on u.id = a.community_id`;

export const accountOfRow = (r: Record<string, unknown>): Account => ({
  id: r.id as string, holderKind: r.holder_kind as Account['holderKind'], holderRef: r.holder_ref as string, displayName: r.display_name as string,
  communityId: r.community_id as string, communityName: r.community_name as string, balance: Number(r.balance), earned: Number(r.earned),
  spent: Number(r.spent), pending: Number(r.pending),
});

export function createLedgerService() {
  async function rules({ em, principal }: Caller) {
    const where = unitScopeSql(scopeOf(principal, POINT_READERS), 'r.unit_id');
    // A department's rules are read by the units under it too: the rule applies there.
    const rows = await em.execute<Record<string, unknown>[]>(
      `select r.id, r.unit_id, u.name unit_name, r.code, r.label, r.holder_kind, r.points, r.needs_confirmation from point_rule r
        join administrative_unit u on u.id = r.unit_id
       where r.active and (${where.sql} or exists (select 1 from administrative_unit c where ${unitScopeSql(scopeOf(principal, POINT_READERS), 'c.id').sql}
         and c.path like u.path || '%')) order by u.depth, r.code`,
      [...where.params, ...unitScopeSql(scopeOf(principal, POINT_READERS), 'c.id').params],
    );
    const own = rows.map((r) => ({
      id: r.id as string, unitId: r.unit_id as string, unitName: r.unit_name as string, code: r.code as string, label: r.label as string,
      holderKind: r.holder_kind as 'member' | 'resident', points: Number(r.points), needsConfirmation: Boolean(r.needs_confirmation), isDefault: false,
    }));
    const defaults = DEFAULT_RULES.map((r) => ({ id: null, unitId: null, unitName: null, ...r, isDefault: true }));
    return { items: [...defaults, ...own] };
  }

  async function setRule({ em, principal }: Caller, body: Static<typeof S.RuleBody>) {
    await unitInScope(em, principal, body.unitId, RULE_SETTERS, 'unit');
    validateRule(body);
    const now = clockOf(em).now();
    return em.transactional(async (tx) => {
      const [row] = await tx.execute<{ id: string }[]>(
        `insert into point_rule (id, unit_id, code, label, holder_kind, points, needs_confirmation, active, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, true, ?, ?)
         on conflict (unit_id, code) do update set label = excluded.label, holder_kind = excluded.holder_kind, points = excluded.points,
           needs_confirmation = excluded.needs_confirmation, active = true, updated_at = excluded.updated_at returning id`,
        [randomUUID(), body.unitId, body.code, body.label.trim(), body.holderKind, body.points, body.needsConfirmation ?? true, now, now],
      );
      await recordAudit(tx, { actor: actorOf(principal), action: 'point_rule.set', entityType: 'point_rule', entityId: row!.id, after: body });
      const [unit] = await tx.execute<{ name: string }[]>('select name from administrative_unit where id = ?', [body.unitId]);
      return {
        id: row!.id, unitId: body.unitId, unitName: unit!.name, code: body.code, label: body.label.trim(), holderKind: body.holderKind,
        points: body.points, needsConfirmation: body.needsConfirmation ?? true, isDefault: false,
      };
    });
  }

  async function credit({ em, principal }: Caller, body: Static<typeof S.CreditBody>) {
    await unitInScope(em, principal, body.communityId, POINT_CLERKS);
    if (body.holder.kind === 'member') {
      const [person] = await em.execute('select 1 from person where id = ?', [body.holder.personId]);
      if (!person) throw badRequest('no such person', [{ field: 'body.holder.personId', rule: '没有这个党员' }]);
    }
    return creditPoints(em, { ...body, sourceKey: body.sourceKey ?? `manual/${randomUUID()}`, actor: actorOf(principal) });
  }

  async function entries({ em, principal }: Caller, query: Static<typeof S.EntryQuery>) {
    const scope = unitScopeSql(scopeOf(principal, POINT_READERS), 'e.community_id');
    const filters = [scope.sql];
    const params: unknown[] = [...scope.params];
    if (query.status) filters.push('e.status = ?') && params.push(query.status);
    if (query.accountId) filters.push('e.account_id = ?') && params.push(query.accountId);
    const where = filters.join(' and ');
    const [rows, [count]] = await Promise.all([
      em.execute<Record<string, unknown>[]>(`${ENTRY_SELECT} where ${where} order by e.created_at desc, e.id limit ? offset ?`, [...params,
        query.limit, query.offset]),
      em.execute<{ n: string }[]>(`select count(*) n from point_entry e where ${where}`, params),
    ]);
    return { items: rows.map(entryOf), total: Number(count!.n), limit: query.limit, offset: query.offset };
  }

  async function decide({ em, principal }: Caller, entryId: string, decision: 'confirm' | 'reject') {
    const [row] = await em.execute<{ community_id: string }[]>('select community_id from point_entry where id = ?', [entryId]);
    if (!row) throw notFound('point entry');
    await unitInScope(em, principal, row.community_id, POINT_CLERKS, 'point entry');
    await decideEntry(em, entryId, decision, actorOf(principal));
    const [entry] = await em.execute<Record<string, unknown>[]>(`${ENTRY_SELECT} where e.id = ?`, [entryId]);
    return entryOf(entry!);
  }

  async function accounts({ em, principal }: Caller, query: Static<typeof S.AccountQuery>) {
    const scope = unitScopeSql(scopeOf(principal, POINT_READERS), 'a.community_id');
    const filters = [scope.sql];
    const params: unknown[] = [...scope.params];
    if (query.kind) filters.push('a.holder_kind = ?') && params.push(query.kind);
    if (query.q) filters.push('(a.display_name like ? or a.holder_ref like ?)') && params.push(`%${query.q}%`, `%${query.q}%`);
    const where = filters.join(' and ');
    const [rows, [count]] = await Promise.all([
      em.execute<Record<string, unknown>[]>(`${ACCOUNT_SELECT} where ${where} order by a.balance desc, a.id limit ? offset ?`, [...params,
        query.limit, query.offset]),
      em.execute<{ n: string }[]>(`select count(*) n from point_account a where ${where}`, params),
    ]);
    return { items: rows.map(accountOfRow), total: Number(count!.n), limit: query.limit, offset: query.offset };
  }

  async function account({ em, principal }: Caller, accountId: string) {
    const [row] = await em.execute<Record<string, unknown>[]>(`${ACCOUNT_SELECT} where a.id = ?`, [accountId]);
    if (!row) throw notFound('point account');
    await unitInScope(em, principal, row.community_id as string, POINT_READERS, 'point account');
    return detail(em, row);
  }

  async function detail(em: Caller['em'], row: Record<string, unknown>) {
    const [entries, [sum]] = await Promise.all([
      em.execute<Record<string, unknown>[]>(`${ENTRY_SELECT} where e.account_id = ? order by e.created_at desc, e.id limit 200`, [row.id]),
      em.execute<{ s: string }[]>(`select coalesce(sum(amount), 0) s from point_entry where account_id = ? and status = 'confirmed'`, [row.id]),
    ]);
    return { account: accountOfRow(row), entries: entries.map(entryOf), ledgerSum: Number(sum!.s) };
  }

  /** A member's own 先锋指数 (their person's account), with its latest entries. */
  async function mine({ em, principal }: Caller) {
    if (!principal.personId) return { accounts: [], entries: [] };
    const [row] = await em.execute<Record<string, unknown>[]>(`${ACCOUNT_SELECT} where a.holder_kind = 'member' and a.holder_ref = ?`, [principal.personId]);
    if (!row) return { accounts: [], entries: [] };
    const d = await detail(em, row);
    return { accounts: [d.account], entries: d.entries };
  }

  return { rules, setRule, credit, entries, decide, accounts, account, mine };
}
