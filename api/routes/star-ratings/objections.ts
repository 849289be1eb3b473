// Objections during 公示 from people who can see the rating, and the department's answers.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StarLevel } from '../../../domain/star-rating/rules.ts';
import { answerStarObjection, fileStarObjection } from '../../../domain/star-rating/contracts.ts';
import { ObjectionAnswerBody, ObjectionBody, ObjectionParams } from '../../schemas/star-ratings.ts';
import type { StarDeps } from '../../services/star-ratings/access.ts';
import { actionRoute, ANY, DEPARTMENT } from './support.ts';

export const objectionRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/objections',
    summary: '公示: file an objection while the window is open',
    roles: ANY,
    body: ObjectionBody,
    update: fileStarObjection,
    args: (_, body) => ({ objectionId: randomUUID(), text: body.text }),
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/objections/:objectionId/answer',
    summary: 'The department answers an objection (dismissed, or upheld with the level it sets)',
    roles: DEPARTMENT,
    params: ObjectionParams,
    body: ObjectionAnswerBody,
    update: answerStarObjection,
    args: (params, body) => ({ objectionId: params.objectionId!, decision: body.decision, stars: (body.stars ?? null) as StarLevel | null, reply: body.reply }),
  });
};
