// 考核结果排名 of an assessment round driven by a scheme (issue 19): every assessed person or unit
// with its section scores, total, rank, grade and — where the scheme moves pay under 三岗十八级 —
// the pay grade before and after; the sources' weights say how the total was made.
import Type from 'typebox';
import { DateString, NullableText, Score, Signatures, Text } from './common.ts';

export const AssessmentRankingData = Type.Object({
  scheme: Text,
  period: Text,
  region: Text,
  decidedOn: DateString,
  sources: Type.Array(Type.Object({ name: Text, percent: Type.Number({ minimum: 0, maximum: 100 }) }), { minItems: 1 }),
  sections: Type.Array(Type.Object({ name: Text, weight: Score }), { minItems: 1 }),
  payGrades: Type.Boolean(),
  entries: Type.Array(
    Type.Object({
      rank: Type.Integer({ minimum: 1 }),
      name: Text,
      unit: Text,
      sectionScores: Type.Array(Score),
      totalScore: Score,
      grade: Text,
      payGrade: NullableText,
    }),
    { minItems: 1 },
  ),
  note: Text,
  signatures: Signatures,
});
export type AssessmentRankingData = Type.Static<typeof AssessmentRankingData>;
