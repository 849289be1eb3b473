// The residents' pages, by unguessable link: the grid's QR code (report a matter, anonymous or
// with a phone number) and the reporter's own link to a matter (follow it, rate the answer). A
// browser asking for text/html gets the phone-sized page. Throttled as every anonymous route.
import type { FastifyRequest } from 'fastify';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { emOf } from '../../plugins/auth.ts';
import * as S from '../../schemas/grid-matters.ts';
import type { GridMatterApp, GridMatterServices } from './index.ts';

const tags = ['grid-matters'];
const clientHash = (request: FastifyRequest) => hashSecret(`client:${request.ip}`);

export function publicRoutes(app: GridMatterApp, services: GridMatterServices): void {
  app.get('/public/grid-report/:token', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'The grid\'s report page (QR code): its buildings and categories; a browser gets the phone page', params: S.TokenParams,
      response: { 200: S.PublicGrid } },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return services.public.reportPage(emOf(request), request.params.token);
  });

  app.post('/public/grid-report/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: 'A resident reports a matter in this grid (anonymous, or with a mobile number for 文明积分); answers the link to follow it',
      params: S.TokenParams,
      body: S.PublicReportBody,
      response: { 201: S.PublicReported },
    },
  }, async (request, reply) => {
    const filed = await services.public.report(emOf(request), request.params.token, request.body, clientHash(request));
    reply.code(201);
    return filed;
  });

  app.get('/public/grid-matters/:token', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'The reporter follows a matter: where it stands, the answer; a browser gets the phone page', params: S.TokenParams,
      response: { 200: S.PublicMatter } },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return services.public.follow(emOf(request), request.params.token);
  });

  app.post('/public/grid-matters/:token/rating', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: 'The reporter rates the answer: satisfied closes it; not satisfied reopens it once, then sends it to the next level',
      params: S.TokenParams,
      body: S.RatingBody,
      response: { 200: S.Rated },
    },
  }, async (request) => services.public.rate(emOf(request), request.params.token, request.body));
}
