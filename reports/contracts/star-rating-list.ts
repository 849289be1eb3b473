// 星级评定名单: the published list of enterprises' Party organizations and their star level
// after a rating (两年一评) or annual review (一年一审), with moves up and down.
import Type from 'typebox';
import { DateString, Score, Signatures, Text, Year } from './common.ts';

const Stars = Type.Integer({ minimum: 1, maximum: 5 });

export const StarRatingListData = Type.Object({
  year: Year,
  /** 评定 (full rating) or 复审 (annual review). */
  kind: Type.Union([Type.Literal('评定'), Type.Literal('复审')]),
  region: Text,
  decidedOn: DateString,
  entries: Type.Array(
    Type.Object({
      partyOrganization: Text,
      enterprise: Text,
      street: Text,
      score: Score,
      stars: Stars,
      previousStars: Type.Union([Stars, Type.Null()]),
    }),
    { minItems: 1 },
  ),
  note: Text,
  signatures: Signatures,
});
export type StarRatingListData = Type.Static<typeof StarRatingListData>;
