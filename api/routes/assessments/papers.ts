// The papers of a round's assessed (issue 19): each one's 考核评分表 (printed at sign-off) and 考核结果通知书
// (printed at 公示) as PDFs, and all of a round's papers as one zip for the department's clerk.
import { SubjectParams, RoundParams } from '../../schemas/assessments.ts';
import { PdfResponse } from '../../schemas/star-ratings.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import { attachment } from '../../services/assessments/papers.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;
const ZipResponse = { description: 'a zip of PDFs', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } };

export function paperRoutes(app: AssessmentApp, services: AssessmentServices): void {
  for (const [file, kind] of [['score-sheet.pdf', 'score_sheet'], ['result-notice.pdf', 'result_notice']] as const) {
    app.get(`/assessment-rounds/:id/subjects/:subjectId/${file}`, {
      config: { auth: { roles: [...STAFF] } },
      schema: { tags, params: SubjectParams, response: { 200: PdfResponse },
        summary: kind === 'score_sheet' ? 'One assessed\'s 考核评分表, printed once the sign-off chain is complete (the department, staff over it, itself)'
          : 'One assessed\'s 考核结果通知书, printed when 公示 begins (the department, staff over it, itself)' },
    }, async (request, reply) => {
      const { sha256, pdf, fileName } = await services.papers.paper(caller(request), request.params.id, request.params.subjectId, kind);
      return reply.header('content-type', 'application/pdf').header('x-sha256', sha256).header('content-disposition', attachment(fileName)).send(pdf);
    });
  }

  app.get('/assessment-rounds/:id/papers.zip', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'All of a round\'s printed papers (评分表 and 结果通知书 of every assessed, by rank) as one zip, for the clerk',
      params: RoundParams, response: { 200: ZipResponse } },
  }, async (request, reply) => {
    const { zip, fileName } = await services.papers.all(caller(request), request.params.id);
    return reply.header('content-type', 'application/zip').header('content-disposition', attachment(fileName)).send(zip);
  });
}
