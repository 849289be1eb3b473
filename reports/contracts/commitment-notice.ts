// 承诺公示: the approved dual commitments (双向承诺) of one enterprise and its Party
// organization, posted for staff and the public during the publication window (亮诺).
import Type from 'typebox';
import { DateString, NullableText, Signatures, Text, Year } from './common.ts';

const Commitment = Type.Object({
  content: Text,
  /** 承诺目标: what can be seen when it is done. */
  target: Text,
  deadline: DateString,
});

const CommitmentArea = Type.Object({
  area: Text,
  items: Type.Array(Commitment, { minItems: 1 }),
});

export const CommitmentNoticeData = Type.Object({
  year: Year,
  organization: Type.Object({
    name: Text,
    partyOrganization: Text,
    address: NullableText,
  }),
  publication: Type.Object({ from: DateString, to: DateString }),
  /** 党组织向企业承诺 (6 areas in the default catalog). */
  partyCommitments: Type.Array(CommitmentArea, { minItems: 1 }),
  /** 企业向党组织承诺 (3 areas in the default catalog). */
  enterpriseCommitments: Type.Array(CommitmentArea, { minItems: 1 }),
  supervision: Type.Object({ phone: Text, contact: Text }),
  signatures: Signatures,
});
export type CommitmentNoticeData = Type.Static<typeof CommitmentNoticeData>;
