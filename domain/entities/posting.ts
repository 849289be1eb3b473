// A first secretary's posting (第一书记选派): who, to which community, from which dispatching unit.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Organization } from './organization.ts';
import { Person } from './person.ts';
import { createdAt, uuidKey } from './common.ts';

export const Posting = defineEntity({
  name: 'Posting',
  tableName: 'posting',
  properties: {
    id: uuidKey(),
    person: () => p.manyToOne(Person).ref().index(),
    community: () => p.manyToOne(AdministrativeUnit).ref().index(),
    dispatchingOrganization: () => p.manyToOne(Organization).ref().index(),
    startsOn: p.date(),
    endsOn: p.date(),
    createdAt: createdAt(),
  },
});
export type Posting = InferEntity<typeof Posting>;
