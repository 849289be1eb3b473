// 评诺备案表: the filed record of a year's commitment evaluation (评诺 → 备案管理).
import Type from 'typebox';
import { Count, DateString, NullableText, OrganizationLabel, Signatures, Score, Text, Year } from './common.ts';

export const EvaluationRecordData = Type.Object({
  year: Year,
  /** 备案编号, allocated once per set (任组备〔2026〕12号). */
  recordNumber: Text,
  organization: Type.Object({
    name: Text,
    label: OrganizationLabel,
    partyOrganization: Text,
    /** 党组织类型 and founding date, as on record; null prints a blank to fill in. */
    partyOrgType: NullableText,
    partyOrgFoundedOn: Type.Union([DateString, Type.Null()]),
    /** The responsible person whose role is the Party secretary; never the investor. */
    partySecretary: NullableText,
    contactPhone: NullableText,
    staffCount: Count,
    partyMemberCount: Count,
  }),
  commitments: Type.Object({
    partyTotal: Type.Integer({ minimum: 0 }),
    partyFulfilled: Type.Integer({ minimum: 0 }),
    enterpriseTotal: Type.Integer({ minimum: 0 }),
    enterpriseFulfilled: Type.Integer({ minimum: 0 }),
  }),
  /**
   * 自评 / 职工评议 / 组织评价: each component's score (out of 100), its weight as the rule
   * applied it, and its weighted part; the parts add up to totalScore.
   */
  evaluations: Type.Array(
    Type.Object({ method: Text, weightPercent: Type.Number({ minimum: 0, maximum: 100 }), score: Type.Union([Score, Type.Null()]), weighted: Score }),
    { minItems: 1 },
  ),
  /** The organization's rating of each commitment, out of 100; their mean is the 组织评价 score. */
  itemScores: Type.Array(Type.Object({ side: Text, item: Text, status: Text, score: Score, remark: NullableText }), { minItems: 1 }),
  itemMean: Score,
  totalScore: Score,
  grade: Text,
  summary: Text,
  filedOn: DateString,
  signatures: Signatures,
});
export type EvaluationRecordData = Type.Static<typeof EvaluationRecordData>;
