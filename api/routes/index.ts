// The domain API (issue 4): authentication and the per-route rule first, then every resource.
// Registered by app.ts after the swagger plugin, so each route appears in /docs.
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { AppServices } from '../app-services.ts';
import { registerAuth } from '../plugins/auth.ts';
import { ensureDefaultCatalogs } from '../../domain/catalogs/defaults.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authRoutes } from './auth/index.ts';
import { unitRoutes } from './units/index.ts';
import { organizationRoutes } from './organizations/index.ts';
import { peopleRoutes } from './people/index.ts';
import { accountRoutes } from './accounts/index.ts';
import { evaluatorAssignmentRoutes } from './evaluator-assignments/index.ts';
import { catalogRoutes } from './catalogs/index.ts';
import { notificationRoutes } from './notifications/index.ts';
import { auditRoutes } from './audit/index.ts';
import { accessLinkRoutes } from './access-links/index.ts';
import { evidenceRoutes } from './evidence/index.ts';
import { importRoutes } from './imports/index.ts';
import { pointsRoutes } from './points/index.ts';
import { documentRoutes } from './documents/index.ts';
import { notificationDeliveryRoutes } from './notification-delivery/index.ts';
import { gridMatterRoutes } from './grid-matters/index.ts';
import { memberReportRoutes } from './member-reports/index.ts';
import { assessmentRoutes } from './assessments/index.ts';
import { surveyRoutes } from './surveys/index.ts';
import { gridSteeringRoutes } from './grid-steering/index.ts';

export async function registerDomainApi(fastify: FastifyInstance, services: AppServices): Promise<void> {
  await ensureDefaultCatalogs(services.orm.em as EntityManager);
  // Size limits are per route (evidence, imports); these are the outer bounds.
  await fastify.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 10_000 } });
  await registerAuth(fastify, services);
  for (const routes of [
    authRoutes,
    unitRoutes,
    organizationRoutes,
    peopleRoutes,
    accountRoutes,
    evaluatorAssignmentRoutes,
    catalogRoutes,
    notificationRoutes,
    auditRoutes,
    accessLinkRoutes,
    importRoutes,
    pointsRoutes,
    documentRoutes,
    notificationDeliveryRoutes,
    gridMatterRoutes,
    memberReportRoutes,
    assessmentRoutes,
    surveyRoutes,
    gridSteeringRoutes,
  ])
    await fastify.register(routes);
  await fastify.register(evidenceRoutes, {});
}
