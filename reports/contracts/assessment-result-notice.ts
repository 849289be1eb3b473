// 考核结果通知书 to one assessed person or unit of an assessment round (issue 19): the total, band and
// rank; where the scheme feeds them, the 三岗十八级 pay-grade move, the 绩效奖金 and whether it is on the
// 评先树优 list; during 公示, until when and how to object (the public page's address as a QR code).
import Type from 'typebox';
import { DateString, NullableText, PublicUrl, Score, Text } from './common.ts';

export const AssessmentResultNoticeData = Type.Object({
  scheme: Text,
  period: Text,
  region: Text,
  /** Whom it is addressed to: the person's name, or the unit or organization. */
  addressee: Text,
  unit: Text,
  totalScore: Score,
  grade: Text,
  rank: Type.Integer({ minimum: 1 }),
  of: Type.Integer({ minimum: 1 }),
  gradeNote: NullableText,
  /** 三岗十八级: grade before and after (applied when 公示 ends); null where the scheme does not move pay. */
  payGrade: Type.Union([Type.Object({ before: Type.Integer({ minimum: 1, maximum: 18 }), after: Type.Integer({ minimum: 1, maximum: 18 }) }), Type.Null()]),
  /** 绩效奖金 in yuan; null where the scheme pays none. */
  bonusYuan: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  /** 评先树优: whether listed; null where the scheme keeps no list. */
  honoured: Type.Union([Type.Boolean(), Type.Null()]),
  /** 公示: its last day, and how to object (null: the scheme takes no objections in the service). */
  publicity: Type.Union([Type.Object({
    days: Type.Integer({ minimum: 1 }),
    until: DateString,
    objections: Type.Union([Type.Object({ publicUrl: PublicUrl, contact: Text }), Type.Null()]),
  }), Type.Null()]),
  issuedOn: DateString,
});
export type AssessmentResultNoticeData = Type.Static<typeof AssessmentResultNoticeData>;
