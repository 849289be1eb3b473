// 授牌证书: the certificate that goes with the plaque a rated Party organization receives.
import Type from 'typebox';
import { DateString, Text, Year } from './common.ts';

export const StarPlaqueData = Type.Object({
  certificateNumber: Text,
  partyOrganization: Text,
  enterprise: Text,
  stars: Type.Integer({ minimum: 1, maximum: 5 }),
  year: Year,
  validUntil: DateString,
  awardedOn: DateString,
  /** 可享受的激励措施 at this star level, from the 38-measure list. */
  incentives: Type.Array(Text),
});
export type StarPlaqueData = Type.Static<typeof StarPlaqueData>;
