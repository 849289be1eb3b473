// The directory's lists as Excel (api/services/export/xlsx.ts): columns in Chinese, the filters
// in words, the rows of the list's own `where` (./lists.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization, type ResponsiblePerson } from '../../../domain/entities/organization.ts';
import type { Person } from '../../../domain/entities/person.ts';
import { escapeLike, type Scope } from '../../../domain/auth/scope.ts';
import { keysetPages, pagesOf, type ExportColumn, type ExportSpec } from '../export/xlsx.ts';
import { named, unitFilter } from '../export/route.ts';
import { byName } from '../../support/names-order.ts';
import {
  personListWhere,
  readPeople,
  readUnits,
  unitListWhere,
  type OrganizationFilters,
  type PersonFilters,
  type UnitFilters,
} from './lists.ts';

export const ORGANIZATION_KIND_NAMES: Record<string, string> = {
  non_public_enterprise: '非公企业',
  social_organization: '社会组织',
  resident_unit: '驻区单位',
  property_service: '物业服务企业',
};
export const UNIT_LEVEL_NAMES: Record<string, string> = { city: '市', district: '区县', street: '街道', community: '社区', grid: '网格' };

/** One organization as the export reads it: plain columns straight from SQL, no entity. */
export interface OrganizationRow {
  id: string;
  name: string;
  kind: string;
  unit_name: string;
  credit_code: string | null;
  party_org_name: string | null;
  party_org_type: string | null;
  founded_on: string | null;
  legal_representative: string | null;
  staff_count: number | null;
  party_member_count: number | null;
  responsible_people: ResponsiblePerson[] | null;
  address: string | null;
  created_at: Date;
}

const responsible = (org: OrganizationRow, role: string) => org.responsible_people?.find((p) => p.role === role);
const firstResponsible = (org: OrganizationRow) => responsible(org, '负责人') ?? org.responsible_people?.find((p) => p.role !== '党组织书记');

export const ORGANIZATION_COLUMNS: ExportColumn<OrganizationRow>[] = [
  { header: '组织名称', value: (o) => o.name, width: 36 },
  { header: '类型', value: (o) => ORGANIZATION_KIND_NAMES[o.kind] ?? o.kind },
  { header: '所属单位', value: (o) => o.unit_name, width: 18 },
  { header: '统一社会信用代码', value: (o) => o.credit_code, width: 22 },
  { header: '党组织名称', value: (o) => o.party_org_name, width: 36 },
  { header: '党组织类型', value: (o) => o.party_org_type },
  { header: '党组织成立日期', value: (o) => o.founded_on, format: 'date', width: 14 },
  { header: '法定代表人', value: (o) => o.legal_representative },
  { header: '职工人数', value: (o) => o.staff_count, format: 'integer' },
  { header: '党员人数', value: (o) => o.party_member_count, format: 'integer' },
  { header: '负责人', value: (o) => firstResponsible(o)?.name },
  { header: '负责人电话', value: (o) => firstResponsible(o)?.phone, width: 14 },
  { header: '党组织书记', value: (o) => responsible(o, '党组织书记')?.name },
  { header: '地址', value: (o) => o.address, width: 30 },
  { header: '登记时间', value: (o) => o.created_at, format: 'datetime', width: 17 },
];

/**
 * The organizations list's rows in SQL: the same scope and filters as organizationListWhere and
 * the same order (name, id), read by keyset. 32,000 rows are 16 range reads of plain rows; no
 * entity, identity map or unit of work is built for a row that only passes through.
 */
async function organizationSql(em: EntityManager, scope: Scope, { q, kind, underUnitId }: OrganizationFilters) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!scope.all) {
    const or = scope.unitPaths.map(() => 'u.path like ?');
    params.push(...scope.unitPaths.map((p) => `${escapeLike(p)}%`));
    if (scope.organizationIds.length) {
      or.push(`o.id in (${scope.organizationIds.map(() => '?').join(', ')})`);
      params.push(...scope.organizationIds);
    }
    where.push(or.length ? `(${or.join(' or ')})` : 'false');
  }
  if (q) {
    where.push('(o.name ilike ? or o.credit_code ilike ?)');
    params.push(`%${escapeLike(q)}%`, `%${escapeLike(q)}%`);
  }
  if (kind) {
    where.push('o.kind = ?');
    params.push(kind);
  }
  if (underUnitId) {
    const under = await em.findOne(AdministrativeUnit, { id: underUnitId });
    where.push(under ? 'u.path like ?' : 'false');
    if (under) params.push(`${escapeLike(under.path)}%`);
  }
  return (after: { name: string; id: string } | null, size: number) => em.getConnection().execute<OrganizationRow[]>(
    `select o.id, o.name, o.kind, u.name as unit_name, o.credit_code, o.party_org_name, o.party_org_type,
            to_char(o.party_org_founded_on, 'YYYY-MM-DD') as founded_on, o.legal_representative, o.staff_count,
            o.party_member_count, o.responsible_people, o.address, o.created_at
       from organization o join administrative_unit u on u.id = o.unit_id
      where ${[...where, ...(after ? [`(${byName('o.name')}, o.id) > (?, ?)`] : []), 'true'].join(' and ')}
      order by ${byName('o.name')}, o.id limit ?`,
    [...params, ...(after ? [after.name, after.id] : []), size],
  );
}

