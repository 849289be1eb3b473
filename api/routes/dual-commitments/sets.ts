// Sets (定诺): the sets you may see, one set's view, the draft, its submission and review
// (api/services/dual-commitments/sets.ts).
import * as S from '../../schemas/dual-commitments.ts';
import { callerOf as caller } from '../../services/dual-commitments/access.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import { setListExport } from '../../services/dual-commitments/set-export.ts';
import { itemExport, scoreExport } from '../../services/dual-commitments/item-export.ts';
import { ANY_CYCLE_ROLE, type DualCommitmentApp, type DualCommitmentServices } from './index.ts';

const tags = ['dual-commitments'];

export function setRoutes(app: DualCommitmentApp, services: DualCommitmentServices): void {
  app.get('/dual-commitments/sets', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'The commitment sets you may see (your organization, or those in your jurisdiction / assigned to you)',
      querystring: S.SetListQuery,
      response: { 200: S.SetList },
    },
  }, async (request) => services.sets.list(caller(request), request.query));

  app.get('/dual-commitments/sets/export', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'The commitment sets list as Excel (.xlsx), same filters',
      description: xlsxExportDescription,
      querystring: exportQuery(S.SetListQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, setListExport(services.sets, caller(request), request.query, request.server.services.clock.now()), request.log));

  app.get('/dual-commitments/items/export', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'The commitment items (承诺事项) of the sets you may see, with progress and scores, as Excel (.xlsx); the sets list\'s filters',
      description: `${xlsxExportDescription} One row per item of each set's approved version (the latest version while none is approved).`,
      querystring: exportQuery(S.SetListQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, itemExport(services.sets, caller(request), request.query, request.server.services.clock.now()), request.log));

  app.get('/dual-commitments/scores/export', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'The 评诺 scores of the sets you may see (self-evaluations, item scores, total, grade) as Excel (.xlsx); the sets list\'s filters',
      description: xlsxExportDescription,
      querystring: exportQuery(S.SetListQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, scoreExport(services.sets, caller(request), request.query, request.server.services.clock.now()), request.log));

  app.get('/dual-commitments/sets/:setId', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'One organization\'s commitments: versions, progress, workflow state and links',
      params: S.SetParams,
      response: { 200: S.SetView },
    },
  }, async (request) => services.sets.view(caller(request), request.params.setId));

  app.put('/dual-commitments/sets/:setId/draft', {
    config: { auth: { roles: ['enterprise_rep', 'enterprise_party_org'] } },
    schema: {
      tags,
      summary: '定诺: save the draft set (both sides), every save of a submitted set starts a new version',
      params: S.SetParams,
      body: S.DraftBody,
      response: { 200: S.DraftSaved },
    },
  }, async (request) => services.sets.saveDraft(caller(request), request.params.setId, request.body.commitments));

  app.post('/dual-commitments/sets/:setId/submit', {
    config: { auth: { roles: ['enterprise_rep', 'enterprise_party_org'] } },
    schema: {
      tags,
      summary: '定诺: submit the latest draft for review (also a change during practice, which needs re-approval)',
      params: S.SetParams,
      response: { 200: S.SetSubmitted },
    },
  }, async (request) => services.sets.submit(caller(request), request.params.setId));

  app.post('/dual-commitments/sets/:setId/review', {
    config: { auth: { roles: ['community_committee', 'street_committee', 'evaluator', 'org_department'] } },
    schema: {
      tags,
      summary: '定诺: approve or return the submitted version (returns need comments)',
      params: S.SetParams,
      body: S.ReviewBody,
      response: { 200: S.SetReviewed },
    },
  }, async (request) => services.sets.review(caller(request), request.params.setId, request.body));
}
