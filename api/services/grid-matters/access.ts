// What every grid matters service shares: who may read a matter (staff over its grid, a
// registered unit it is dispatched to, its reporter) and who may act on it (staff of the unit it
// is assigned to now, or above it; the registered unit's members), how an update reaches the
// matter's workflow, and the department's settings that apply to a unit.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Principal } from '../../../domain/auth/principal.ts';
import { isAdmin } from '../../../domain/auth/scope.ts';
import type { Clock } from '../../../domain/clock.ts';
import { conflictOf, forbidden, notFound } from '../../../domain/errors.ts';
import { chainOfPath, DEFAULT_GRID_SETTINGS, type GridMatterSettings } from '../../../domain/grid-matter/rules.ts';
import type { Actor } from '../../../domain/grid-matter/state.ts';
import { askWorkflow, tellWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';

export interface Caller {
  em: EntityManager;
  principal: Principal;
}
export const callerOf = (request: FastifyRequest): Caller => ({ em: emOf(request), principal: principalOf(request) });

export interface GridMatterDeps {
  temporal: Client;
  bounds: WorkflowBounds;
  taskQueue: string;
  clock: Clock;
}

/** Roles of the tree's Party organizations that handle and oversee matters. */
export const MATTER_STAFF = ['community_committee', 'street_committee', 'org_department'] as const;

export const actorOf = (principal: Principal): Actor => ({ accountId: principal.accountId, login: principal.login });

/** Unit paths the caller holds a staff role over (empty for everyone else). */
export const staffPaths = (principal: Principal): string[] =>
  principal.grants.filter((g) => (MATTER_STAFF as readonly string[]).includes(g.role) && g.unitPath).map((g) => g.unitPath!);

export interface MatterAccessRow {
  id: string;
  number: string;
  workflow_id: string;
  status: string;
  grid_path: string;
  assignee_path: string;
  responder_id: string | null;
  member_account_ids: string[] | null;
  reporter_account_id: string | null;
}

/** The matter with what the caller may do: read (else 404) and act (accept, answer, merge). */
export async function loadMatterFor({ em, principal }: Caller, id: string): Promise<{ matter: MatterAccessRow; canAct: boolean }> {
  const [matter] = await em.execute<MatterAccessRow[]>(
    `select m.id, m.number, m.workflow_id, m.status, g.path grid_path, a.path assignee_path, m.responder_id, r.member_account_ids, m.reporter_account_id
       from grid_matter m join administrative_unit g on g.id = m.grid_id join administrative_unit a on a.id = m.assignee_unit_id
       left join grid_responder r on r.id = m.responder_id where m.id = ?`,
    [id],
  );
  if (!matter) throw notFound('grid matter');
  const admin = isAdmin(principal);
  const paths = staffPaths(principal);
  const member = (matter.member_account_ids ?? []).includes(principal.accountId);
  const canAct = admin || member || paths.some((p) => matter.assignee_path.startsWith(p));
  const canRead = canAct || paths.some((p) => matter.grid_path.startsWith(p)) || matter.reporter_account_id === principal.accountId;
  if (!canRead) throw notFound('grid matter');
  return { matter, canAct };
}

export async function requireActOn(caller: Caller, id: string) {
  const loaded = await loadMatterFor(caller, id);
  if (!loaded.canAct) throw forbidden('the matter is assigned to another unit', 'not_assigned');
  return loaded.matter;
}

/** Runs an update on the matter's workflow; a workflow that has ended answers 409 matter_closed. */
export function tellMatter<T>(bounds: WorkflowBounds, workflowId: string, run: () => Promise<T>): Promise<T> {
  return tellWorkflow(run, async (error) => {
    try {
      const state = (await askWorkflow(bounds, () => bounds.temporal.workflow.getHandle(workflowId).describe())).status.name;
      if (state !== 'RUNNING') return conflictOf('matter_closed', `the matter's workflow ${workflowId} has ended (${state}) and takes no further actions`);
    } catch (describeError) {
      if (describeError instanceof WorkflowNotFoundError) return conflictOf('matter_closed', `the matter's workflow ${workflowId} does not exist`);
    }
    return error instanceof WorkflowNotFoundError ? conflictOf('matter_closed', 'the matter takes no further actions') : undefined;
  });
}

/** The settings that apply under `path`: the nearest unit on it (itself first) that saved some, else the defaults. */
export async function settingsFor(em: EntityManager, path: string): Promise<{ settings: GridMatterSettings; unitId: string | null; updatedAt: Date | null }> {
  const ids = path.split('/').filter(Boolean);
  const rows = await em.execute<{ unit_id: string; settings: GridMatterSettings; updated_at: Date }[]>(
    'select unit_id, settings, updated_at from grid_matter_settings where unit_id = any(?::uuid[])',
    [`{${ids.join(',')}}`],
  );
  for (const id of [...ids].reverse()) {
    const row = rows.find((r) => r.unit_id === id);
    if (row) return { settings: row.settings, unitId: id, updatedAt: row.updated_at };
  }
  return { settings: DEFAULT_GRID_SETTINGS, unitId: null, updatedAt: null };
}

/** The unit at the top of a path: where rules fall back to when no unit saved any. */
export const topOf = (path: string) => chainOfPath(path).district ?? path.split('/').filter(Boolean)[0]!;

/** Timestamps as raw SQL returns them (strings or Dates), as ISO text. */
export const isoOf = (value: Date | string | null | undefined): string | null => (value == null ? null : new Date(value).toISOString());
export const msOf = (value: Date | string): number => new Date(value).getTime();
