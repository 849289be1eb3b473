// Grid matters (网格事项) over HTTP: one file per resource (settings and registered units, grids,
// matters, the public pages), each route a schema (api/schemas/grid-matters.ts) and a handler
// calling its service (api/services/grid-matters/). Every action on a matter is an update of its
// workflow, whose activity records what it accepted; a refused update writes nothing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkflowBounds } from '../../workflow-refusals.ts';
import type { GridMatterDeps } from '../../services/grid-matters/access.ts';
import { createSettingsService } from '../../services/grid-matters/settings.ts';
import { createMatterService } from '../../services/grid-matters/matters.ts';
import { createDashboardService } from '../../services/grid-matters/dashboard.ts';
import { createPublicService } from '../../services/grid-matters/public.ts';
import { settingsRoutes } from './settings.ts';
import { matterRoutes } from './matters.ts';
import { publicRoutes } from './public.ts';

export type GridMatterApp = Parameters<FastifyPluginAsyncTypebox>[0];

function createServices(deps: GridMatterDeps) {
  return {
    settings: createSettingsService(deps),
    matters: createMatterService(deps),
    dashboard: createDashboardService(deps),
    public: createPublicService(deps),
  };
}
export type GridMatterServices = ReturnType<typeof createServices>;

export const gridMatterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config, clock } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const services = createServices({ temporal, bounds, taskQueue: config.TEMPORAL_TASK_QUEUE, clock });
  settingsRoutes(app, services);
  matterRoutes(app, services);
  publicRoutes(app, services);
};
