// 季度述评报告: a first secretary's quarter (按季述评): self-assessment, residents' rating and
// the organization's review, with the dispatching unit's visits.
import Type from 'typebox';
import { DateString, MonthString, Score, Signatures, Text } from './common.ts';

export const QuarterlyReviewData = Type.Object({
  /**
   * The posting's own quarter (派驻第N季度): quarters start with the posting, not with the
   * calendar year, so they are named by their index and dates.
   */
  period: Type.Object({ index: Type.Integer({ minimum: 1, maximum: 8 }), from: DateString, to: DateString }),
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
  /** Residents' ratings received in the quarter; no rate when none came in (0 answers is not 0%). */
  residentsRating: Type.Object({
    respondents: Type.Integer({ minimum: 0 }),
    satisfactionPercent: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]),
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
