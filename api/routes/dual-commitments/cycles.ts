// Cycles: start one over a jurisdiction, its default dates, the list, one cycle's dashboard and
// the retry of failed starts (api/services/dual-commitments/cycles.ts, dashboard.ts).
import * as S from '../../schemas/dual-commitments.ts';
import { STAFF } from '../../services/dual-commitments/dashboard.ts';
import { callerOf as caller } from '../../services/dual-commitments/access.ts';
import type { DualCommitmentApp, DualCommitmentServices } from './index.ts';

const tags = ['dual-commitments'];

export function cycleRoutes(app: DualCommitmentApp, services: DualCommitmentServices): void {
  app.post('/dual-commitments/cycles', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Start a dual commitments cycle (双向承诺) over your jurisdiction or chosen organizations',
      description: 'One workflow per organization, ID dual-commitment/<orgId>/<year>; an organization already in a cycle of that year is refused (409). '
        + 'Starts in the background: poll GET /dual-commitments/cycles/:id.',
      body: S.CycleStartBody,
      response: { 202: S.CycleStarted },
    },
  }, async (request, reply) => {
    reply.code(202);
    return services.cycles.start(caller(request), request.body);
  });

  app.get('/dual-commitments/cycle-defaults', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'The gate dates and settings a cycle of this year gets when its start leaves them out',
      querystring: S.YearQuery,
      response: { 200: S.CycleDefaults },
    },
  }, async (request) => services.cycles.defaults(request.query.year));

  app.get('/dual-commitments/cycles', {
    config: { auth: { roles: STAFF } },
    schema: {
      tags,
      summary: 'The dual commitments cycles with organizations in your jurisdiction, newest first, with counts of your part',
      querystring: S.CycleListQuery,
      response: { 200: S.CycleList },
    },
  }, async (request) => services.dashboard.list(caller(request), request.query));

  app.get('/dual-commitments/cycles/:id', {
    config: { auth: { roles: STAFF } },
    schema: {
      tags,
      summary: 'Start progress and the cycle dashboard: counts per gate, overdue, stuck',
      params: S.CycleParams,
      response: { 200: S.CycleDashboard },
    },
  }, async (request) => services.dashboard.dashboard(caller(request), request.params.id));

  app.post('/dual-commitments/cycles/:id/start-retries', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Start again the workflows of a cycle that could not be started (the dashboard lists them with the reason)',
      params: S.CycleParams,
      response: { 202: S.StartRetried },
    },
  }, async (request, reply) => {
    reply.code(202);
    return services.cycles.retryStarts(caller(request), request.params.id);
  });
}
