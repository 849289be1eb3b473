// 践诺 and 评诺 on a set: an item's status with its evidence, the self-evaluations, the
// evaluator's scores and sign-off, the 四双 写实评价 and the countersignature, each an update of
// the set's workflow (api/services/dual-commitments/evaluations.ts).
import * as S from '../../schemas/dual-commitments.ts';
import { callerOf as caller } from '../../services/dual-commitments/access.ts';
import type { DualCommitmentApp, DualCommitmentServices } from './index.ts';

const tags = ['dual-commitments'];
const SIDES = ['enterprise_rep', 'enterprise_party_org', 'community_committee', 'street_committee'] as const;

export function evaluationRoutes(app: DualCommitmentApp, services: DualCommitmentServices): void {
  app.post('/dual-commitments/sets/:setId/items/:itemKey/status', {
    config: { auth: { roles: [...SIDES] } },
    schema: {
      tags,
      summary: '践诺: file the status of one commitment, with evidence uploaded through POST /evidence',
      description: 'Upload the evidence first (multipart, content-addressed, versioned): POST /evidence?title=…&organizationId=<org>'
        + '&subjectType=commitment_item&subjectId=<progress id>&effectiveFrom=YYYY-MM-DD, then pass its id here. A later upload to '
        + 'POST /evidence/:id/versions adds a version to the same evidence.',
      params: S.ItemParams,
      body: S.ItemStatusBody,
      response: { 200: S.ItemStatusFiled },
    },
  }, async (request) => services.evaluations.fileStatus(caller(request), request.params.setId, request.params.itemKey, request.body));

  app.post('/dual-commitments/sets/:setId/self-evaluation', {
    config: { auth: { roles: [...SIDES] } },
    schema: { tags, summary: '评诺: a side\'s self-evaluation', params: S.SetParams, body: S.SelfEvaluationBody, response: { 200: S.SelfEvaluated } },
  }, async (request) => services.evaluations.selfEvaluate(caller(request), request.params.setId, request.body));

  app.post('/dual-commitments/sets/:setId/scores', {
    config: { auth: { roles: ['evaluator'] } },
    schema: { tags, summary: '评诺: the evaluator scores every approved item (0-100)', params: S.SetParams, body: S.ScoresBody, response: { 200: S.Scored } },
  }, async (request) => services.evaluations.score(caller(request), request.params.setId, request.body.scores));

  app.post('/dual-commitments/sets/:setId/sign-off', {
    config: { auth: { roles: ['evaluator'] } },
    schema: { tags, summary: '评诺: the evaluator signs off (once)', params: S.SetParams, response: { 200: S.SignedOff } },
  }, async (request) => services.evaluations.signOff(caller(request), request.params.setId));

  app.post('/dual-commitments/sets/:setId/factual-evaluation', {
    config: { auth: { roles: ['community_committee', 'street_committee'] } },
    schema: {
      tags,
      summary: '评诺 (四双, resident units): the street or community writes the factual evaluation (写实评价), once',
      description: 'Only in the 四双 cycle of a resident unit. The text describes the unit\'s participation and fulfilment; itemStatuses '
        + 'record the evaluator\'s view of each approved item; superiorOrganization is where the department sends it after countersigning '
        + '(default: the unit\'s responsible person with role 上级党组织).',
      params: S.SetParams,
      body: S.FactualEvaluationBody,
      response: { 200: S.FactualEvaluated },
    },
  }, async (request) => services.evaluations.writeFactual(caller(request), request.params.setId, request.body));

  app.post('/dual-commitments/sets/:setId/countersign', {
    config: { auth: { roles: ['org_department'] } },
    schema: {
      tags,
      summary: '评诺: the organization department countersigns for filing (备案); the record PDF follows',
      params: S.SetParams,
      response: { 200: S.Countersigned },
    },
  }, async (request) => services.evaluations.countersign(caller(request), request.params.setId));
}