export async function organizationExport(em: EntityManager, scope: Scope, filters: OrganizationFilters, now: Date): Promise<ExportSpec<OrganizationRow>> {
  return {
    fileName: '组织名录',
    title: '组织名录（非公企业、社会组织、驻区单位）',
    filters: [
      ...named([['名称或信用代码含', filters.q], ['类型', filters.kind, ORGANIZATION_KIND_NAMES]]),
      ...(await unitFilter(em, '所属单位及下级', filters.underUnitId)),
    ],
    columns: ORGANIZATION_COLUMNS,
    pages: keysetPages(await organizationSql(em, scope, filters), (o) => ({ name: o.name, id: o.id })),
    now,
  };
}

const PERSON_COLUMNS: ExportColumn<Person>[] = [
  { header: '姓名', value: (p) => p.name },
  { header: '职务', value: (p) => p.title, width: 18 },
  { header: '电话', value: (p) => p.phone, width: 14 },
  { header: '党员', value: (p) => p.isPartyMember },
  { header: '性别', value: (p) => p.gender },
  { header: '出生年月', value: (p) => p.birthMonth },
  { header: '政治面貌', value: (p) => p.politicalStatus },
  { header: '所属单位', value: (p) => p.unit?.getEntity().name, width: 18 },
  { header: '所属组织', value: (p) => p.organization?.getEntity().name, width: 36 },
  { header: '登记时间', value: (p) => p.createdAt, format: 'datetime', width: 17 },
];

export async function personExport(em: EntityManager, scope: Scope, filters: PersonFilters, now: Date): Promise<ExportSpec<Person>> {
  const org = filters.organizationId ? await em.findOne(Organization, { id: filters.organizationId }) : null;
  return {
    fileName: '人员名录',
    title: '人员名录',
    filters: [
      ...named([['姓名或电话含', filters.q]]),
      ...(filters.organizationId ? [{ label: '所属组织', value: org?.name ?? filters.organizationId }] : []),
      ...(await unitFilter(em, '所属单位', filters.unitId)),
    ],
    columns: PERSON_COLUMNS,
    pages: pagesOf(readPeople(em, personListWhere(scope, filters))),
    now,
  };
}

const UNIT_COLUMNS: ExportColumn<AdministrativeUnit>[] = [
  { header: '单位名称', value: (u) => u.name, width: 18 },
  { header: '代码', value: (u) => u.code, width: 16 },
  { header: '层级', value: (u) => UNIT_LEVEL_NAMES[u.level] ?? u.level },
  { header: '上级单位', value: (u) => u.parent?.getEntity().name, width: 18 },
  { header: '党组织名称', value: (u) => u.partyOrgName, width: 28 },
  { header: '层深', value: (u) => u.depth, format: 'integer' },
  { header: '建立时间', value: (u) => u.createdAt, format: 'datetime', width: 17 },
];

export async function unitExport(em: EntityManager, scope: Scope, filters: UnitFilters, now: Date): Promise<ExportSpec<AdministrativeUnit>> {
  const where = await unitListWhere(em, scope, filters);
  return {
    fileName: '行政区划',
    title: '行政区划与党组织',
    filters: [
      ...named([['名称或代码含', filters.q], ['层级', filters.level, UNIT_LEVEL_NAMES]]),
      ...(await unitFilter(em, '上级单位', filters.parentId)),
      ...(await unitFilter(em, '所在子树', filters.underId)),
    ],
    columns: UNIT_COLUMNS,
    pages: pagesOf(readUnits(em, where)),
    now,
  };
}
