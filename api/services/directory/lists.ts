// The lists of the directory (units, organizations, people): one `where` per list, used by the
// paged JSON route and by its Excel export, so both show exactly the same rows to the same caller.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Person } from '../../../domain/entities/person.ts';
import { escapeLike, organizationWhere, unitPathInScope, type Scope } from '../../../domain/auth/scope.ts';
import { notFound } from '../../../domain/errors.ts';
import { allOf, anyOf } from '../../support/query.ts';
import { nameOrder } from '../../support/names-order.ts';

type Where = Record<string, unknown>;

export interface OrganizationFilters {
  q?: string;
  kind?: string;
  underUnitId?: string;
}
export async function organizationListWhere(em: EntityManager, scope: Scope, { q, kind, underUnitId }: OrganizationFilters): Promise<Where> {
  const and: Where[] = [organizationWhere(scope)];
  if (q) and.push({ $or: [{ name: { $ilike: `%${escapeLike(q)}%` } }, { creditCode: { $ilike: `%${escapeLike(q)}%` } }] });
  if (kind) and.push({ kind });
  if (underUnitId) {
    // An unknown unit and a unit outside the caller's scope both give an empty page.
    const under = await em.findOne(AdministrativeUnit, { id: underUnitId });
    and.push(under ? { unit: { path: { $like: `${escapeLike(under.path)}%` } } } : { id: { $in: [] } });
  }
  return allOf(and);
}
/** Organizations by name in pinyin order (a fresh orderBy each call). */
export const organizationOrder = nameOrder;

/** The people a scope sees: placed in its units, or in organizations under them or of its own. */
export function personWhere(scope: Scope): Where {
  if (scope.all) return {};
  const or: Where[] = [];
  for (const prefix of scope.unitPaths) {
    or.push({ unit: { path: { $like: `${escapeLike(prefix)}%` } } }, { organization: { unit: { path: { $like: `${escapeLike(prefix)}%` } } } });
  }
  if (scope.organizationIds.length > 0) or.push({ organization: { $in: scope.organizationIds } });
  return anyOf(or);
}

export interface PersonFilters {
  q?: string;
  organizationId?: string;
  unitId?: string;
}
export function personListWhere(scope: Scope, { q, organizationId, unitId }: PersonFilters): Where {
  const and: Where[] = [personWhere(scope)];
  if (q) and.push({ $or: [{ name: { $ilike: `%${escapeLike(q)}%` } }, { phone: { $ilike: `%${escapeLike(q)}%` } }] });
  if (organizationId) and.push({ organization: organizationId });
  if (unitId) and.push({ unit: unitId });
  return allOf(and);
}
/** People by name in pinyin order (a fresh orderBy each call). */
export const personOrder = nameOrder;

export const readPeople = (em: EntityManager, where: Where) => (limit: number, offset: number) =>
  em.fork().find(Person, where, { populate: ['unit', 'organization'], limit, offset, orderBy: personOrder() });

export interface UnitFilters {
  q?: string;
  level?: string;
  parentId?: string;
  underId?: string;
}
export async function unitListWhere(em: EntityManager, scope: Scope, { q, level, parentId, underId }: UnitFilters): Promise<Where> {
  const and: Where[] = [];
  if (!scope.all) and.push(anyOf(scope.unitPaths.map((p) => ({ path: { $like: `${escapeLike(p)}%` } }))));
  if (q) and.push({ $or: [{ name: { $ilike: `%${escapeLike(q)}%` } }, { code: { $ilike: `%${escapeLike(q)}%` } }] });
  if (level) and.push({ level });
  if (parentId) and.push({ parent: parentId });
  if (underId) {
    const under = await em.findOne(AdministrativeUnit, { id: underId });
    if (!under || !unitPathInScope(scope, under.path)) throw notFound('unit');
    and.push({ path: { $like: `${escapeLike(under.path)}%` } });
  }
  return allOf(and);
}
export const UNIT_ORDER = { depth: 'asc', code: 'asc' } as const;

export const readUnits = (em: EntityManager, where: Where) => (limit: number, offset: number) =>
  em.fork().find(AdministrativeUnit, where, { populate: ['parent'], limit, offset, orderBy: UNIT_ORDER });
