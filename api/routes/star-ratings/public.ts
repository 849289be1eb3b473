// 公示 through the public link (no sign-in): the proposed level, and objections while the window is open.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { ErrorBody } from '../../schemas/common.ts';
import { PublicObjectionBody, PublicObjectionResult, PublicPage, TokenParams, WorkflowErrors } from '../../schemas/star-ratings.ts';
import { callerOf, type StarDeps } from '../../services/star-ratings/access.ts';
import { lodgeObjection, publicPage, PUBLIC_OBJECTION_MAX_LENGTH } from '../../services/star-ratings/public.ts';
import { tags } from './support.ts';

const LinkErrors = { 404: ErrorBody, 410: ErrorBody };

export const publicRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/public/star-objections/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '公示 (public link): the proposed level of an organization and whether objections are still taken (404 unknown link, 410 window closed); '
        + 'a browser asking for text/html gets the mobile page',
      params: TokenParams,
      response: { 200: PublicPage, ...LinkErrors },
    },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return publicPage(callerOf(request), request.params.token);
  });

  app.post('/public/star-objections/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '公示 (public link): lodge an objection to the proposed level while the window is open (length- and rate-limited); '
        + 'the department answers it before the award like any other',
      params: TokenParams,
      body: PublicObjectionBody(PUBLIC_OBJECTION_MAX_LENGTH),
      response: { 201: PublicObjectionResult, 400: ErrorBody, 429: ErrorBody, ...LinkErrors, ...WorkflowErrors },
    },
  }, async (request, reply) => {
    const lodged = await lodgeObjection(deps, callerOf(request), request.params.token, request.body.text);
    return reply.code(201).send(lodged);
  });
};
