// Postings: the list a caller may see, one posting with where its workflows stand, and the
// department's recall and extension.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../schemas/common.ts';
import { ExtendBody, PostingListQuery, PostingParams, PostingSummary, PostingUpdated, PostingView, RecallBody } from '../../schemas/postings.ts';
import { postingExample } from '../../schemas/postings.ts';
import { callerOf, POSTING_ROLES } from '../../services/postings/access.ts';
import { extendPosting, listPostings, postingView, recallPosting } from '../../services/postings/postings.ts';
import { postingListExport } from '../../services/postings/exports.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';

const tags = ['postings'];

export const postingResourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/postings', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary:
        'The postings you may see: a first secretary their own, a dispatching unit those it dispatched, ' +
        'a community, street or department those in its units; newest start first',
      querystring: PostingListQuery,
      response: { 200: Page(PostingSummary, postingExample) },
    },
  }, async (request) => listPostings(callerOf(request), request.query));

  app.get('/postings/export', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'The postings list as Excel (.xlsx), same filters',
      description: xlsxExportDescription,
      querystring: exportQuery(PostingListQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, await postingListExport(callerOf(request), request.query, request.server.services.clock.now()), request.log));

  app.get('/postings/:id', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'A posting and where its workflow stands (what is missing, months, quarters, tally, year end, signatures)',
      params: PostingParams,
      response: { 200: PostingView },
    },
  }, async (request) => postingView(callerOf(request), request.params.id));

  app.post('/postings/:id/recall', {
    config: { auth: { roles: ['org_department'] } },
    schema: {
      tags,
      summary: 'Recall the secretary early; the posting ends today and goes to the year-end assessment',
      params: PostingParams,
      body: RecallBody,
      response: { 200: PostingUpdated },
    },
  }, async (request) => recallPosting(callerOf(request), request.params.id, request.body));

  app.post('/postings/:id/extend', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Extend the posting by some months', params: PostingParams, body: ExtendBody, response: { 200: PostingUpdated } },
  }, async (request) => extendPosting(callerOf(request), request.params.id, request.body));
};
