// 星级党组织证书: the certificate that goes with the plaque (授牌) a rated Party organization
// receives. A certificate states the award only; the incentives that follow a level are
// notified separately (they change with the level and the department's list).
import Type from 'typebox';
import { DateString, OrganizationLabel, Text, Year } from './common.ts';

export const StarPlaqueData = Type.Object({
  certificateNumber: Text,
  partyOrganization: Text,
  enterprise: Text,
  /** 企业 or 社会组织. */
  label: OrganizationLabel,
  stars: Type.Integer({ minimum: 1, maximum: 5 }),
  year: Year,
  validUntil: DateString,
  awardedOn: DateString,
});
export type StarPlaqueData = Type.Static<typeof StarPlaqueData>;
