// People: staff manage those of their subtree (by unit or by organization); an enterprise's
// accounts read the people of their own organization.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { Account } from '../../../domain/entities/account.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import { scopeOf, unitPathInScope, type Scope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { badRequest, conflict, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page } from '../../schemas/common.ts';
import { PersonCreate, PersonDto, PersonQuery, PersonUpdate, personDto, personExample } from '../../schemas/people.ts';
import { refuseIfReferenced } from '../../support/db-errors.ts';
import { allOf } from '../../support/query.ts';
import { personListWhere, personOrder, personWhere } from '../../services/directory/lists.ts';
import { personExport } from '../../services/directory/exports.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';

const READ: Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary', 'enterprise_rep', 'enterprise_party_org', 'admin'];
const WRITE: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];
const tags = ['people'];

async function loadPerson(em: EntityManager, id: string, scope: Scope): Promise<Person> {
  const person = await em.findOne(Person, allOf([{ id }, personWhere(scope)]), { populate: ['unit', 'organization'] });
  if (!person) throw notFound('person');
  return person;
}

/** Checks the unit and organization a person is placed in; both must lie in the caller's subtree. */
async function checkPlacement(em: EntityManager, scope: Scope, unitId: string | null | undefined, organizationId: string | null | undefined) {
  if (unitId) {
    const unit = await em.findOne(AdministrativeUnit, { id: unitId });
    if (!unit || !unitPathInScope(scope, unit.path)) throw badRequest('unknown unit', [{ field: 'body.unitId', rule: 'must be a unit in your subtree' }]);
  }
  if (organizationId) {
    const org = await em.findOne(Organization, { id: organizationId }, { populate: ['unit'] });
    if (!org || !unitPathInScope(scope, org.unit.getEntity().path))
      throw badRequest('unknown organization', [{ field: 'body.organizationId', rule: 'must be an organization in your subtree' }]);
  }
}

export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/people', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'Search the people you may see', querystring: PersonQuery, response: { 200: Page(PersonDto, personExample) } },
  }, async (request) => {
    const em = emOf(request);
    const { limit, offset, ...filters } = request.query;
    const where = personListWhere(scopeOf(principalOf(request), READ), filters);
    const [items, total] = await em.findAndCount(Person, where, { populate: ['unit', 'organization'], limit, offset, orderBy: personOrder() });
    return { items: items.map(personDto), total, limit, offset };
  });

  app.get('/people/export', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'The people list as Excel (.xlsx), same filters', description: xlsxExportDescription, querystring: exportQuery(PersonQuery),
      response: { 200: XlsxFile } },
  }, async (request, reply) => {
    const em = emOf(request);
    return sendXlsx(reply, await personExport(em, scopeOf(principalOf(request), READ), request.query, app.services.clock.now()), request.log);
  });

  app.get('/people/:id', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'One person', params: IdParams, response: { 200: PersonDto } },
  }, async (request) => personDto(await loadPerson(emOf(request), request.params.id, scopeOf(principalOf(request), READ))));

  app.post('/people', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Register a person in a unit and/or organization of your subtree', body: PersonCreate, response: { 201: PersonDto } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    if (!body.unitId && !body.organizationId) throw badRequest('no placement', [{ field: 'body.unitId', rule: 'unitId or organizationId is required' }]);
    const dto = await emOf(request).transactional(async (em) => {
      await checkPlacement(em, scopeOf(principal, WRITE), body.unitId, body.organizationId);
      const person = em.create(Person, {
        name: body.name, phone: body.phone ?? null, title: body.title ?? null, isPartyMember: body.isPartyMember ?? false,
        unit: body.unitId ?? null, organization: body.organizationId ?? null,
      });
      await em.flush();
      await em.populate(person, ['unit', 'organization'], { refresh: true });
      const after = personDto(person);
      await recordAudit(em, { actor: auditActor(principal), action: 'person.create', entityType: 'person', entityId: person.id, after });
      return after;
    });
    return reply.status(201).send(dto);
  });

  app.patch('/people/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Change a person', params: IdParams, body: PersonUpdate, response: { 200: PersonDto } },
  }, async (request) => {
    const principal = principalOf(request);
    return emOf(request).transactional(async (em) => {
      const scope = { ...scopeOf(principal, WRITE), organizationIds: [] };
      const person = await loadPerson(em, request.params.id, scope);
      const before = personDto(person);
      const { unitId, organizationId, ...rest } = request.body;
      await checkPlacement(em, scope, unitId, organizationId);
      em.assign(person, {
        ...rest,
        ...(unitId !== undefined ? { unit: unitId } : {}),
        ...(organizationId !== undefined ? { organization: organizationId } : {}),
      });
      await em.flush();
      await em.populate(person, ['unit', 'organization'], { refresh: true });
      const after = personDto(person);
      await recordAudit(em, { actor: auditActor(principal), action: 'person.update', entityType: 'person', entityId: person.id, before, after });
      return after;
    });
  });

  app.delete('/people/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Delete a person without an account', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await refuseIfReferenced('person', () => emOf(request).transactional(async (em) => {
      const person = await loadPerson(em, request.params.id, { ...scopeOf(principal, WRITE), organizationIds: [] });
      if (await em.count(Account, { person: person.id })) throw conflict('the person has an account', [{ field: 'params.id', rule: 'must have no account' }]);
      const before = personDto(person);
      em.remove(person);
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'person.delete', entityType: 'person', entityId: before.id, before });
    }));
    return reply.status(204).send(null);
  });
};
