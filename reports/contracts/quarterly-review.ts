// 季度述评报告: a first secretary's quarter (按季述评): self-assessment, residents' rating and
// the organization's review, with the dispatching unit's visits.
import Type from 'typebox';
import { DateString, MonthString, Score, Signatures, Text, Year } from './common.ts';

export const QuarterlyReviewData = Type.Object({
  year: Year,
  quarter: Type.Integer({ minimum: 1, maximum: 4 }),
  secretary: Type.Object({
    name: Text,
    dispatchingUnit: Text,
    community: Text,
    street: Text,
    postedFrom: DateString,
    postedTo: DateString,
  }),
  attendance: Type.Array(
    Type.Object({ month: MonthString, presentDays: Type.Integer({ minimum: 0 }), requiredDays: Type.Integer({ minimum: 0 }) }),
    { minItems: 1, maxItems: 3 },
  ),
  /** 晒绩自评 paragraphs, as written by the secretary. */
  selfAssessment: Type.Array(Text, { minItems: 1 }),
  achievements: Type.Array(Text),
  residentsRating: Type.Object({
    respondents: Type.Integer({ minimum: 0 }),
    satisfactionPercent: Type.Number({ minimum: 0, maximum: 100 }),
  }),
  visits: Type.Array(Type.Object({ date: DateString, visitor: Text, position: Text, purpose: Text })),
  /** 晒绩自评 / 群众测评 / 组织考评. */
  scores: Type.Array(Type.Object({ source: Text, weightPercent: Type.Number({ minimum: 0, maximum: 100 }), score: Score }), {
    minItems: 1,
  }),
  totalScore: Score,
  grade: Text,
  organizationReview: Text,
  signatures: Signatures,
});
export type QuarterlyReviewData = Type.Static<typeof QuarterlyReviewData>;
