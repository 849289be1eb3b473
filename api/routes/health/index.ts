// Liveness and readiness for orchestrators and for people starting the service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { databaseReachable } from '../../../db/orm.ts';
import { temporalReachable } from '../../../temporal/client.ts';

const Check = Type.Object({ ok: Type.Boolean(), reason: Type.Optional(Type.String()) });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: Check, temporal: Check }),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', {
    schema: {
      tags: ['health'],
      summary: 'Liveness: the process answers',
      response: { 200: Type.Object({ status: Type.Literal('alive') }, { examples: [{ status: 'alive' }] }) },
    },
  }, async () => ({ status: 'alive' as const }));

  app.get('/readyz', {
    schema: {
      tags: ['health'],
      summary: 'Readiness: the database and Temporal answer (503 with the reason otherwise)',
      response: { 200: Readiness, 503: Readiness },
    },
  }, async (_request, reply) => {
    const [database, temporal] = await Promise.all([
      databaseReachable(app.services.orm),
      temporalReachable(app.services.temporal),
    ]);
    const ready = database.ok && temporal.ok;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal } });
  });
};
