// Matters: report (grid worker, 书记直通车), the handler's inbox and the supervisors' lists, one
// matter with its timeline, accept, answer, merge a duplicate, and the dashboard.
import * as S from '../../schemas/grid-matters.ts';
import { actorOf, callerOf as caller } from '../../services/grid-matters/access.ts';
import { fileMatter } from '../../services/grid-matters/report.ts';
import { requireGrid } from '../../services/grid-matters/matters.ts';
import { matterListExport } from '../../services/grid-matters/export.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import type { GridMatterApp, GridMatterServices } from './index.ts';

const tags = ['grid-matters'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;
/** Who reads matters: the tree's staff, and accounts acting for registered units (which hold no role). */
const ANY = { roles: 'any' } as const;

export function matterRoutes(app: GridMatterApp, services: GridMatterServices): void {
  const deps = { temporal: app.services.temporal, taskQueue: app.services.config.TEMPORAL_TASK_QUEUE, clock: app.services.clock,
    bounds: { temporal: app.services.temporal, updateTimeoutMs: app.services.config.UPDATE_TIMEOUT_MS, queryTimeoutMs: app.services.config.QUERY_TIMEOUT_MS } };

  app.post('/grid-matters', {
    config: { auth: { roles: [...STAFF] } },
    schema: {
      tags,
      summary: 'A grid worker (account on the grid) or 书记直通车 reports a matter; it is dispatched at once by the department\'s rules',
      description: 'Photos: upload them first with POST /evidence and pass their ids. source secretary_line (书记直通车) may carry the resident\'s phone.',
      body: S.ReportBody,
      response: { 201: S.Reported },
    },
  }, async (request, reply) => {
    const c = caller(request);
    await requireGrid(c.em, c, request.body.gridId);
    const a = actorOf(c.principal);
    const filed = await fileMatter(deps, c.em, { accountId: a.accountId, label: a.login }, {
      ...request.body, source: request.body.source ?? 'grid_worker', reporterAccountId: c.principal.accountId,
    });
    reply.code(201);
    return filed;
  });

  app.get('/grid-matters', {
    config: { auth: ANY },
    schema: { tags, summary: 'Matters the caller may see, filtered (inbox=true: assigned to the caller\'s own units, to accept and answer)',
      querystring: S.MatterListQuery, response: { 200: S.MatterList } },
  }, async (request) => services.matters.list(caller(request), request.query));

  app.get('/grid-matters/export', {
    config: { auth: ANY },
    schema: { tags, summary: 'The matters list as Excel (.xlsx), same filters and access rules', description: xlsxExportDescription,
      querystring: exportQuery(S.MatterListQuery), response: { 200: XlsxFile } },
  }, async (request, reply) =>
    sendXlsx(reply, await matterListExport(caller(request), services.matters.list, request.query, request.server.services.clock.now()), request.log));

  app.get('/grid-matters/dashboard', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'Matters by status, level, category and grid; overdue, climbing, median time to close, satisfaction, heat table',
      querystring: S.DashboardQuery, response: { 200: S.Dashboard } },
  }, async (request) => services.dashboard.dashboard(caller(request), request.query.unitId));

  app.get('/grid-matters/:id', {
    config: { auth: ANY },
    schema: { tags, summary: 'One matter with its timeline (every step from the audit log)', params: S.MatterParams, response: { 200: S.MatterDetail } },
  }, async (request) => services.matters.detail(caller(request), request.params.id));

  app.post('/grid-matters/:id/accept', {
    config: { auth: ANY },
    schema: { tags, summary: 'The unit the matter is assigned to accepts it (受理)', params: S.MatterParams, response: { 200: S.MatterState } },
  }, async (request) => services.matters.accept(caller(request), request.params.id));

  app.post('/grid-matters/:id/answer', {
    config: { auth: ANY },
    schema: { tags, summary: 'The handler\'s result, sent back to the reporter to rate', params: S.MatterParams, body: S.AnswerBody,
      response: { 200: S.MatterState } },
  }, async (request) => services.matters.answer(caller(request), request.params.id, request.body));

  app.post('/grid-matters/:id/merge', {
    config: { auth: ANY },
    schema: { tags, summary: 'Merge this matter, a duplicate, into another open matter (by number)', params: S.MatterParams, body: S.MergeBody,
      response: { 200: S.MatterState } },
  }, async (request) => services.matters.merge(caller(request), request.params.id, request.body.into));
}
