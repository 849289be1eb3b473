// Who may act on which star rating, and what a star-rating service needs from the app: the
// caller (its EntityManager and principal), the Temporal client with its bounds, the data dir.
// Writers: these services write what people filed (the cycle and its settings, enrolments, public
// objections, the audit log) and then tell the workflow; what the workflow decides (rounds, moves,
// incentives, accepted events, the level and the end of an enrolment) only its activities write.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { badRequest, notFound } from '../../../domain/errors.ts';
import type { Clock } from '../../../domain/clock.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { WorkflowBounds } from '../../workflow-refusals.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import { isAdmin, rolesOver } from '../../../domain/auth/scope.ts';
import type { AuditActor } from '../../../domain/audit/record.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { StarEnrolment } from '../../../domain/entities/star-rating.ts';
import type { Actor } from '../../../domain/star-rating/state.ts';

export interface StarDeps {
  temporal: Client;
  bounds: WorkflowBounds;
  taskQueue: string;
  dataDir: string;
  log: FastifyBaseLogger;
  /** The service's clock (domain/clock.ts): the sandbox moves it. */
  clock: Clock;
}

export const starDeps = (app: FastifyInstance): StarDeps => {
  const { temporal, config, clock } = app.services;
  return {
    temporal,
    bounds: { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS },
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataDir: config.DATA_DIR,
    log: app.log,
    clock,
  };
};

/** The caller of one request. */
export interface Caller {
  em: EntityManager;
  principal: Principal;
  /** The client address (public links count objections per client). */
  ip: string;
}

export const callerOf = (request: FastifyRequest): Caller => ({
  em: emOf(request),
  get principal() {
    return principalOf(request);
  },
  ip: request.ip,
});

export const auditActorOf = (actor: Actor | Principal): AuditActor => ({ accountId: actor.accountId, label: actor.login });

export interface RatingAccess {
  em: EntityManager;
  org: Organization;
  enrolment: StarEnrolment;
  actor: Actor;
  principal: Principal;
}

/** An enrolled organization's rating and the caller's roles over it; 404 for one the caller holds no role over. */
export async function ratingFor(caller: Caller, orgId: string): Promise<RatingAccess> {
  const { em, principal } = caller;
  const org = await em.findOne(Organization, { id: orgId }, { populate: ['unit'] });
  if (!org) throw notFound('organization');
  const roles = await rolesOver(em, principal, org);
  if (roles.length === 0 && !isAdmin(principal)) throw notFound('organization');
  const enrolment = await em.findOne(StarEnrolment, { organization: org.id });
  if (!enrolment) throw notFound('star rating of this organization');
  return { em, org, enrolment, principal, actor: { accountId: principal.accountId, login: principal.login, roles } };
}

/** 400 unless every evidence file was filed for this organization (through the shared evidence upload). */
export async function requireEvidence(em: EntityManager, orgId: string, ids: string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = await em.find(EvidenceFile, { id: { $in: ids }, organization: orgId }, { fields: ['id'] });
  const known = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw badRequest('unknown evidence', missing.map((id) => ({ field, rule: `${id} is not an evidence file of this organization` })));
}

/** The department's unit the caller names (or its own): 400 without one, 404 outside its jurisdiction. */
export async function departmentUnit(caller: Caller, unitId: string | undefined, field: string): Promise<AdministrativeUnit> {
  const { em, principal } = caller;
  const deptGrants = principal.grants.filter((g) => g.role === 'org_department' && g.unitId);
  const id = unitId ?? deptGrants[0]?.unitId;
  if (!id) throw badRequest('name the jurisdiction', [{ field, rule: 'is required for an account without a department unit' }]);
  const unit = await em.findOne(AdministrativeUnit, { id });
  if (!unit || (!isAdmin(principal) && !deptGrants.some((g) => unit.path.startsWith(g.unitPath!)))) throw notFound('unit');
  return unit;
}

/** The jurisdiction a dashboard reads: a unit under one of the caller's department, street or community grants. */
export async function jurisdiction(caller: Caller, unitId: string | undefined): Promise<AdministrativeUnit> {
  const { em, principal } = caller;
  const paths = principal.grants.filter((g) => ['org_department', 'street_committee', 'community_committee'].includes(g.role) && g.unitPath);
  const id = unitId ?? paths[0]?.unitId;
  const unit = id ? await em.findOne(AdministrativeUnit, { id }) : null;
  if (!unit || (!isAdmin(principal) && !paths.some((g) => unit.path.startsWith(g.unitPath!)))) throw notFound('unit');
  return unit;
}
