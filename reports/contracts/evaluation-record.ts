// 评诺备案表: the filed record of a year's commitment evaluation (评诺 → 备案管理).
import Type from 'typebox';
import { DateString, ScoreItem, Signatures, Score, Text, Year } from './common.ts';

export const EvaluationRecordData = Type.Object({
  year: Year,
  recordNumber: Text,
  organization: Type.Object({
    name: Text,
    partyOrganization: Text,
    partySecretary: Text,
    contactPhone: Text,
    staffCount: Type.Integer({ minimum: 0 }),
    partyMemberCount: Type.Integer({ minimum: 0 }),
  }),
  commitments: Type.Object({
    partyTotal: Type.Integer({ minimum: 0 }),
    partyFulfilled: Type.Integer({ minimum: 0 }),
    enterpriseTotal: Type.Integer({ minimum: 0 }),
    enterpriseFulfilled: Type.Integer({ minimum: 0 }),
  }),
  /** 自评 / 职工评议 / 组织评价 with their weights (percent) and scores. */
  evaluations: Type.Array(
    Type.Object({ method: Text, weightPercent: Type.Number({ minimum: 0, maximum: 100 }), score: Score }),
    { minItems: 1 },
  ),
  scoreItems: Type.Array(ScoreItem, { minItems: 1 }),
  totalScore: Score,
  grade: Text,
  summary: Text,
  filedOn: DateString,
  signatures: Signatures,
});
export type EvaluationRecordData = Type.Static<typeof EvaluationRecordData>;
