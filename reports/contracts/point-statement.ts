// 积分月结单: one point account's month (先锋指数 of an in-service member, 文明积分 of a resident):
// the opening balance, every entry of the month, what was earned, spent in the 积分兑换超市 and
// returned by cancelled exchanges, and the closing balance. Confirmed entries count; pending and
// rejected ones are listed for the holder to see but do not.
import Type from 'typebox';
import { DateString, MonthString, NullableText, Text } from './common.ts';

const Points = Type.Integer({ minimum: -10_000_000, maximum: 10_000_000 });

export const PointStatementData = Type.Object({
  month: MonthString,
  community: Text,
  /** 先锋指数 or 文明积分. */
  pointKind: Text,
  holder: Text,
  /** A resident's masked mobile number, or the member's work unit. */
  holderNote: NullableText,
  opening: Points,
  earned: Points,
  spent: Points,
  returned: Points,
  closing: Points,
  entries: Type.Array(Type.Object({
    date: DateString,
    /** 获得 / 兑换扣减 / 兑换退回. */
    kind: Text,
    memo: Text,
    amount: Points,
    /** 已确认 / 待确认 / 已退回. */
    status: Text,
  })),
  printedOn: DateString,
});
export type PointStatementData = Type.Static<typeof PointStatementData>;
