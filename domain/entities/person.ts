// A person known to the service: staff, Party secretaries, enterprise representatives,
// first secretaries. Belongs to a unit, an organization, or both (for scoping).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Organization } from './organization.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';

export const Person = defineEntity({
  name: 'Person',
  tableName: 'person',
  properties: {
    id: uuidKey(),
    name: p.string().length(100),
    phone: p.string().length(32).nullable(),
    title: p.string().length(100).nullable(),
    isPartyMember: p.boolean().default(false),
    /** 性别 / 出生年月 (YYYY-MM) / 政治面貌 as on personnel forms (期满联合考核表); unknown until filed. */
    gender: p.enum(['男', '女'] as const).nullable(),
    birthMonth: p.string().length(7).nullable(),
    politicalStatus: p.string().length(20).nullable(),
    unit: () => p.manyToOne(AdministrativeUnit).ref().nullable().index(),
    organization: () => p.manyToOne(Organization).ref().nullable().index(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Person = InferEntity<typeof Person>;
