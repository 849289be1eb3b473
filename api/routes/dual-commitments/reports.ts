// The set's PDFs: download as filed, or render one again that the cycle could not make
// (api/services/dual-commitments/reports.ts).
import * as S from '../../schemas/dual-commitments.ts';
import { callerOf as caller } from '../../services/dual-commitments/access.ts';
import { ANY_CYCLE_ROLE, type DualCommitmentApp, type DualCommitmentServices } from './index.ts';

const tags = ['dual-commitments'];

export function reportRoutes(app: DualCommitmentApp, services: DualCommitmentServices): void {
  app.get('/dual-commitments/sets/:setId/reports/:kind', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'The notice (承诺公示), the filed record (评诺备案表) or, for a resident unit, the factual evaluation (写实评价) as PDF',
      params: S.ReportParams,
      response: { 200: S.Pdf },
    },
  }, async (request, reply) => {
    const { sha256, pdf } = await services.reports.read(caller(request), request.params.setId, request.params.kind);
    reply.header('content-type', 'application/pdf').header('x-sha256', sha256);
    return pdf;
  });

  app.post('/dual-commitments/sets/:setId/reports/:kind/render', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Render a failed or missing report of the set again (承诺公示, 评诺备案表, 写实评价)',
      description: 'For the organization department over the organization. Starts renderReportWorkflow '
        + '(ID report-render/commitment_set/<setId>/<kind>/<attempt>) and answers 202; GET /dual-commitments/sets/:setId shows the report '
        + 'under `reports` (filed, failed with the reason, or rendering). The PDF is filed as a new version and its SHA-256 written to the '
        + 'audit log; a filed report is never replaced. 409 not_ready before the cycle has reached the report (published, countersigned and '
        + 'filed), already_filed, rendering (the cycle is still making it) or already_rendering (a second request while one runs).',
      params: S.ReportParams,
      response: { 202: S.RenderStarted },
    },
  }, async (request, reply) => {
    const started = await services.reports.renderAgain(caller(request), request.params.setId, request.params.kind);
    reply.code(202);
    return started;
  });
}
