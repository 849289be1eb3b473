// The pure rules of points: the earning rules a department starts with, how a holder is named,
// how long an exchange stays reserved, and a month's statement from its entries.
import { badRequest, type ErrorDetail } from '../errors.ts';
import type { Holder, HolderKind } from './contracts.ts';

export interface EarningRule {
  code: string;
  label: string;
  holderKind: HolderKind;
  points: number;
  /** Whether the community committee confirms each posting before it counts. */
  needsConfirmation: boolean;
}

/** The rules every department starts with; a department's own rule of the same code replaces one in its subtree. */
export const DEFAULT_RULES: readonly EarningRule[] = [
  { code: 'member_service', label: '在职党员社区服务', holderKind: 'member', points: 10, needsConfirmation: true },
  { code: 'household_visit', label: '结对帮扶走访', holderKind: 'member', points: 5, needsConfirmation: true },
  { code: 'matter_resolved', label: '反映问题办结且满意', holderKind: 'resident', points: 5, needsConfirmation: false },
  { code: 'volunteer_activity', label: '志愿服务活动', holderKind: 'resident', points: 5, needsConfirmation: true },
];

export const defaultRule = (code: string): EarningRule | undefined => DEFAULT_RULES.find((r) => r.code === code);

/** An exchange not handed over within this many days is released: stock and points go back. */
export const EXCHANGE_HOLD_DAYS = 7;

export const RULE_CODE = /^[a-z][a-z0-9_]{1,39}$/;
export const PHONE = /^1\d{10}$/;

/** The account key of a holder: the person's id for members, the phone number for residents. */
export function holderRef(holder: Holder): { kind: HolderKind; ref: string } {
  return holder.kind === 'member' ? { kind: 'member', ref: holder.personId } : { kind: 'resident', ref: holder.phone.trim() };
}

/** The broken rules of a holder as given in a request body (`field` names the body's holder). */
export function holderErrors(holder: Holder, field = 'body.holder'): ErrorDetail[] {
  if (holder.kind === 'resident' && !PHONE.test(holder.phone.trim())) return [{ field: `${field}.phone`, rule: '请填写11位手机号码' }];
  return [];
}

export function validateRule(input: { code: string; label: string; points: number }): void {
  const details: ErrorDetail[] = [];
  if (!RULE_CODE.test(input.code)) details.push({ field: 'body.code', rule: '规则代码为小写字母、数字和下划线（2-40位），以字母开头' });
  if (input.label.trim().length === 0) details.push({ field: 'body.label', rule: '请填写规则名称' });
  if (!Number.isInteger(input.points) || input.points < 1 || input.points > 1000) details.push({ field: 'body.points', rule: '分值为1-1000的整数' });
  if (details.length) throw badRequest('the earning rule breaks a rule', details);
}

export interface StatementEntry {
  amount: number;
  /** Shanghai calendar day of the posting (YYYY-MM-DD). */
  day: string;
}

export interface Statement {
  opening: number;
  earned: number;
  spent: number;
  returned: number;
  closing: number;
}

/** A month's statement of one account from its confirmed entries: what it held before, earned, spent (holds) and got back (releases). */
export function statementOf(month: string, entries: readonly (StatementEntry & { kind: 'earn' | 'hold' | 'release' })[]): Statement {
  const s: Statement = { opening: 0, earned: 0, spent: 0, returned: 0, closing: 0 };
  for (const e of entries) {
    const m = e.day.slice(0, 7);
    if (m < month) s.opening += e.amount;
    else if (m === month) {
      if (e.kind === 'earn') s.earned += e.amount;
      else if (e.kind === 'hold') s.spent += -e.amount;
      else s.returned += e.amount;
    }
  }
  s.closing = s.opening + s.earned - s.spent + s.returned;
  return s;
}

/** The (inclusive) year-month of a YYYY-MM string, or a 400 naming the field. */
export function parseMonth(month: string, field = 'querystring.month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw badRequest('month is YYYY-MM', [{ field, rule: '月份格式为YYYY-MM' }]);
  return month;
}
