// Organizations (非公企业, 社会组织, 驻区单位): staff manage those under their units; an
// enterprise's own accounts and its assigned evaluators may read it; others get 404.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import {
  readableOrganizationScope,
  requireOrganizationInScope,
  scopeOf,
  unitPathInScope,
  type Scope,
} from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { badRequest, conflict, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page } from '../../schemas/common.ts';
import {
  OrganizationCreate,
  OrganizationDto,
  OrganizationQuery,
  OrganizationUpdate,
  organizationDto,
  organizationExample,
} from '../../schemas/organizations.ts';
import { refuseIfReferenced } from '../../support/db-errors.ts';
import { organizationListWhere, organizationOrder } from '../../services/directory/lists.ts';
import { organizationExport } from '../../services/directory/exports.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';

const READ: Role[] = [
  'org_department',
  'street_committee',
  'community_committee',
  'first_secretary',
  'enterprise_rep',
  'enterprise_party_org',
  'dispatching_unit',
  'evaluator',
  'admin',
];
const WRITE: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];
const tags = ['organizations'];

/** The organization if the caller may see it through `scope`, else 404. */
async function loadOrganization(em: EntityManager, id: string, scope: Scope): Promise<Organization> {
  const org = await em.findOne(Organization, { id }, { populate: ['unit'] });
  if (!org) throw notFound('organization');
  requireOrganizationInScope(scope, { id: org.id, unitPath: org.unit.getEntity().path });
  return org;
}

async function unitInScope(em: EntityManager, unitId: string, scope: Scope): Promise<AdministrativeUnit> {
  const unit = await em.findOne(AdministrativeUnit, { id: unitId });
  if (!unit || !unitPathInScope(scope, unit.path)) throw badRequest('unknown unit', [{ field: 'body.unitId', rule: 'must be a unit in your subtree' }]);
  return unit;
}

export const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/organizations', {
    config: { auth: { roles: READ } },
    schema: {
      tags,
      summary: 'Search the organizations you may see',
      querystring: OrganizationQuery,
      response: { 200: Page(OrganizationDto, organizationExample) },
    },
  }, async (request) => {
    const em = emOf(request);
    const scope = await readableOrganizationScope(em, principalOf(request), READ);
    const { limit, offset, ...filters } = request.query;
    const where = await organizationListWhere(em, scope, filters);
    const [items, total] = await em.findAndCount(Organization, where, { populate: ['unit'], limit, offset, orderBy: organizationOrder() });
    return { items: items.map(organizationDto), total, limit, offset };
  });

  app.get('/organizations/export', {
    config: { auth: { roles: READ } },
    schema: {
      tags,
      summary: 'The organizations list as Excel (.xlsx), same filters',
      description: xlsxExportDescription,
      querystring: exportQuery(OrganizationQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) => {
    const em = emOf(request);
    const scope = await readableOrganizationScope(em, principalOf(request), READ);
    return sendXlsx(reply, await organizationExport(em, scope, request.query, app.services.clock.now()), request.log);
  });

  app.get('/organizations/:id', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'One organization', params: IdParams, response: { 200: OrganizationDto } },
  }, async (request) => {
    const em = emOf(request);
    return organizationDto(await loadOrganization(em, request.params.id, await readableOrganizationScope(em, principalOf(request), READ)));
  });

  app.post('/organizations', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Register an organization under a unit of your subtree', body: OrganizationCreate, response: { 201: OrganizationDto } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const dto = await emOf(request).transactional(async (em) => {
      const unit = await unitInScope(em, body.unitId, scopeOf(principal, WRITE));
      if (body.creditCode && (await em.count(Organization, { creditCode: body.creditCode })))
        throw conflict('credit code in use', [{ field: 'body.creditCode', rule: 'must be unique' }]);
      const org = em.create(Organization, {
        name: body.name, kind: body.kind, unit, creditCode: body.creditCode ?? null, partyOrgName: body.partyOrgName ?? null,
        responsiblePeople: body.responsiblePeople ?? [], address: body.address ?? null,
        legalRepresentative: body.legalRepresentative ?? null, staffCount: body.staffCount ?? null, partyMemberCount: body.partyMemberCount ?? null,
        partyOrgType: body.partyOrgType ?? null, partyOrgFoundedOn: body.partyOrgFoundedOn ?? null,
      });
      await em.flush();
      const after = organizationDto(org);
      await recordAudit(em, { actor: auditActor(principal), action: 'organization.create', entityType: 'organization', entityId: org.id, after });
      return after;
    });
    return reply.status(201).send(dto);
  });

  app.patch('/organizations/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Change an organization (staff of its unit)', params: IdParams, body: OrganizationUpdate, response: { 200: OrganizationDto } },
  }, async (request) => {
    const principal = principalOf(request);
    return emOf(request).transactional(async (em) => {
      const scope = scopeOf(principal, WRITE);
      const org = await loadOrganization(em, request.params.id, { ...scope, organizationIds: [] });
      const before = organizationDto(org);
      const { unitId, ...rest } = request.body;
      if (unitId) org.unit = em.getReference(AdministrativeUnit, (await unitInScope(em, unitId, scope)).id) as never;
      if (rest.creditCode && rest.creditCode !== org.creditCode && (await em.count(Organization, { creditCode: rest.creditCode }))) {
        throw conflict('credit code in use', [{ field: 'body.creditCode', rule: 'must be unique' }]);
      }
      em.assign(org, rest);
      await em.flush();
      await em.populate(org, ['unit'], { refresh: true });
      const after = organizationDto(org);
      await recordAudit(em, { actor: auditActor(principal), action: 'organization.update', entityType: 'organization', entityId: org.id, before, after });
      return after;
    });
  });

  app.delete('/organizations/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Delete an organization without people or evidence', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await refuseIfReferenced('organization', () => emOf(request).transactional(async (em) => {
      const org = await loadOrganization(em, request.params.id, { ...scopeOf(principal, WRITE), organizationIds: [] });
      if ((await em.count(Person, { organization: org.id })) + (await em.count(EvidenceFile, { organization: org.id })) > 0) {
        throw conflict('the organization has people or evidence', [{ field: 'params.id', rule: 'must have no people or evidence' }]);
      }
      const before = organizationDto(org);
      em.remove(org);
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'organization.delete', entityType: 'organization', entityId: before.id, before });
    }));
    return reply.status(204).send(null);
  });
};
