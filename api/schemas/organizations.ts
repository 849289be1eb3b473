import Type from 'typebox';
import { ORGANIZATION_KINDS, PARTY_ORG_TYPES, type Organization } from '../../domain/entities/organization.ts';
import type { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from './common.ts';

export const OrganizationKind = Type.Enum(ORGANIZATION_KINDS, { description: 'non_public_enterprise 非公企业, social_organization 社会组织, resident_unit 驻区单位' });
export const CreditCode = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$', description: '统一社会信用代码: 18 characters' });

const ResponsiblePerson = Type.Object({
  role: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. 出资人, 负责人, 党组织书记' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  phone: Type.Optional(Type.String({ pattern: '^[0-9+ -]{5,32}$' })),
}, { additionalProperties: false });

const example = {
  id: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  name: '济宁鑫源机械制造有限公司',
  kind: 'non_public_enterprise',
  unitId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  unitName: '金鑫社区',
  creditCode: '91370811MA3C4D5E6F',
  partyOrgName: '济宁鑫源机械制造有限公司党支部',
  responsiblePeople: [{ role: '出资人', name: '刘建国', phone: '13905370001' }],
  address: '任城区金鑫路18号',
  legalRepresentative: '刘建国',
  staffCount: 326,
  partyMemberCount: 27,
  partyOrgType: '党支部',
  partyOrgFoundedOn: '2015-07-01',
  createdAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T08:00:00.000Z',
};
export const organizationExample = example;

/** What the forms print (评诺备案表): null is unknown, and the form leaves the cell blank. */
const documentFields = {
  legalRepresentative: Nullable(Type.String({ minLength: 1, maxLength: 100, description: '法定代表人' })),
  staffCount: Nullable(Type.Integer({ minimum: 0, maximum: 9_999_999, description: '职工人数' })),
  partyMemberCount: Nullable(Type.Integer({ minimum: 0, maximum: 9_999_999, description: '党员人数' })),
  partyOrgType: Nullable(Type.Enum(PARTY_ORG_TYPES, { description: '党组织类型' })),
  partyOrgFoundedOn: Nullable(Type.String({ format: 'date', description: '党组织成立日期 YYYY-MM-DD' })),
};
const optionalDocumentFields = Object.fromEntries(Object.entries(documentFields).map(([k, v]) => [k, Type.Optional(v)])) as {
  [K in keyof typeof documentFields]: Type.TOptional<(typeof documentFields)[K]>;
};

export const OrganizationDto = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: OrganizationKind,
  unitId: Uuid,
  unitName: Type.String(),
  creditCode: Nullable(Type.String()),
  partyOrgName: Nullable(Type.String()),
  responsiblePeople: Type.Array(ResponsiblePerson),
  address: Nullable(Type.String()),
  ...documentFields,
  createdAt: DateTime,
  updatedAt: DateTime,
}, { examples: [example] });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: OrganizationKind,
  unitId: Uuid,
  creditCode: Type.Optional(Nullable(CreditCode)),
  partyOrgName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  responsiblePeople: Type.Optional(Type.Array(ResponsiblePerson, { maxItems: 20 })),
  address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  ...optionalDocumentFields,
};

export const OrganizationCreate = Type.Object(fields, {
  additionalProperties: false,
  examples: [
    {
      name: example.name,
      kind: example.kind,
      unitId: example.unitId,
      creditCode: example.creditCode,
      partyOrgName: example.partyOrgName,
      responsiblePeople: example.responsiblePeople,
      address: example.address,
    },
  ],
});

export const OrganizationUpdate = Type.Object({
  name: Type.Optional(fields.name),
  kind: Type.Optional(fields.kind),
  unitId: Type.Optional(fields.unitId),
  creditCode: fields.creditCode,
  partyOrgName: fields.partyOrgName,
  responsiblePeople: fields.responsiblePeople,
  address: fields.address,
  ...optionalDocumentFields,
}, { additionalProperties: false, minProperties: 1, examples: [{ partyOrgName: '济宁鑫源机械制造有限公司党总支' }] });

export const OrganizationQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name or credit code' })),
  kind: Type.Optional(OrganizationKind),
  underUnitId: Type.Optional(Type.String({ format: 'uuid', description: 'only organizations in the subtree of this unit' })),
  ...PageQuery,
}, { additionalProperties: false });

export function organizationDto(org: Organization) {
  const unit = org.unit.getEntity() as AdministrativeUnit;
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    unitId: unit.id,
    unitName: unit.name,
    creditCode: org.creditCode ?? null,
    partyOrgName: org.partyOrgName ?? null,
    responsiblePeople: org.responsiblePeople,
    address: org.address ?? null,
    legalRepresentative: org.legalRepresentative ?? null,
    staffCount: org.staffCount ?? null,
    partyMemberCount: org.partyMemberCount ?? null,
    partyOrgType: (org.partyOrgType ?? null) as (typeof PARTY_ORG_TYPES)[number] | null,
    partyOrgFoundedOn: org.partyOrgFoundedOn ?? null,
    createdAt: iso(org.createdAt)!,
    updatedAt: iso(org.updatedAt)!,
  };
}
