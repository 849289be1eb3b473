// 评价结果报送 of an assessment round to a body outside the tree (a scheme's outputs.reportTo, e.g. the
// 住建/房管 regulator of property services, 红色物业): addressed to that body, how the results were made
// (who rated, who held the first review, who graded), the count per grade and every assessed one's result.
import Type from 'typebox';
import { DateString, Score, Signatures, Text } from './common.ts';

export const AssessmentReportToData = Type.Object({
  addressee: Text,
  scheme: Text,
  period: Text,
  region: Text,
  decidedOn: DateString,
  /** How the results were made, in order (社区评价、街道初审、组织部门评定…). */
  steps: Type.Array(Text, { minItems: 1 }),
  grades: Type.Array(Type.Object({ name: Text, count: Type.Integer({ minimum: 0 }) }), { minItems: 1 }),
  entries: Type.Array(
    Type.Object({ rank: Type.Integer({ minimum: 1 }), name: Text, unit: Text, totalScore: Score, grade: Text }),
    { minItems: 1 },
  ),
  signatures: Signatures,
});
export type AssessmentReportToData = Type.Static<typeof AssessmentReportToData>;
