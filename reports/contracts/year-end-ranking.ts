// 年终考核排名: all first secretaries of a county/district ranked on the year-end assessment
// (年终考核), from the three sources and the 小考 tally, each with its weight.
import Type from 'typebox';
import { DateString, Score, Signatures, Text, Year } from './common.ts';

export const YearEndRankingData = Type.Object({
  year: Year,
  region: Text,
  decidedOn: DateString,
  weights: Type.Object({
    selfPercent: Type.Number({ minimum: 0, maximum: 100 }),
    residentsPercent: Type.Number({ minimum: 0, maximum: 100 }),
    organizationPercent: Type.Number({ minimum: 0, maximum: 100 }),
    /** 小考 (daily quantified tally); the four weights add up to 100 as the rule computes the total. */
    routinePercent: Type.Number({ minimum: 0, maximum: 100 }),
  }),
  entries: Type.Array(
    Type.Object({
      rank: Type.Integer({ minimum: 1 }),
      name: Text,
      community: Text,
      street: Text,
      dispatchingUnit: Text,
      selfScore: Score,
      residentsScore: Score,
      organizationScore: Score,
      routineScore: Score,
      totalScore: Score,
      grade: Text,
    }),
    { minItems: 1 },
  ),
  note: Text,
  signatures: Signatures,
});
export type YearEndRankingData = Type.Static<typeof YearEndRankingData>;
