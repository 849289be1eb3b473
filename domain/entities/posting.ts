// A first secretary's posting (第一书记选派): who, to which community, from which dispatching
// unit, in which cohort. Its workflow is posting/<id>; `status` mirrors the workflow's last
// saved PostingStatus so lists and reports need no Temporal query.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Organization } from './organization.ts';
import { Person } from './person.ts';
import { PostingCohort } from './posting-cohort.ts';
import { createdAt, uuidKey } from './common.ts';
import type { PostingStatus } from '../posting/contracts.ts';

export const Posting = defineEntity({
  name: 'Posting',
  tableName: 'posting',
  properties: {
    id: uuidKey(),
    person: () => p.manyToOne(Person).ref().index(),
    community: () => p.manyToOne(AdministrativeUnit).ref().index(),
    dispatchingOrganization: () => p.manyToOne(Organization).ref().index(),
    cohort: () => p.manyToOne(PostingCohort).ref().nullable().index(),
    /** 原单位职务, printed on the final assessment form. */
    originalPosition: p.string().length(100).nullable(),
    startsOn: p.date(),
    endsOn: p.date(),
    phase: p.string().length(30).default('awaiting_guarantees'),
    status: p.json<PostingStatus>().nullable(),
    createdAt: createdAt(),
  },
});
export type Posting = InferEntity<typeof Posting>;
