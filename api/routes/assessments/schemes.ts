// Schemes: the department's own and the shipped defaults; a draft is edited, published as an
// immutable version; a shipped default is copied to be replaced.
import * as S from '../../schemas/assessments.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import type { SchemeDefinition } from '../../../domain/assessment/rules.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const DEPARTMENT = { roles: ['org_department'] as const };

export function schemeRoutes(app: AssessmentApp, services: AssessmentServices): void {
  app.get('/assessment-schemes', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The shipped default schemes and the department\'s own', response: { 200: S.SchemeList } },
  }, async (request) => services.schemes.list(caller(request)));

  app.post('/assessment-schemes', {
    config: { auth: { roles: [...DEPARTMENT.roles] } },
    schema: {
      tags, summary: 'A department defines a scheme, or copies one (a shipped default) as its own', body: S.CreateScheme, response: { 201: S.Scheme },
      description: 'The definition is checked as a whole: each broken rule comes back with its field (body.definition.sections[0].indicators[1].weight).',
    },
  }, async (request, reply) => {
    const created = await services.schemes.create(caller(request), request.body as { unitId: string; copyOf?: string; definition?: SchemeDefinition });
    reply.code(201);
    return created;
  });

  app.get('/assessment-schemes/:id', {
    config: { auth: { roles: [...DEPARTMENT.roles] } },
    schema: { tags, summary: 'One scheme: its draft and published versions', params: S.SchemeParams, response: { 200: S.Scheme } },
  }, async (request) => services.schemes.get(caller(request), request.params.id));

  app.put('/assessment-schemes/:id', {
    config: { auth: { roles: [...DEPARTMENT.roles] } },
    schema: { tags, summary: 'Save the draft (running rounds keep the version they started with)', params: S.SchemeParams, body: S.SchemeDefinition,
      response: { 200: S.Scheme } },
  }, async (request) => services.schemes.saveDraft(caller(request), request.params.id, request.body as SchemeDefinition));

  app.post('/assessment-schemes/:id/versions', {
    config: { auth: { roles: [...DEPARTMENT.roles] } },
    schema: { tags, summary: 'Publish the draft as the next immutable version; rounds started from now on use it', params: S.SchemeParams,
      response: { 201: S.Scheme } },
  }, async (request, reply) => {
    const published = await services.schemes.publish(caller(request), request.params.id);
    reply.code(201);
    return published;
  });

  app.get('/assessment-schemes/:id/versions/:version', {
    config: { auth: { roles: [...DEPARTMENT.roles] } },
    schema: { tags, summary: 'One published version of a scheme, as rounds pinned it', params: S.VersionParams, response: { 200: S.SchemeVersion } },
  }, async (request) => services.schemes.version(caller(request), request.params.id, request.params.version));
}
