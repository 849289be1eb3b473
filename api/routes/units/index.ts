// The administrative tree: staff see and manage their own subtree only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AdministrativeUnit, UNIT_LEVELS } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import { escapeLike, requireUnitInScope, scopeOf, unitPathInScope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { badRequest, conflict, forbidden, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page } from '../../schemas/common.ts';
import { refuseIfReferenced } from '../../support/db-errors.ts';
import { UNIT_ORDER, unitListWhere } from '../../services/directory/lists.ts';
import { unitExport } from '../../services/directory/exports.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import { Unit, UnitCreate, UnitQuery, UnitUpdate, unitDto, unitExample } from '../../schemas/units.ts';

const READ: Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary', 'admin'];
const WRITE: Role[] = ['org_department', 'street_committee', 'admin'];
const tags = ['units'];

export const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/units', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'Search units in your subtree (行政区划/党组织树)', querystring: UnitQuery, response: { 200: Page(Unit, unitExample) } },
  }, async (request) => {
    const em = emOf(request);
    const { limit, offset, ...filters } = request.query;
    const where = await unitListWhere(em, scopeOf(principalOf(request), READ), filters);
    const [items, total] = await em.findAndCount(AdministrativeUnit, where, { limit, offset, orderBy: UNIT_ORDER });
    return { items: items.map(unitDto), total, limit, offset };
  });

  app.get('/units/export', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'The units list as Excel (.xlsx), same filters', description: xlsxExportDescription, querystring: exportQuery(UnitQuery),
      response: { 200: XlsxFile } },
  }, async (request, reply) => {
    const em = emOf(request);
    return sendXlsx(reply, await unitExport(em, scopeOf(principalOf(request), READ), request.query, app.services.clock.now()), request.log);
  });

  app.get('/units/:id', {
    config: { auth: { roles: READ } },
    schema: { tags, summary: 'One unit', params: IdParams, response: { 200: Unit } },
  }, async (request) => {
    const unit = await emOf(request).findOne(AdministrativeUnit, { id: request.params.id });
    if (!unit) throw notFound('unit');
    requireUnitInScope(scopeOf(principalOf(request), READ), unit.path);
    return unitDto(unit);
  });

  app.post('/units', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Create a unit under a unit of your subtree (a root unit: admin only)', body: UnitCreate, response: { 201: Unit } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(principal, WRITE);
    const body = request.body;
    const dto = await emOf(request).transactional(async (em) => {
      let parent: AdministrativeUnit | null = null;
      if (body.parentId) {
        parent = await em.findOne(AdministrativeUnit, { id: body.parentId });
        if (!parent || !unitPathInScope(scope, parent.path))
          throw badRequest('unknown parent', [{ field: 'body.parentId', rule: 'must be a unit in your subtree' }]);
        if (UNIT_LEVELS.indexOf(body.level) <= UNIT_LEVELS.indexOf(parent.level)) {
          throw badRequest('level below the parent', [{ field: 'body.level', rule: `must be a level below the parent's (${parent.level})` }]);
        }
      } else if (!scope.all) {
        throw forbidden('only an administrator creates a root unit');
      }
      if (await em.count(AdministrativeUnit, { code: body.code })) throw conflict('code in use', [{ field: 'body.code', rule: 'must be unique' }]);
      const unit = em.create(AdministrativeUnit, {
        code: body.code,
        name: body.name,
        level: body.level,
        partyOrgName: body.partyOrgName,
        parent,
        path: '',
        depth: parent ? parent.depth + 1 : 0,
      });
      unit.path = `${parent?.path ?? ''}${unit.id}/`;
      await em.flush();
      const after = unitDto(unit);
      await recordAudit(em, { actor: auditActor(principal), action: 'unit.create', entityType: 'unit', entityId: unit.id, after });
      return after;
    });
    return reply.status(201).send(dto);
  });

  app.patch('/units/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Rename a unit or its Party organization', params: IdParams, body: UnitUpdate, response: { 200: Unit } },
  }, async (request) => {
    const principal = principalOf(request);
    return emOf(request).transactional(async (em) => {
      const unit = await em.findOne(AdministrativeUnit, { id: request.params.id });
      if (!unit) throw notFound('unit');
      requireUnitInScope(scopeOf(principal, WRITE), unit.path);
      const before = unitDto(unit);
      em.assign(unit, request.body);
      await em.flush();
      const after = unitDto(unit);
      await recordAudit(em, { actor: auditActor(principal), action: 'unit.update', entityType: 'unit', entityId: unit.id, before, after });
      return after;
    });
  });

  app.post('/units/:id/move', {
    config: { auth: { roles: WRITE } },
    schema: {
      tags,
      summary: 'Move a unit, with everything under it, to another parent (行政区划调整)',
      description:
        'Both the unit and the new parent must lie in your subtree; the new parent must be of a higher level and not inside the unit. The unit keeps ' +
          'its organizations, people and records; from then on they are seen by the staff over the new parent.',
      params: IdParams,
      body: Type.Object(
        { parentId: Type.String({ format: 'uuid', description: 'the new parent unit' }) },
        { additionalProperties: false, examples: [{ parentId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }] },
      ),
      response: { 200: Unit },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const scope = scopeOf(principal, WRITE);
    return emOf(request).transactional(async (em) => {
      const unit = await em.findOne(AdministrativeUnit, { id: request.params.id });
      if (!unit) throw notFound('unit');
      requireUnitInScope(scope, unit.path);
      const parent = await em.findOne(AdministrativeUnit, { id: request.body.parentId });
      if (!parent || !unitPathInScope(scope, parent.path))
        throw badRequest('unknown parent', [{ field: 'body.parentId', rule: 'must be a unit in your subtree' }]);
      if (parent.path.startsWith(unit.path))
        throw badRequest('a unit cannot move under itself', [{ field: 'body.parentId', rule: 'must not be the unit or a unit under it' }]);
      if (UNIT_LEVELS.indexOf(unit.level) <= UNIT_LEVELS.indexOf(parent.level)) {
        throw badRequest('level below the parent', [
          { field: 'body.parentId', rule: `must be a unit of a level above ${unit.level} (this one is ${parent.level})` },
        ]);
      }
      const before = { ...unitDto(unit), path: unit.path };
      if (unit.parent?.id === parent.id) return unitDto(unit);
      const oldPath = unit.path;
      const newPath = `${parent.path}${unit.id}/`;
      const depthChange = parent.depth + 1 - unit.depth;
      // The unit and its whole subtree in one statement: paths are materialized prefixes.
      const moved = await em.execute<{ id: string }[]>(
        'update administrative_unit set path = ? || substr(path, ?), depth = depth + ?, parent_id = case when id = ? then ? else parent_id end, ' +
          'updated_at = ? where path like ? returning id',
        [newPath, oldPath.length + 1, depthChange, unit.id, parent.id, app.services.clock.now(), `${escapeLike(oldPath)}%`],
      );
      await em.refresh(unit);
      const after = { ...unitDto(unit), path: unit.path };
      await recordAudit(em, {
        actor: auditActor(principal),
        action: 'unit.move',
        entityType: 'unit',
        entityId: unit.id,
        before,
        after: { ...after, unitsMoved: moved.length },
      });
      return unitDto(unit);
    });
  });

  app.delete('/units/:id', {
    config: { auth: { roles: WRITE } },
    schema: { tags, summary: 'Delete an empty unit (no child units, organizations or people)', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await refuseIfReferenced('unit', () => emOf(request).transactional(async (em) => {
      const unit = await em.findOne(AdministrativeUnit, { id: request.params.id });
      if (!unit) throw notFound('unit');
      requireUnitInScope(scopeOf(principal, WRITE), unit.path);
      const inUse =
        (await em.count(AdministrativeUnit, { parent: unit.id })) +
        (await em.count(Organization, { unit: unit.id })) +
        (await em.count(Person, { unit: unit.id }));
      if (inUse > 0) throw conflict('the unit is not empty', [{ field: 'params.id', rule: 'must have no child units, organizations or people' }]);
      const before = unitDto(unit);
      em.remove(unit);
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'unit.delete', entityType: 'unit', entityId: before.id, before });
    }));
    return reply.status(204).send(null);
  });
};
