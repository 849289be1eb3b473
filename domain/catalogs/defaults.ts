// Loads the shipped default catalogs as version 1 of each kind, once: at API start and in the
// demo seed. Idempotent (a kind that has any version is left alone), safe with concurrent starts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CatalogVersion } from '../entities/catalog-version.ts';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record.ts';
import type { CatalogKind } from './kinds.ts';
import { defaultDualCommitmentCatalog } from './dual-commitment.ts';
import { defaultResidentUnitCatalog } from './resident-unit.ts';
import { defaultStarRatingCatalog } from './star-rating.ts';
import { defaultIncentiveCatalog } from './incentives.ts';

export const DEFAULT_CATALOGS: { kind: CatalogKind; name: string; content: unknown }[] = [
  { kind: 'dual_commitment', name: '双向承诺事项目录（默认目录，请各地替换）', content: defaultDualCommitmentCatalog },
  { kind: 'resident_unit_commitment', name: '驻区单位“四双”承诺事项目录（默认目录，请各地替换）', content: defaultResidentUnitCatalog },
  { kind: 'star_rating', name: '“三维一体”星级评定指标体系（默认，请各地替换）', content: defaultStarRatingCatalog },
  { kind: 'incentive', name: '星级党组织激励措施清单（默认，请各地替换）', content: defaultIncentiveCatalog },
];

const CATALOG_LOCK = 20_260_403;

export async function ensureDefaultCatalogs(em: EntityManager): Promise<number> {
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?)', [CATALOG_LOCK]);
    let created = 0;
    for (const catalog of DEFAULT_CATALOGS) {
      if ((await tx.count(CatalogVersion, { kind: catalog.kind })) > 0) continue;
      const version = tx.create(CatalogVersion, { kind: catalog.kind, version: 1, name: catalog.name, isDefault: true, content: catalog.content });
      await tx.flush();
      await recordAudit(tx, { actor: SYSTEM_ACTOR, action: 'catalog.create_default', entityType: 'catalog_version', entityId: version.id, after: { kind: catalog.kind, version: 1, name: catalog.name } });
      created++;
    }
    return created;
  });
}
