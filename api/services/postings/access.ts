// Who may see and act on a posting, and how the posting's workflows are told. Callers see only
// postings they hold a role over (404 otherwise, so a posting's existence is not revealed); the
// roles found are the actor the workflows' validators judge. A refused update answers 403
// (wrong role), 400 (invalid) or 409 (already signed, not open) with the workflow's reason.
//
// One writer per table (DESIGN.md): the API writes what people filed — the cohort and its
// postings' rows, guarantees, check-ins and their review, head visits, residents' ratings —
// and then tells the workflow; the activities (activities/posting.ts) write what the workflows
// decide: a posting's phase and saved status, closed months, quarter progress and results,
// year-end results and ranks, the final assessment, survey links, notices and report files.
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { AppServices } from '../../app-services.ts';
import type { Clock } from '../../../domain/clock.ts';
import { conflictOf, forbidden, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { UpdateDefinition } from '@temporalio/common';
import { takeUpdate, tellWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { escapeLike, isAdmin } from '../../../domain/auth/scope.ts';
import type { AuditActor } from '../../../domain/audit/record.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { postingWorkflowId, quarterWorkflowId, type PostingStatus } from '../../../domain/posting/contracts.ts';
import type { Actor } from '../../../domain/posting/rules.ts';
import { anyOf } from '../../support/query.ts';

export const POSTING_ROLES: Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary', 'dispatching_unit', 'admin'];

/** One request's caller and what the services need around it. */
export interface PostingCaller {
  em: EntityManager;
  principal: Principal;
  /** The app's services, with the service clock (the simulated calendar in the sandbox). */
  services: AppServices & { clock: Clock };
}

export const callerOf = (request: FastifyRequest): PostingCaller => ({ em: emOf(request), principal: principalOf(request), services: request.server.services });

/** A street, community or cohort region the caller holds a unit role over (any role, or one of `roles`). */
export const overUnit = (principal: Principal, path: string, roles?: Role[]) =>
  isAdmin(principal) || principal.grants.some((g) => g.unitPath && path.startsWith(g.unitPath) && (!roles || roles.includes(g.role)));

/** A street committee inside the region: it sees its own streets' rows of the cohort. */
export const streetInRegion = (principal: Principal, regionPath: string) =>
  principal.grants.some((g) => g.role === 'street_committee' && g.unitPath?.startsWith(regionPath));

/** Who wrote a change, for the audit log. */
export const auditActorOf = (caller: PostingCaller): AuditActor => ({ accountId: caller.principal.accountId, label: caller.principal.login });

/** The posting and the roles the caller holds over it, as the workflow's validators see them; 404 without any. */
export async function postingActor(caller: PostingCaller, postingId: string): Promise<{ posting: Posting; actor: Actor }> {
  const { em, principal } = caller;
  const posting = await em.findOne(Posting, { id: postingId }, { populate: ['community', 'person', 'dispatchingOrganization'] });
  if (!posting) throw notFound('posting');
  const path = posting.community.getEntity().path;
  const roles = new Set<Role>();
  for (const g of principal.grants) {
    if (g.role === 'first_secretary') {
      if (principal.personId === posting.person.id) roles.add('first_secretary');
    } else if (g.organizationId && g.organizationId === posting.dispatchingOrganization.id) roles.add(g.role);
    else if (g.unitPath && path.startsWith(g.unitPath)) roles.add(g.role);
  }
  if (roles.size === 0 && !isAdmin(principal)) throw notFound('posting');
  return { posting, actor: { accountId: principal.accountId, name: principal.displayName, roles: [...roles] } };
}

export function needRole(actor: Actor, role: Role, what: string): void {
  if (!actor.roles.includes(role)) throw forbidden(`${what} needs the role ${role} over this posting`, 'wrong_role');
}

/** The postings `principal` may see, as a MikroORM condition (the roles postingActor finds). */
export function visiblePostings(principal: Principal): Record<string, unknown> {
  if (isAdmin(principal)) return {};
  const any: Record<string, unknown>[] = [];
  for (const g of principal.grants) {
    if (!POSTING_ROLES.includes(g.role)) continue;
    if (g.role === 'first_secretary') {
      if (principal.personId) any.push({ person: principal.personId });
    } else if (g.organizationId) any.push({ dispatchingOrganization: g.organizationId });
    else if (g.unitPath) any.push({ community: { path: { $like: `${escapeLike(g.unitPath)}%` } } });
  }
  return anyOf(any);
}

export const boundsOf = ({ temporal, config }: AppServices): WorkflowBounds => ({
  temporal,
  updateTimeoutMs: config.UPDATE_TIMEOUT_MS,
  queryTimeoutMs: config.QUERY_TIMEOUT_MS,
});
export const postingHandle = ({ temporal }: AppServices, postingId: string): WorkflowHandle => temporal.workflow.getHandle(postingWorkflowId(postingId));
export const quarterHandle = ({ temporal }: AppServices, postingId: string, quarter: number): WorkflowHandle =>
  temporal.workflow.getHandle(quarterWorkflowId(postingId, quarter));

/**
 * Runs an update; a refusal becomes 403/400/409, and a posting or quarter whose workflow is not
 * running (finished, cancelled, or not started yet) answers 409 not_open.
 */
export function tellPosting<T>(run: () => Promise<T>): Promise<T> {
  return tellWorkflow(run, async (error) =>
    error instanceof WorkflowNotFoundError ? conflictOf('not_open', 'that workflow is not running (finished, or not started yet)') : undefined,
  );
}

/** Tells the posting's workflow what the caller did (an update with the caller as actor); answers the phase and status it finds. */
export async function updatePosting<U extends { actor: Actor }>(
  caller: PostingCaller,
  postingId: string,
  update: UpdateDefinition<PostingStatus, [U]>,
  body: Omit<U, 'actor'>,
): Promise<{ phase: PostingStatus['phase']; status: PostingStatus }> {
  const { posting, actor } = await postingActor(caller, postingId);
  const status = await tellPosting(() => takeUpdate(boundsOf(caller.services), postingHandle(caller.services, posting.id), update, [{ ...body, actor } as U]));
  return { phase: status.phase, status };
}
