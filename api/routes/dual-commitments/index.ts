// The dual commitments cycle over HTTP (双向承诺, 四双): one file per resource, each route a
// schema (api/schemas/dual-commitments.ts) and a handler calling its service
// (api/services/dual-commitments/). The API writes what people file that no workflow takes
// (drafts, public feedback and survey answers); every other action is an update of the set's
// workflow, whose activity records what it accepted; a refused update answers 403/409 with the
// workflow's reason and writes nothing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Role } from '../../../domain/auth/roles.ts';
import { createReportStore } from '../../../reports/store.ts';
import type { WorkflowBounds } from '../../workflow-refusals.ts';
import type { DualCommitmentDeps } from '../../services/dual-commitments/access.ts';
import { createCycleStarter } from '../../services/dual-commitments/cycle-start.ts';
import { DEFAULT_PACING } from '../../services/backlog-pacer.ts';
import { createCycleService } from '../../services/dual-commitments/cycles.ts';
import { createDashboardService, STAFF } from '../../services/dual-commitments/dashboard.ts';
import { createSetService } from '../../services/dual-commitments/sets.ts';
import { createEvaluationService } from '../../services/dual-commitments/evaluations.ts';
import { createReportService } from '../../services/dual-commitments/reports.ts';
import { createPublicService } from '../../services/dual-commitments/public.ts';
import { cycleRoutes } from './cycles.ts';
import { setRoutes } from './sets.ts';
import { evaluationRoutes } from './evaluations.ts';
import { reportRoutes } from './reports.ts';
import { publicRoutes } from './public.ts';

export const ANY_CYCLE_ROLE: Role[] = [...STAFF, 'enterprise_rep', 'enterprise_party_org'];

export type DualCommitmentApp = Parameters<FastifyPluginAsyncTypebox>[0];

function createServices(deps: DualCommitmentDeps) {
  return {
    cycles: createCycleService(deps),
    dashboard: createDashboardService(deps),
    sets: createSetService(deps),
    evaluations: createEvaluationService(deps),
    reports: createReportService(deps),
    public: createPublicService(deps),
  };
}
export type DualCommitmentServices = ReturnType<typeof createServices>;

export const dualCommitmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config, clock } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  // Workflows of a started cycle start in the background; a start cut short resumes at boot.
  const maxBacklog = config.CYCLE_START_MAX_BACKLOG;
  const pacing = maxBacklog > 0 && { ...DEFAULT_PACING, maxBacklog };
  const starter = createCycleStarter({ orm: app.services.orm, temporal, taskQueue, log: app.log, pacing });
  app.addHook('onReady', async () => {
    void starter.resumePending().catch((error) => app.log.error({ err: error }, 'could not resume dual commitments cycle starts'));
  });
  app.addHook('onClose', () => starter.close());
  const services = createServices({ temporal, bounds, taskQueue, clock, reportStore: createReportStore({ dataDir: config.DATA_DIR }), starter });
  cycleRoutes(app, services);
  setRoutes(app, services);
  evaluationRoutes(app, services);
  reportRoutes(app, services);
  publicRoutes(app, services);
};
