// What each evaluator (考核组/评审人) may act on. Staff assign organizations of their subtree;
// an evaluator sees only their own assignments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { EvaluatorAssignment } from '../../../domain/entities/evaluator-assignment.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import { requireOrganizationInScope, scopeOf, unitPathInScope } from '../../../domain/auth/scope.ts';
import { badRequest, conflict, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page } from '../../schemas/common.ts';
import {
  EvaluatorAssignmentCreate,
  EvaluatorAssignmentDto,
  EvaluatorAssignmentQuery,
  EvaluatorAssignmentRow,
  EvaluatorBulkAssign,
  EvaluatorBulkResult,
  EvaluatorDto,
  EvaluatorQuery,
  assignmentRowExample,
  evaluatorAssignmentDto,
  evaluatorExample,
} from '../../schemas/accounts.ts';
import { ASSIGNERS as MANAGE, assignMany, listAssignments, listEvaluators, requireEvaluator } from '../../services/directory/evaluator-assignments.ts';

const tags = ['evaluator-assignments'];

export const evaluatorAssignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/evaluator-assignments', {
    config: { auth: { roles: [...MANAGE, 'evaluator'] } },
    schema: {
      tags,
      summary: 'Evaluator assignments with the names of evaluator, organization, unit and cycle',
      description: 'Your own (evaluators) or those on organizations of your subtree (staff).',
      querystring: EvaluatorAssignmentQuery,
      response: { 200: Page(EvaluatorAssignmentRow, assignmentRowExample) },
    },
  }, async (request) => listAssignments(emOf(request), principalOf(request), request.query));

  app.get('/evaluator-assignments/evaluators', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags,
      summary: 'Evaluators you may assign to',
      description: 'Those already assigned organizations of your subtree, those of your account jurisdiction, and those placed there by their person.',
      querystring: EvaluatorQuery,
      response: { 200: Page(EvaluatorDto, evaluatorExample) },
    },
  }, async (request) => listEvaluators(emOf(request), principalOf(request), request.query));

  app.post('/evaluator-assignments/bulk', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags,
      summary: 'Assign many organizations of your subtree to one evaluator at once (all or none; those already assigned are counted, not repeated)',
      body: EvaluatorBulkAssign,
      response: { 200: EvaluatorBulkResult },
    },
  }, async (request) => emOf(request).transactional((em) => assignMany(em, principalOf(request), request.body)));

  app.post('/evaluator-assignments', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags,
      summary: 'Assign an organization of your subtree to an evaluator',
      body: EvaluatorAssignmentCreate,
      response: { 201: EvaluatorAssignmentDto },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const dto = await emOf(request).transactional(async (em) => {
      const org = await em.findOne(Organization, { id: body.subjectId }, { populate: ['unit'] });
      if (!org) throw badRequest('unknown organization', [{ field: 'body.subjectId', rule: 'must be an organization in your subtree' }]);
      try {
        requireOrganizationInScope({ ...scopeOf(principal, MANAGE), organizationIds: [] }, { id: org.id, unitPath: org.unit.getEntity().path });
      } catch {
        throw badRequest('unknown organization', [{ field: 'body.subjectId', rule: 'must be an organization in your subtree' }]);
      }
      const account = await requireEvaluator(em, body.accountId, 'body.accountId');
      if (body.cycleId && !(await em.count(Cycle, { id: body.cycleId })))
        throw badRequest('unknown cycle', [{ field: 'body.cycleId', rule: 'must be an existing cycle' }]);
      if (await em.count(EvaluatorAssignment, { account: account.id, subjectType: body.subjectType, subjectId: body.subjectId })) {
        throw conflict('already assigned', [{ field: 'body.subjectId', rule: 'must not be assigned to the same evaluator twice' }]);
      }
      const assignment = em.create(EvaluatorAssignment, { account, subjectType: body.subjectType, subjectId: body.subjectId, cycle: body.cycleId ?? null });
      await em.flush();
      const after = evaluatorAssignmentDto(assignment);
      await recordAudit(em, { actor: auditActor(principal), action: 'evaluator.assign', entityType: 'evaluator_assignment', entityId: assignment.id, after });
      return after;
    });
    return reply.status(201).send(dto);
  });

  app.delete('/evaluator-assignments/:id', {
    config: { auth: { roles: MANAGE } },
    schema: { tags, summary: 'Withdraw an assignment', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await emOf(request).transactional(async (em) => {
      const assignment = await em.findOne(EvaluatorAssignment, { id: request.params.id });
      if (!assignment) throw notFound('evaluator assignment');
      const org = assignment.subjectType === 'organization' ? await em.findOne(Organization, { id: assignment.subjectId }, { populate: ['unit'] }) : null;
      const scope = scopeOf(principal, MANAGE);
      if (!scope.all && (!org || !unitPathInScope(scope, org.unit.getEntity().path))) throw notFound('evaluator assignment');
      const before = evaluatorAssignmentDto(assignment);
      em.remove(assignment);
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'evaluator.unassign', entityType: 'evaluator_assignment', entityId: before.id, before });
    });
    return reply.status(204).send(null);
  });
};
