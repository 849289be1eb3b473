// 月度考勤表: one street's first secretaries, day by day for a month, against the quota of
// 22 days of work in the community (派驻社区).
import Type from 'typebox';
import { MonthString, NullableText, Signatures, Text } from './common.ts';

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
  /** A warning printed on the sheet, e.g. that the year has no published holiday calendar. */
  calendarNote: NullableText,
  secretaries: Type.Array(
    Type.Object({
      name: Text,
      community: Text,
      dispatchingUnit: Text,
      /** One mark per calendar day of the month. */
      days: Type.Array(AttendanceMark, { minItems: 28, maxItems: 31 }),
      presentDays: Type.Integer({ minimum: 0, maximum: 31 }),
      /** 公差: approved official trips, counted as days of work by the cohort's rule. */
      businessDays: Type.Integer({ minimum: 0, maximum: 31 }),
      /** 请假: approved leave, not counted as days of work. */
      leaveDays: Type.Integer({ minimum: 0, maximum: 31 }),
      metQuota: Type.Boolean(),
    }),
    { minItems: 1 },
  ),
  signatures: Signatures,
});
export type AttendanceSheetData = Type.Static<typeof AttendanceSheetData>;
