// 承诺公示: the approved dual commitments (双向承诺) of one enterprise or social organization and
// its Party organization, posted for staff and the public during the publication window (亮诺).
// Issued by the organization's Party organization, signed by its secretary and by the
// enterprise's investor (出资人) or the organization's head (负责人), by hand.
import Type from 'typebox';
import { DateString, NullableText, OrganizationLabel, PublicUrl, Signatures, Text, Year } from './common.ts';

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
    /** 企业 for a non-public enterprise, 社会组织 for a social organization. */
    label: OrganizationLabel,
    partyOrganization: Text,
    address: NullableText,
  }),
  publication: Type.Object({ from: DateString, to: DateString }),
  /** 党组织向企业（社会组织）承诺 (6 areas in the default catalog). */
  partyCommitments: Type.Array(CommitmentArea, { minItems: 1 }),
  /** 企业（社会组织）向党组织承诺 (3 areas in the default catalog). */
  enterpriseCommitments: Type.Array(CommitmentArea, { minItems: 1 }),
  /** Where staff and the public report: the supervising Party organization and its phone (blank when none is on record). */
  supervision: Type.Object({ contact: Text, phone: NullableText }),
  /** The notice's public page (亮诺), printed as a QR code. */
  publicUrl: PublicUrl,
  signatures: Signatures,
});
export type CommitmentNoticeData = Type.Static<typeof CommitmentNoticeData>;
