// 月调度、季督导 over HTTP: tasks per street and department, monthly progress reports, quarterly
// findings with rectification deadlines, closing. Every action is an update of the task's
// workflow (grid-steering/<id>) whose validator refuses at once; handlers call
// api/services/grid-steering/tasks.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../schemas/common.ts';
import * as S from '../../schemas/grid-steering.ts';
import { createSteeringService } from '../../services/grid-steering/tasks.ts';
import { OWNER_ORG_ROLES, OWNER_UNIT_ROLES, READERS, SUPERVISORS } from '../../services/grid-steering/access.ts';
import type { WorkflowBounds } from '../../workflow-refusals.ts';
import { steeringTaskExport } from '../../services/grid-steering/export.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import { callerOf } from '../points/index.ts';

const tags = ['grid-steering'];
const OWNERS = [...OWNER_UNIT_ROLES, ...OWNER_ORG_ROLES, 'admin' as const];
const ANYONE = [...new Set([...READERS, ...OWNERS])];

export const gridSteeringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config, clock } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const steering = createSteeringService({ temporal, bounds, taskQueue: config.TEMPORAL_TASK_QUEUE, clock });

  app.post('/grid-steering/tasks', {
    config: { auth: { roles: SUPERVISORS } },
    schema: { tags, summary: 'A task for a street or community (ownerUnitId) or a functional department (ownerOrganizationId) under the caller',
      body: S.TaskBody, response: { 201: S.Task } },
  }, async (request, reply) => reply.code(201).send(await steering.create(callerOf(request), request.body)));

  app.get('/grid-steering/tasks', {
    config: { auth: { roles: ANYONE } },
    schema: { tags, summary: 'Tasks the caller supervises, reads or owns, with filed and overdue months and open findings', querystring: S.TaskQuery,
      response: { 200: S.TaskList } },
  }, async (request) => steering.list(callerOf(request), request.query));

  app.get('/grid-steering/tasks/export', {
    config: { auth: { roles: ANYONE } },
    schema: { tags, summary: 'The task list with progress, reported and overdue months and open findings as Excel (.xlsx), same filters and access rules',
      description: xlsxExportDescription, querystring: exportQuery(S.TaskQuery), response: { 200: XlsxFile } },
  }, async (request, reply) => sendXlsx(reply, await steeringTaskExport(callerOf(request), steering.list, request.query, clock.now()), request.log));

  app.get('/grid-steering/tasks/:id', {
    config: { auth: { roles: ANYONE } },
    schema: { tags, summary: 'One task with its monthly reports, findings and timeline', params: IdParams, response: { 200: S.TaskDetail } },
  }, async (request) => steering.detail(callerOf(request), request.params.id));

  app.post('/grid-steering/tasks/:id/reports', {
    config: { auth: { roles: OWNERS } },
    schema: { tags, summary: '月调度: the owner reports a month\'s progress (refused when the month is not due or already reported)', params: IdParams,
      body: S.ReportBody, response: { 200: S.TaskDetail } },
  }, async (request) => steering.report(callerOf(request), request.params.id, request.body));

  app.post('/grid-steering/tasks/:id/findings', {
    config: { auth: { roles: SUPERVISORS } },
    schema: { tags, summary: '季督导: a supervision finding with a rectification deadline', params: IdParams, body: S.FindingBody,
      response: { 200: S.TaskDetail } },
  }, async (request) => steering.addFinding(callerOf(request), request.params.id, request.body));

  app.post('/grid-steering/tasks/:id/close', {
    config: { auth: { roles: SUPERVISORS } },
    schema: { tags, summary: 'The supervisor closes a task that reported 100% with every finding rectified', params: IdParams, body: S.CloseBody,
      response: { 200: S.TaskDetail } },
  }, async (request) => steering.close(callerOf(request), request.params.id, request.body));

  app.post('/grid-steering/findings/:id/rectify', {
    config: { auth: { roles: OWNERS } },
    schema: { tags, summary: 'The owner reports a finding rectified', params: IdParams, body: S.RectifyBody, response: { 200: S.TaskDetail } },
  }, async (request) => steering.rectify(callerOf(request), request.params.id, request.body));
};
