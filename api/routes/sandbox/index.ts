// The sandbox's calendar (`npm run sandbox` only: registered when the process has a sandbox, so
// these paths answer 404 anywhere else). The organization department or an administrator moves it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, GuardedErrors } from '../../schemas/common.ts';
import { ClockMoveBody, ClockMoved, ClockView } from '../../schemas/sandbox.ts';
import { clockView, moveClock } from '../../services/sandbox/clock.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { auditActor } from '../../../domain/auth/principal.ts';

const tags = ['sandbox'];
const roles = ['org_department', 'admin'] as const;

export const sandboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const sandbox = app.services.sandbox!;

  app.get('/sandbox/clock', {
    config: { auth: { roles } },
    schema: { tags, summary: 'The simulated time and the next deadline a workflow waits for', response: { 200: ClockView, ...GuardedErrors } },
  }, async () => clockView(sandbox));

  app.post('/sandbox/clock', {
    config: { auth: { roles } },
    schema: {
      tags,
      summary: 'Move the simulated calendar forward; answers once the reminders, gates and PDFs it brought are done',
      body: ClockMoveBody,
      response: { 200: ClockMoved, ...GuardedErrors, 409: ErrorBody },
    },
  }, async (request) => moveClock(sandbox, emOf(request), auditActor(principalOf(request)), request.body));
};
