import Type from 'typebox';
import { UNIT_LEVELS, type AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from './common.ts';

export const UnitLevel = Type.Enum(UNIT_LEVELS, { description: 'city 市, district 区/县, street 街道, community 社区, grid 网格' });

const example = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  code: 'RC-JX-01',
  name: '金鑫社区',
  level: 'community',
  parentId: '5d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  ancestorIds: ['7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', '5d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
  depth: 2,
  partyOrgName: '金鑫社区党委',
  createdAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T08:00:00.000Z',
};
export const unitExample = example;

export const Unit = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  level: UnitLevel,
  parentId: Nullable(Uuid),
  /** Root first, parent last. */
  ancestorIds: Type.Array(Uuid),
  depth: Type.Integer(),
  partyOrgName: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
}, { examples: [example] });

export const UnitCreate = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: 'stable business code (letters, digits, _ . -)' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  level: UnitLevel,
  parentId: Type.Optional(Nullable(Uuid)),
  partyOrgName: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false, examples: [{ code: 'RC-JX-01', name: '金鑫社区', level: 'community', parentId: example.parentId, partyOrgName: '金鑫社区党委' }] });

export const UnitUpdate = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  partyOrgName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false, minProperties: 1, examples: [{ partyOrgName: '金鑫社区党委（新）' }] });

export const UnitQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name or code' })),
  level: Type.Optional(UnitLevel),
  parentId: Type.Optional(Uuid),
  underId: Type.Optional(Type.String({ format: 'uuid', description: 'only units in the subtree of this unit (itself included)' })),
  ...PageQuery,
}, { additionalProperties: false });

export function unitDto(unit: AdministrativeUnit) {
  const ids = unit.path.split('/').filter(Boolean);
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    level: unit.level,
    parentId: unit.parent?.id ?? null,
    ancestorIds: ids.slice(0, -1),
    depth: unit.depth,
    partyOrgName: unit.partyOrgName,
    createdAt: iso(unit.createdAt)!,
    updatedAt: iso(unit.updatedAt)!,
  };
}
