// 期满联合考核表: the joint assessment at the end of a first secretary's posting by the county
// organization department, the street Party working committee and the dispatching unit.
import Type from 'typebox';
import { DateString, NullableText, ScoreItem, Score, Signatures, Text } from './common.ts';

export const FinalAssessmentData = Type.Object({
  secretary: Type.Object({
    name: Text,
    /** Null where the personnel record lacks it: the form prints a blank line to fill in by hand. */
    gender: Type.Union([Type.Literal('男'), Type.Literal('女'), Type.Null()]),
    birthMonth: Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}$' }), Type.Null()]),
    politicalStatus: NullableText,
    dispatchingUnit: Text,
    originalPosition: Text,
    community: Text,
    street: Text,
    postedFrom: DateString,
    postedTo: DateString,
  }),
  attendance: Type.Object({ presentDays: Type.Integer({ minimum: 0 }), requiredDays: Type.Integer({ minimum: 0 }) }),
  support: Type.Object({
    /** 意外保险 in yuan; the rule is at least 1,000,000. */
    insuranceYuan: Type.Number({ minimum: 0 }),
    /** 工作经费 in yuan; the rule is at least 10,000. */
    workFundsYuan: Type.Number({ minimum: 0 }),
    headVisits: Type.Integer({ minimum: 0 }),
  }),
  quarterlyResults: Type.Array(Type.Object({ period: Text, score: Score, grade: Text }), { minItems: 1 }),
  achievements: Type.Array(Text),
  /** 小考 deductions, each with its reason, period and points. */
  deductions: Type.Array(Type.Object({ period: Text, reason: Text, points: Type.Number({ minimum: 0 }) })),
  scoreItems: Type.Array(ScoreItem, { minItems: 1 }),
  totalScore: Score,
  /** 优秀 / 称职 / 基本称职 / 不称职. */
  grade: Text,
  remark: NullableText,
  /** One block per assessing body, each with its opinion (decision). */
  signatures: Signatures,
});
export type FinalAssessmentData = Type.Static<typeof FinalAssessmentData>;
