// The star rating over HTTP (星级评定): a department enrols a count or a growing share of its
// organizations each year (one long-lived workflow each, star-rating/<orgId>); people act on
// an organization's rating through updates whose refusals answer 403/409; dashboards read
// the records the activities keep; PDFs (plaques, the jurisdiction's list) come from the worker.
// One file per resource; the access checks, SQL and workflow calls are in api/services/star-ratings/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { starDeps } from '../../services/star-ratings/access.ts';
import { dashboardRoutes } from './dashboards.ts';
import { documentRoutes } from './documents.ts';
import { enrolmentRoutes } from './enrolments.ts';
import { eventRoutes } from './events.ts';
import { objectionRoutes } from './objections.ts';
import { publicRoutes } from './public.ts';
import { ratingRoutes } from './ratings.ts';
import { reviewRoutes } from './reviews.ts';
import { scoreRoutes } from './scores.ts';
import { settingsRoutes } from './settings.ts';

export const starRatingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = starDeps(app);
  await app.register(enrolmentRoutes(deps));
  await app.register(settingsRoutes);
  await app.register(ratingRoutes(deps));
  await app.register(scoreRoutes(deps));
  await app.register(objectionRoutes(deps));
  await app.register(reviewRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(publicRoutes(deps));
  await app.register(dashboardRoutes);
  await app.register(documentRoutes(deps));
};
