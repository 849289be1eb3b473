// The HTTP API as a Fastify plugin: OpenAPI at /docs, one error shape, a MikroORM
// RequestContext per request, and the routes of each resource.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RequestContext } from '@mikro-orm/core';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppServices } from './app-services.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerInputRules } from './plugins/input-rules.ts';
import { registerThrottle } from './plugins/throttle.ts';
import { healthRoutes } from './routes/health/index.ts';
import { registerDomainApi } from './routes/index.ts';
import { dualCommitmentRoutes } from './routes/dual-commitments/index.ts';
import { starRatingRoutes } from './routes/star-ratings/index.ts';
import { postingRoutes } from './routes/postings/index.ts';
import { registerWebApp, varyByAccept } from './plugins/web.ts';
import { clockOf } from '../domain/clock.ts';
import { registerSandboxMarks } from './plugins/sandbox.ts';
import { sandboxRoutes } from './routes/sandbox/index.ts';

export const app: FastifyPluginAsyncTypebox<AppServices> = async (fastify, services) => {
  fastify.decorate('services', { ...services, clock: services.clock ?? clockOf(services.orm.em) });
  if (services.sandbox) registerSandboxMarks(fastify, services.sandbox);
  registerErrorHandler(fastify);
  varyByAccept(fastify);
  // Before swagger and every route, so the documented schemas are the enforced ones.
  registerInputRules(fastify);
  registerThrottle(fastify);

  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '基层党建考核周期服务 Party-building cycles API',
        description: 'Dual commitments (双向承诺), star rating (星级评定) and first-secretary postings (第一书记).',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A login token from POST /auth/login or an API token' },
        },
      },
    },
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs' });

  // Each request works in its own EntityManager, so identity maps never leak between requests.
  fastify.addHook('onRequest', (_request, _reply, done) => {
    RequestContext.create(services.orm.em, done);
  });

  await fastify.register(healthRoutes);
  await registerDomainApi(fastify, services);
  await fastify.register(dualCommitmentRoutes);
  await fastify.register(starRatingRoutes);
  await fastify.register(postingRoutes);
  if (services.sandbox) await fastify.register(sandboxRoutes);
  await registerWebApp(fastify);
};
