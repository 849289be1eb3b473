// 写实评价: the street or community Party organization's year-end factual evaluation of a
// resident unit's participation in 四双 (双向协商、双向承诺、双向服务、双向评价), countersigned by
// the organization department and sent to the unit's superior Party organization. No score.
import Type from 'typebox';
import { DateString, NullableText, Signatures, Text, Year } from './common.ts';

export const FactualEvaluationData = Type.Object({
  year: Year,
  documentNumber: Text,
  unit: Type.Object({
    name: Text,
    partyOrganization: Text,
    address: NullableText,
  }),
  /** The street or community Party organization that writes the evaluation. */
  evaluatingOrganization: Text,
  /** 报送上级党组织: the unit's superior Party organization, to which the department sends the evaluation. */
  superior: Type.Object({ name: Text, contact: NullableText }),
  /** Every approved commitment of both sides with its fulfilment as the evaluator records it. */
  commitments: Type.Array(Type.Object({ side: Text, title: Text, deadline: DateString, status: Text }), { minItems: 1 }),
  counts: Type.Object({
    total: Type.Integer({ minimum: 0 }),
    fulfilled: Type.Integer({ minimum: 0 }),
    partly: Type.Integer({ minimum: 0 }),
    notFulfilled: Type.Integer({ minimum: 0 }),
  }),
  /** The factual text, as written; paragraphs separated by blank lines. */
  evaluation: Type.Array(Text, { minItems: 1 }),
  writtenOn: DateString,
  signatures: Signatures,
});
export type FactualEvaluationData = Type.Static<typeof FactualEvaluationData>;
