// What every dual commitments service shares: who may act on a set (the roles the caller holds
// over its organization, as the workflow's validators see them), how an update reaches the
// set's workflow, and the set's gate dates as people read them.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AuditActor } from '../../../domain/audit/record.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import { isAdmin, rolesOver } from '../../../domain/auth/scope.ts';
import type { Clock } from '../../../domain/clock.ts';
import { conflictOf, DomainError, notFound } from '../../../domain/errors.ts';
import { CatalogVersion } from '../../../domain/entities/catalog-version.ts';
import { CommitmentSet } from '../../../domain/entities/commitment.ts';
import type { DualCommitmentCatalog } from '../../../domain/catalogs/schemas.ts';
import { defaultDualCommitmentCatalog } from '../../../domain/catalogs/dual-commitment.ts';
import { defaultResidentUnitCatalog } from '../../../domain/catalogs/resident-unit.ts';
import { gatePlan, resolveSettings, variantForKind, type CatalogItemRef, type GatePlan } from '../../../domain/dual-commitment/rules.ts';
import type { Actor } from '../../../domain/dual-commitment/state.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import type { ReportStore } from '../../../reports/store.ts';
import { askWorkflow, tellWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { CycleStarter } from './cycle-start.ts';

/** Who asks: the request's EntityManager and principal. */
export interface Caller {
  em: EntityManager;
  principal: Principal;
}

export const callerOf = (request: FastifyRequest): Caller => ({ em: emOf(request), principal: principalOf(request) });

/** What the services of the cycle are built with (once, when the routes are registered). */
export interface DualCommitmentDeps {
  temporal: Client;
  bounds: WorkflowBounds;
  taskQueue: string;
  clock: Clock;
  reportStore: ReportStore;
  starter: CycleStarter;
}

export const auditActor = (actor: Actor): AuditActor => ({ accountId: actor.accountId, label: actor.login });

/** The set with the caller as the workflow sees them; not found when the caller holds no role over it. */
export async function loadSetFor({ em, principal }: Caller, setId: string): Promise<{ set: CommitmentSet; actor: Actor; em: EntityManager }> {
  const set = await em.findOne(CommitmentSet, { id: setId }, { populate: ['organization', 'organization.unit', 'cycle'] });
  if (!set) throw notFound('commitment set');
  const roles = await rolesOver(em, principal, set.organization.getEntity());
  if (roles.length === 0 && !isAdmin(principal)) throw notFound('commitment set');
  return { set, em, actor: { accountId: principal.accountId, login: principal.login, roles } };
}

export const GATE_NAMES: Record<string, string> = {
  set: '定诺 (set)', show: '亮诺 (show)', practice: '践诺 (practice)', evaluate: '评诺 (evaluate)', filed: '备案 (filed)',
};

/**
 * Runs an update and turns the workflow's refusal into 403 (role) or 409 (state). A workflow
 * that is no longer running (filed, or ended by a failure) answers 409 naming where the set
 * stands, not 500: the caller asked for something the cycle can no longer take.
 */
export function tellSetWorkflow<T>(bounds: WorkflowBounds, set: CommitmentSet, run: () => Promise<T>): Promise<T> {
  return tellWorkflow(run, async (error) => {
    const closed = await workflowClosedState(bounds, set, error);
    return closed ? conflictOf('cycle_closed', closed) : undefined;
  });
}

/** Why the set's workflow cannot take actions any more, or null when it still runs. */
async function workflowClosedState(bounds: WorkflowBounds, set: CommitmentSet, error: unknown): Promise<string | null> {
  const where = `the ${set.year} dual commitments of this organization are in gate ${GATE_NAMES[set.gate] ?? set.gate}`;
  let state: string;
  try {
    state = (await askWorkflow(bounds, () => bounds.temporal.workflow.getHandle(set.workflowId).describe())).status.name;
  } catch (describeError) {
    // Temporal did not answer the describe in time (a city-wide start keeps it busy): that 503
    // says what happened; the update's own "not found" would otherwise surface as a 500.
    if (describeError instanceof DomainError && error instanceof WorkflowNotFoundError) throw describeError;
    if (!(describeError instanceof WorkflowNotFoundError)) return null;
    return `${where}, but their workflow ${set.workflowId} does not exist (not started yet?); nothing can be filed now`;
  }
  if (state === 'COMPLETED') return `${where}: the cycle is closed (workflow completed) and takes no further actions`;
  if (state !== 'RUNNING') {
    return `${where}: the cycle's workflow ${set.workflowId} ended (${state}) and takes no further actions; ask the organization department`;
  }
  if (error instanceof WorkflowNotFoundError) return `${where}: the cycle's workflow ${set.workflowId} takes no further actions`;
  return null;
}

export function catalogRefs(content: DualCommitmentCatalog): CatalogItemRef[] {
  const refs: CatalogItemRef[] = [];
  for (const [side, part] of [['party', content.partySide], ['enterprise', content.enterpriseSide]] as const) {
    for (const area of part.areas) for (const item of area.items) refs.push({ code: item.code, side, area: area.name });
  }
  return refs;
}

/**
 * Catalog versions a cycle started with, by id: such a version never changes (catalog-version.ts),
 * so every draft save and submit of a cycle's 10,000 sets need not read the same row again.
 */
const cycleCatalogs = new Map<string, DualCommitmentCatalog>();
const CACHED_CATALOGS = 64;

/** The catalog a set is drafted from: the version its cycle started with (四双 for resident units). */
export async function catalogFor(em: EntityManager, set: CommitmentSet): Promise<DualCommitmentCatalog> {
  const id = set.cycle.getEntity().catalogVersion?.id;
  if (id) {
    const cached = cycleCatalogs.get(id);
    if (cached) return cached;
    const catalogRow = await em.findOne(CatalogVersion, { id });
    if (catalogRow) {
      if (cycleCatalogs.size >= CACHED_CATALOGS) cycleCatalogs.delete(cycleCatalogs.keys().next().value!);
      cycleCatalogs.set(id, catalogRow.content as DualCommitmentCatalog);
      return catalogRow.content as DualCommitmentCatalog;
    }
  }
  return variantForKind(set.organization.getEntity().kind) === 'resident_unit' ? defaultResidentUnitCatalog : defaultDualCommitmentCatalog;
}

export const planOf = (set: CommitmentSet): GatePlan => {
  const cycle = set.cycle.getEntity();
  return gatePlan(cycle.year, resolveSettings(cycle.year, cycle.settings).settings);
};

/** The cycle's gate dates (Shanghai calendar days) as people read them. */
export function gateDates(set: CommitmentSet) {
  const cycle = set.cycle.getEntity();
  const { settings } = resolveSettings(cycle.year, cycle.settings);
  return {
    submissionDeadline: settings.submissionDeadline,
    publicationDays: settings.publicationDays,
    practiceEnd: settings.practiceEnd,
    evaluationStart: settings.evaluationStart,
    evaluationEnd: settings.evaluationEnd,
    itemDeadlines: planOf(set).deadlineWindow,
  };
}

/** The last day of the set's current gate (null once filed): what a to-do list sorts by. */
export function gateDue(set: CommitmentSet): string | null {
  const dates = gateDates(set);
  if (set.gate === 'set') return dates.submissionDeadline;
  if (set.gate === 'show') return set.publishedTo ? shanghaiDate(new Date(set.publishedTo)) : null;
  if (set.gate === 'practice') return dates.practiceEnd;
  if (set.gate === 'evaluate') return dates.evaluationEnd;
  return null;
}
