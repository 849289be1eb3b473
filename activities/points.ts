// Activities of points: what another cycle's workflow calls to credit points when something it
// tracks earns them (a resident's matter closed satisfied, a member's service record). Idempotent
// by the source key: a retried activity returns the entry the first attempt posted.
// Writers: point_entry and point_account through domain/points/ledger.ts (the API writes the
// community's confirmations, the shop's goods and exchanges through the same module).
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { isDomainError } from '../domain/errors.ts';
import { creditPoints as postCredit } from '../domain/points/ledger.ts';
import type { CreditPointsInput, PointStatementInput, PostedEntry } from '../domain/points/contracts.ts';
import type { ReportRequest } from '../domain/reports/contracts.ts';
import type { PointStatementData } from '../reports/contracts/point-statement.ts';
import { clockOf } from '../domain/clock.ts';
import { shanghaiDate } from '../domain/time.ts';

const MONTH_OF = `to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;
const KIND_NAMES: Record<string, string> = { earn: '获得', hold: '兑换扣减', release: '兑换退回' };
const STATUS_NAMES: Record<string, string> = { confirmed: '已确认', pending: '待确认', rejected: '已退回' };

export function createPointsActivities(deps: { orm: MikroORM }) {
  return {
    /**
     * 积分月结单's data from the ledger: the balance before the month, the month's entries (all
     * statuses, only confirmed ones counted) and the closing balance; printed for the community.
     */
    async preparePointStatement(input: PointStatementInput & { requestKey: string }): Promise<ReportRequest> {
      const em = deps.orm.em.fork() as EntityManager;
      const [account] = await em.execute<Record<string, string>[]>(
        `select a.id, a.holder_kind, a.holder_ref, a.display_name, u.name community, u.party_org_name party,
           (select o.name from person p join organization o on o.id = p.organization_id where a.holder_kind = 'member' and p.id::text = a.holder_ref) org
           from point_account a join administrative_unit u on u.id = a.community_id where a.id = ?`, [input.accountId]);
      if (!account) throw ApplicationFailure.nonRetryable('no such point account', 'ReportDataError');
      const entries = await em.execute<{ day: string; kind: string; memo: string | null; rule_code: string | null; amount: number; status: string }[]>(
        `select to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, e.kind, e.memo, e.rule_code, e.amount, e.status
           from point_entry e where e.account_id = ? and ${MONTH_OF} = ? order by e.created_at, e.id`, [input.accountId, input.month]);
      const [before] = await em.execute<{ sum: string | null }[]>(
        `select sum(e.amount) as sum from point_entry e where e.account_id = ? and e.status = 'confirmed' and ${MONTH_OF} < ?`, [input.accountId, input.month]);
      const counted = entries.filter((e) => e.status === 'confirmed');
      const total = (kind: string) => counted.filter((e) => e.kind === kind).reduce((s, e) => s + Number(e.amount), 0);
      const opening = Number(before?.sum ?? 0);
      const [earned, spent, returned] = [total('earn'), -total('hold'), total('release')];
      const resident = account.holder_kind === 'resident';
      const data: PointStatementData = {
        month: input.month, community: account.community!, pointKind: resident ? '文明积分' : '先锋指数', holder: account.display_name!,
        holderNote: resident ? `${account.holder_ref!.slice(0, 3)}****${account.holder_ref!.slice(7)}` : (account.org ?? null),
        opening, earned, spent, returned, closing: opening + earned - spent + returned,
        entries: entries.map((e) => ({
          date: e.day, kind: KIND_NAMES[e.kind] ?? e.kind, memo: e.memo ?? e.rule_code ?? '—', amount: Number(e.amount),
          status: STATUS_NAMES[e.status] ?? e.status,
        })),
        printedOn: shanghaiDate(clockOf(em).now()),
      };
      return {
        type: 'point-statement', data, meta: { issuingUnit: account.party! }, subjectType: 'point_account', subjectId: account.id!,
        createdBy: input.requestedBy, requestKey: input.requestKey,
      };
    },
    /**
     * Credits a rule's points to a member (personId) or resident (phone) in a community, once per
     * sourceKey. An unknown rule, person or community, or a rule for the other kind of holder,
     * fails for good (non-retryable, type PointsRefused) instead of being retried.
     */
    async creditPoints(input: CreditPointsInput): Promise<PostedEntry> {
      const em = deps.orm.em.fork() as EntityManager;
      try {
        return await postCredit(em, input);
      } catch (error) {
        if (isDomainError(error) && error.kind !== 'unavailable') {
          throw ApplicationFailure.nonRetryable(error.message, 'PointsRefused', { code: error.code, details: error.details });
        }
        throw error;
      }
    },
  };
}

export type PointsActivities = ReturnType<typeof createPointsActivities>;
