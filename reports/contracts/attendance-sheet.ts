// 月度考勤表: one street's first secretaries, day by day for a month, against the quota of
// 22 working days in the community.
import Type from 'typebox';
import { MonthString, Signatures, Text } from './common.ts';

/** 在岗 present, 公差 official business, 请假 leave, 缺勤 absent, 休息 non-working day. */
export const AttendanceMark = Type.Union([
  Type.Literal('present'),
  Type.Literal('business'),
  Type.Literal('leave'),
  Type.Literal('absent'),
  Type.Literal('off'),
]);

export const AttendanceSheetData = Type.Object({
  month: MonthString,
  street: Text,
  requiredDays: Type.Integer({ minimum: 0, maximum: 31 }),
  workingDays: Type.Integer({ minimum: 0, maximum: 31 }),
  secretaries: Type.Array(
    Type.Object({
      name: Text,
      community: Text,
      dispatchingUnit: Text,
      /** One mark per calendar day of the month. */
      days: Type.Array(AttendanceMark, { minItems: 28, maxItems: 31 }),
      presentDays: Type.Integer({ minimum: 0, maximum: 31 }),
      leaveDays: Type.Integer({ minimum: 0, maximum: 31 }),
      metQuota: Type.Boolean(),
    }),
    { minItems: 1 },
  ),
  signatures: Signatures,
});
export type AttendanceSheetData = Type.Static<typeof AttendanceSheetData>;
