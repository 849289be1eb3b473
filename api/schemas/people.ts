import Type from 'typebox';
import type { Person } from '../../domain/entities/person.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from './common.ts';

const example = {
  id: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d',
  name: '张卫东',
  phone: '13905370123',
  title: '第一书记',
  isPartyMember: true,
  unitId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  organizationId: null,
  unitName: '金鑫社区',
  organizationName: null,
  createdAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T08:00:00.000Z',
};
export const personExample = example;

export const PersonDto = Type.Object({
  id: Uuid,
  name: Type.String(),
  phone: Nullable(Type.String()),
  title: Nullable(Type.String()),
  isPartyMember: Type.Boolean(),
  unitId: Nullable(Uuid),
  organizationId: Nullable(Uuid),
  unitName: Type.Optional(Nullable(Type.String({ description: 'name of the unit (in lists and single reads)' }))),
  organizationName: Type.Optional(Nullable(Type.String({ description: 'name of the organization (in lists and single reads)' }))),
  createdAt: DateTime,
  updatedAt: DateTime,
}, { examples: [example] });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+ -]{5,32}$', description: 'digits, +, space or -' }))),
  title: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  isPartyMember: Type.Optional(Type.Boolean()),
  unitId: Type.Optional(Nullable(Uuid)),
  organizationId: Type.Optional(Nullable(Uuid)),
};

export const PersonCreate = Type.Object(fields, {
  additionalProperties: false,
  examples: [{ name: example.name, phone: example.phone, title: example.title, isPartyMember: true, unitId: example.unitId }],
});
export const PersonUpdate = Type.Object(
  { ...fields, name: Type.Optional(fields.name) },
  { additionalProperties: false, minProperties: 1, examples: [{ phone: '13905370999' }] },
);

export const PersonQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name or phone' })),
  organizationId: Type.Optional(Type.String({ format: 'uuid' })),
  unitId: Type.Optional(Type.String({ format: 'uuid' })),
  ...PageQuery,
}, { additionalProperties: false });

export function personDto(person: Person) {
  return {
    id: person.id,
    name: person.name,
    phone: person.phone ?? null,
    title: person.title ?? null,
    isPartyMember: person.isPartyMember,
    unitId: person.unit?.id ?? null,
    organizationId: person.organization?.id ?? null,
    // Names where the read loaded the unit and organization (unwrap gives an unloaded one without a name).
    unitName: person.unit?.unwrap().name ?? null,
    organizationName: person.organization?.unwrap().name ?? null,
    createdAt: iso(person.createdAt)!,
    updatedAt: iso(person.updatedAt)!,
  };
}
