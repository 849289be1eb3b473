// 考核评分表 of one assessed person or unit of an assessment round driven by a scheme (issue 19):
// the scheme's sections and indicators with their weights, what each source gave each indicator
// (out of the indicator's weight; null where the source does not score it or filed nothing), the
// rates with their counts (无数据 where nothing was counted and the indicator was left out), the
// total, the grade band and rank, and the sign-off chain's blocks.
import Type from 'typebox';
import { DateString, NullableText, Score, Signatures, Text } from './common.ts';

const Points = Type.Union([Score, Type.Null()]);

export const AssessmentScoreSheetData = Type.Object({
  scheme: Text,
  period: Text,
  region: Text,
  subject: Type.Object({ name: Text, unit: Text }),
  /** The sources in the scheme's order: name, weight in percent, how many filings counted. */
  sources: Type.Array(Type.Object({ name: Text, percent: Type.Number({ minimum: 0, maximum: 100 }), filings: Type.Integer({ minimum: 0 }) }), { minItems: 1 }),
  sections: Type.Array(Type.Object({
    name: Text,
    weight: Score,
    indicators: Type.Array(Type.Object({
      name: Text,
      weight: Score,
      /** The full marks after 无数据 indicators were left out (the weight rescaled); null when nothing was rescaled. */
      scaledWeight: Points,
      /** One per source, in the order of `sources`: the source's mean, as points of `weight`. */
      sourcePoints: Type.Array(Points),
      /** The indicator's points in the total; null = 无数据 (left out, the others rescaled). */
      points: Points,
      /** How it was scored: 计分方式 and, for a rate, its counts (26/30) or 无数据. */
      note: NullableText,
    }), { minItems: 1 }),
  }), { minItems: 1 }),
  /** Printed when some indicators were left out as 无数据 (the others' weights rescaled to 100). */
  rescaled: NullableText,
  totalScore: Score,
  grade: Text,
  rank: Type.Integer({ minimum: 1 }),
  of: Type.Integer({ minimum: 1 }),
  /** Why the band differs from what the total reaches (the top band's cap, an upheld objection). */
  gradeNote: NullableText,
  decidedOn: DateString,
  signatures: Signatures,
});
export type AssessmentScoreSheetData = Type.Static<typeof AssessmentScoreSheetData>;
