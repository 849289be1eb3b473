// What the star-rating resources share: the tag, the role lists, and the shape of a route that
// is one update of the organization's workflow (its refusals answer 403/400/404/409).
import type { FastifyInstance } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { UpdateDefinition } from '@temporalio/common';
import type { Role } from '../../../domain/auth/roles.ts';
import type { Actor } from '../../../domain/star-rating/state.ts';
import type { StarRatingStatus as Status } from '../../../domain/star-rating/contracts.ts';
import { OrgParams, StarRatingStatus, WorkflowErrors } from '../../schemas/star-ratings.ts';
import { act } from '../../services/star-ratings/ratings.ts';
import { callerOf, type Caller, type StarDeps } from '../../services/star-ratings/access.ts';

export const tags = ['star-ratings'];
export const STAFF: Role[] = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'admin'];
export const ANY: Role[] = [...STAFF, 'enterprise_rep', 'enterprise_party_org'];
export const ENTERPRISE: Role[] = ['enterprise_rep', 'enterprise_party_org'];
export const DEPARTMENT: Role[] = ['org_department'];
export const DASHBOARD: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];

type Params = { orgId: string } & Record<string, string>;

/** POST `url`: one update of the organization's workflow; answers the workflow's status. */
export function actionRoute<A extends { actor: Actor }, B extends TSchema>(app: FastifyInstance, deps: StarDeps, route: {
  url: string;
  summary: string;
  roles: Role[];
  params?: TSchema;
  body?: B;
  update: UpdateDefinition<Status, [A]>;
  args: (params: Params, body: Static<B>) => Omit<A, 'actor'>;
  /** Checks before the workflow hears of it (e.g. that evidence files exist). */
  check?: (caller: Caller, params: Params, body: Static<B>) => Promise<void>;
}): void {
  app.post(route.url, {
    config: { auth: { roles: route.roles } },
    schema: {
      tags,
      summary: route.summary,
      params: route.params ?? OrgParams,
      ...(route.body ? { body: route.body } : {}),
      response: { 200: StarRatingStatus, ...WorkflowErrors },
    },
  }, async (request) => {
    const params = request.params as Params;
    const body = request.body as Static<B>;
    const caller = callerOf(request);
    await route.check?.(caller, params, body);
    return act<A>(deps, caller, params.orgId, route.update, route.args(params, body) as never);
  });
}
