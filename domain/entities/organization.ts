// Organizations that take part in cycles: non-public enterprises (非公企业), social
// organizations (社会组织) and resident units (驻区单位, also the dispatching units of first secretaries).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AdministrativeUnit } from './administrative-unit.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';

export const ORGANIZATION_KINDS = ['non_public_enterprise', 'social_organization', 'resident_unit', 'property_service'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const PARTY_ORG_TYPES = ['党委', '党总支', '党支部', '联合党支部'] as const;

export interface ResponsiblePerson {
  /** e.g. 出资人, 负责人, 党组织书记 */
  role: string;
  name: string;
  phone?: string;
}

export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organization',
  properties: {
    id: uuidKey(),
    name: p.string().length(200),
    kind: p.enum(ORGANIZATION_KINDS),
    unit: () => p.manyToOne(AdministrativeUnit).ref().index(),
    /** 统一社会信用代码 (18 characters); unique when given. */
    creditCode: p.string().length(18).nullable().unique(),
    partyOrgName: p.string().length(200).nullable(),
    responsiblePeople: p.json<ResponsiblePerson[]>(),
    address: p.string().length(300).nullable(),
    /** 职工人数 and 党员人数 as the organization reported them; null (unknown) prints a blank cell. */
    staffCount: p.integer().nullable(),
    partyMemberCount: p.integer().nullable(),
    /** 党组织类型: 党委 / 党总支 / 党支部 / 联合党支部. */
    partyOrgType: p.string().length(20).nullable(),
    partyOrgFoundedOn: p.date().nullable(),
    /** 法定代表人. */
    legalRepresentative: p.string().length(100).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Organization = InferEntity<typeof Organization>;
