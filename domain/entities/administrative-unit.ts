// The administrative tree (市/区县 → 街道 → 社区 → 网格), each unit with its Party organization.
// `path` is the materialized path of ancestor ids ("<root>/<child>/.../<self>/"), so the
// subtree of a unit is one prefix query on an index with text_pattern_ops.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidKey } from './common.ts';

export const UNIT_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export const AdministrativeUnit = defineEntity({
  name: 'AdministrativeUnit',
  tableName: 'administrative_unit',
  properties: {
    id: uuidKey(),
    /** Stable business code (e.g. a statistical division code), used by CSV imports to name parents. */
    code: p.string().length(64).unique(),
    name: p.string().length(200),
    level: p.enum(UNIT_LEVELS),
    parent: () => p.manyToOne(AdministrativeUnit).ref().nullable().index(),
    path: p.text(),
    depth: p.smallint(),
    /** The unit's Party organization, e.g. 某某街道党工委, 某某社区党委, 第一网格党支部. */
    partyOrgName: p.string().length(200),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'administrative_unit_path_prefix_idx', expression: 'create index "administrative_unit_path_prefix_idx" on "administrative_unit" ("path" text_pattern_ops)' }],
});
export type AdministrativeUnit = InferEntity<typeof AdministrativeUnit>;
