// Versioned catalogs: the dual-commitment catalog, the star-rating indicator system and the
// incentive list. Editing creates a new version; a version used by a cycle (usedAt set) is
// never changed, so a running cycle keeps the catalog it started with.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { createdAt, uuidKey } from './common.ts';
import { CATALOG_KINDS } from '../catalogs/kinds.ts';

export const CatalogVersion = defineEntity({
  name: 'CatalogVersion',
  tableName: 'catalog_version',
  properties: {
    id: uuidKey(),
    kind: p.enum(CATALOG_KINDS),
    version: p.integer(),
    name: p.string().length(200),
    /** The shipped default (默认目录，请各地替换), not a department's own catalog. */
    isDefault: p.boolean().default(false),
    content: p.json<unknown>(),
    basedOn: () => p.manyToOne(CatalogVersion).ref().nullable(),
    createdBy: () => p.manyToOne(Account).ref().nullable(),
    /** Set when a cycle first uses this version; from then on it is immutable. */
    usedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'catalog_version_kind_version_unique', properties: ['kind', 'version'] }],
});
export type CatalogVersion = InferEntity<typeof CatalogVersion>;
