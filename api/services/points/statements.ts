// Monthly statements (opening, earned, spent, returned, closing per account, from the ledger)
// and the dashboard's figures: points earned and spent per month, balances per community.
import type { Static } from 'typebox';
import { scopeOf } from '../../../domain/auth/scope.ts';
import { clockOf } from '../../../domain/clock.ts';
import { shanghaiDate, addMonths } from '../../../domain/time.ts';
import { parseMonth } from '../../../domain/points/rules.ts';
import type * as S from '../../schemas/points.ts';
import { POINT_READERS, unitScopeSql, type Caller } from './access.ts';

const MONTH_OF = `to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;

export function createStatementService() {
  async function statements({ em, principal }: Caller, query: Static<typeof S.StatementQuery>) {
    const month = parseMonth(query.month);
    const scope = unitScopeSql(scopeOf(principal, POINT_READERS), 'a.community_id');
    const rows = await em.execute<Record<string, unknown>[]>(
      `select a.id, a.display_name, a.holder_kind, a.holder_ref, u.name community_name,
         coalesce(sum(e.amount) filter (where ${MONTH_OF} < ?), 0) opening,
         coalesce(sum(e.amount) filter (where ${MONTH_OF} = ? and e.kind = 'earn'), 0) earned,
         coalesce(-sum(e.amount) filter (where ${MONTH_OF} = ? and e.kind = 'hold'), 0) spent,
         coalesce(sum(e.amount) filter (where ${MONTH_OF} = ? and e.kind = 'release'), 0) returned,
         count(*) over () total
         from point_account a join administrative_unit u on u.id = a.community_id
         join point_entry e on e.account_id = a.id and e.status = 'confirmed' and ${MONTH_OF} <= ?
        where ${scope.sql} group by a.id, u.name order by u.name, a.display_name, a.id limit ? offset ?`,
      [month, month, month, month, month, ...scope.params, query.limit, query.offset],
    );
    const items = rows.map((r) => {
      const [opening, earned, spent, returned] = [r.opening, r.earned, r.spent, r.returned].map(Number) as [number, number, number, number];
      return {
        accountId: r.id as string, displayName: r.display_name as string, holderKind: r.holder_kind as 'member' | 'resident',
        holderRef: r.holder_ref as string, communityName: r.community_name as string, opening, earned, spent, returned,
        closing: opening + earned - spent + returned,
      };
    });
    return { month, items, total: rows.length ? Number(rows[0]!.total) : 0, limit: query.limit, offset: query.offset };
  }

  async function dashboard({ em, principal }: Caller) {
    const scope = scopeOf(principal, POINT_READERS);
    const entries = unitScopeSql(scope, 'e.community_id');
    const thisMonth = shanghaiDate(clockOf(em).now()).slice(0, 7);
    const first = addMonths(`${thisMonth}-01`, -11).slice(0, 7);
    const [monthRows, communityRows] = await Promise.all([
      em.execute<Record<string, unknown>[]>(
        `select ${MONTH_OF} as "month", coalesce(sum(e.amount) filter (where e.kind = 'earn'), 0) earned,
           coalesce(-sum(e.amount) filter (where e.kind = 'hold'), 0) spent, coalesce(sum(e.amount) filter (where e.kind = 'release'), 0) returned
           from point_entry e where e.status = 'confirmed' and ${MONTH_OF} >= ? and ${entries.sql} group by 1`,
        [first, ...entries.params],
      ),
      em.execute<Record<string, unknown>[]>(
        `select u.id, u.name, count(a.id) accounts, coalesce(sum(a.balance), 0) balance, coalesce(sum(a.earned), 0) earned, coalesce(sum(a.spent), 0) spent,
           (select coalesce(sum(p.amount), 0) from point_entry p where p.community_id = u.id and p.status = 'pending') pending
           from administrative_unit u join point_account a on a.community_id = u.id
          where ${unitScopeSql(scope, 'u.id').sql} group by u.id order by u.name`,
        unitScopeSql(scope, 'u.id').params,
      ),
    ]);
    const byMonth = new Map(monthRows.map((r) => [r.month as string, r]));
    const months = Array.from({ length: 12 }, (_, i) => addMonths(`${first}-01`, i).slice(0, 7)).map((month) => {
      const r = byMonth.get(month);
      return { month, earned: Number(r?.earned ?? 0), spent: Number(r?.spent ?? 0), returned: Number(r?.returned ?? 0) };
    });
    const communities = communityRows.map((r) => ({
      communityId: r.id as string, communityName: r.name as string, accounts: Number(r.accounts), balance: Number(r.balance),
      earned: Number(r.earned), spent: Number(r.spent), pending: Number(r.pending),
    }));
    return { months, communities };
  }

  return { statements, dashboard };
}
