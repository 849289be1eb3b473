// How cycle code takes a catalog: the newest version of a kind, marked as used so that it is
// never edited (edits create new versions) and the cycle keeps reading the same content.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CatalogVersion } from '../entities/catalog-version.ts';
import type { CatalogKind } from './kinds.ts';
import { clockOf } from '../clock.ts';

export async function latestCatalogVersion(em: EntityManager, kind: CatalogKind): Promise<CatalogVersion> {
  const [latest] = await em.find(CatalogVersion, { kind }, { orderBy: { version: 'desc' }, limit: 1 });
  if (!latest) throw new Error(`no ${kind} catalog: ensureDefaultCatalogs has not run`);
  return latest;
}

/** Marks a version as used by a cycle; call it in the transaction that starts the cycle. */
export async function useCatalogVersion(em: EntityManager, id: string): Promise<CatalogVersion> {
  const version = await em.findOneOrFail(CatalogVersion, { id });
  version.usedAt ??= clockOf(em).now();
  return version;
}
