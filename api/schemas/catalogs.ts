import Type from 'typebox';
import { CATALOG_KINDS } from '../../domain/catalogs/kinds.ts';
import type { CatalogVersion } from '../../domain/entities/catalog-version.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from './common.ts';

export const CatalogKind = Type.Enum(CATALOG_KINDS, {
  description: 'dual_commitment 双向承诺事项目录, resident_unit_commitment 驻区单位“四双”承诺事项目录, star_rating 星级评定指标体系, incentive 激励措施清单',
});

const example = {
  id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  kind: 'star_rating',
  version: 2,
  name: '“三维一体”星级评定指标体系（2027版）',
  isDefault: false,
  basedOnId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  createdById: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  usedAt: null,
  createdAt: '2026-11-21T08:00:00.000Z',
};
export const catalogExample = example;

const summaryFields = {
  id: Uuid,
  kind: CatalogKind,
  version: Type.Integer(),
  name: Type.String(),
  isDefault: Type.Boolean({ description: 'the shipped default (默认目录，请各地替换)' }),
  basedOnId: Nullable(Uuid),
  createdById: Nullable(Uuid),
  usedAt: Nullable(Type.String({ format: 'date-time', description: 'when a cycle first used this version; it is immutable from then on' })),
  createdAt: DateTime,
};
export const CatalogSummary = Type.Object(summaryFields, { examples: [example] });
export const CatalogDetail = Type.Object(
  {
    ...summaryFields,
    content: Type.Unknown({ description: 'the catalog; its shape depends on kind (see the POST routes)' }),
    cyclesUsing: Type.Integer({ description: 'cycles that run on this version (they keep it whatever versions come later)' }),
  },
  { examples: [{ ...example, content: { notice: '…', dimensions: [], starThresholds: [] }, cyclesUsing: 0 }] },
);

export const CatalogQuery = Type.Object({ kind: Type.Optional(CatalogKind), ...PageQuery }, { additionalProperties: false });

export const catalogSummaryDto = (c: CatalogVersion) => ({
  id: c.id, kind: c.kind, version: c.version, name: c.name, isDefault: c.isDefault,
  basedOnId: c.basedOn?.id ?? null, createdById: c.createdBy?.id ?? null, usedAt: iso(c.usedAt), createdAt: iso(c.createdAt)!,
});
export const catalogDetailDto = (c: CatalogVersion, cyclesUsing = 0) => ({ ...catalogSummaryDto(c), content: c.content, cyclesUsing });
