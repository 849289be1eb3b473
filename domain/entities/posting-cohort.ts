// A cohort of first secretaries posted together by an organization department (e.g. Dafang's
// 32), with the posting rules as settings (domain/posting/rules.ts defaults).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AdministrativeUnit } from './administrative-unit.ts';
import { createdAt, uuidKey } from './common.ts';
import type { CohortSettings } from '../posting/rules.ts';

export const PostingCohort = defineEntity({
  name: 'PostingCohort',
  tableName: 'posting_cohort',
  properties: {
    id: uuidKey(),
    name: p.string().length(200),
    /** The county/district whose organization department runs the cohort. */
    region: () => p.manyToOne(AdministrativeUnit).ref().index(),
    startsOn: p.date(),
    settings: p.json<CohortSettings>(),
    createdAt: createdAt(),
  },
});
export type PostingCohort = InferEntity<typeof PostingCohort>;
