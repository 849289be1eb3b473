// An assessment cycle: which kind, which year, over which units/organizations, and the
// catalog versions it was started with. The process state lives in Temporal; this row is
// the record of what was started and its coarse status.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { CatalogVersion } from './catalog-version.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';

export const CYCLE_TYPES = ['dual_commitment', 'star_rating', 'posting'] as const;
export type CycleType = (typeof CYCLE_TYPES)[number];
export const CYCLE_STATUSES = ['draft', 'running', 'completed', 'cancelled'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

export interface CycleScope {
  unitIds: string[];
  organizationIds?: string[];
}

export const Cycle = defineEntity({
  name: 'Cycle',
  tableName: 'cycle',
  properties: {
    id: uuidKey(),
    type: p.enum(CYCLE_TYPES),
    year: p.integer(),
    name: p.string().length(200),
    scope: p.json<CycleScope>(),
    /** The main catalog: dual-commitment catalog or star-rating indicator system. */
    catalogVersion: () => p.manyToOne(CatalogVersion).ref().nullable(),
    /** Star rating only: the incentive list in force. */
    incentiveCatalogVersion: () => p.manyToOne(CatalogVersion).ref().nullable(),
    templateVersion: p.string().length(100).nullable(),
    settings: p.json<Record<string, unknown>>(),
    status: p.enum(CYCLE_STATUSES).default('draft'),
    workflowId: p.string().length(200).nullable(),
    createdBy: () => p.manyToOne(Account).ref().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'cycle_type_year_idx', properties: ['type', 'year'] }],
});
export type Cycle = InferEntity<typeof Cycle>;
