// The one place that says who sees and acts on what in the assessments (every service of
// api/services/assessments/ asks here): the caller, which units the caller holds staff roles
// over, the units, schemes and rounds the caller may see (else 404, so another district's records
// are not revealed), who acts as the department of a round, who holds a role in it (first review,
// sign-off), the sources a caller may score an assessed person or unit as, who reads an assessed one's papers and 述职,
// whose ballot lists every assessed, and where a caller nominates.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Principal } from '../../../domain/auth/principal.ts';
import { isAdmin } from '../../../domain/auth/scope.ts';
import type { Clock } from '../../../domain/clock.ts';
import { forbidden, notFound } from '../../../domain/errors.ts';
import type { SchemeDefinition, SourceKind } from '../../../domain/assessment/rules.ts';
import type { RoundStage, SignOff } from '../../../domain/assessment/state.ts';
import type { WorkflowBounds } from '../../workflow-refusals.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';

export interface Caller { em: EntityManager; principal: Principal }
export const callerOf = (request: FastifyRequest): Caller => ({ em: emOf(request), principal: principalOf(request) });

export interface AssessmentDeps { temporal: Client; bounds: WorkflowBounds; taskQueue: string; clock: Clock; dataDir: string }

const STAFF = ['org_department', 'street_committee', 'community_committee'];
/** Paths of units the caller holds `roles` over (every staff role when not named). */
export const pathsOf = (p: Principal, roles: readonly string[] = STAFF): string[] =>
  p.grants.filter((g) => roles.includes(g.role) && g.unitPath).map((g) => g.unitPath!);

/** Paths the caller sees everything under: every unit for an admin, else where it holds `roles`. */
export const scopePaths = (p: Principal, roles: readonly string[] = STAFF): string[] => (isAdmin(p) ? [''] : pathsOf(p, roles));

/** Whether the caller holds one of `roles` over a unit (at it or above it). */
export const holdsOver = (p: Principal, unitPath: string, roles: readonly string[]) => pathsOf(p, roles).some((path) => unitPath.startsWith(path));

export async function unitInScope(c: Caller, unitId: string, roles: readonly string[]) {
  const [unit] = await c.em.execute<{ id: string; name: string; path: string; level: string }[]>(
    'select id, name, path, level from administrative_unit where id = ?', [unitId]);
  if (!unit || !(isAdmin(c.principal) || pathsOf(c.principal, roles).some((p) => unit.path.startsWith(p)))) throw notFound('unit');
  return unit;
}

export interface SchemeRow {
  id: string; unit_id: string | null; unit_name: string | null; unit_path: string | null; shipped_key: string | null; is_default: boolean;
  copied_from: string | null; draft: SchemeDefinition; latest_version: number; updated_at: Date;
}

/** A scheme the department may read: a shipped default, or one of a unit over or under its own. */
export async function schemeFor(c: Caller, id: string): Promise<{ scheme: SchemeRow; editable: boolean }> {
  const [scheme] = await c.em.execute<SchemeRow[]>(
    `select s.*, u.name unit_name, u.path unit_path from assessment_scheme s left join administrative_unit u on u.id = s.unit_id where s.id = ?`, [id]);
  if (!scheme) throw notFound('assessment scheme');
  const admin = isAdmin(c.principal);
  const paths = pathsOf(c.principal, ['org_department']);
  const under = scheme.unit_path !== null && paths.some((p) => scheme.unit_path!.startsWith(p));
  const over = scheme.unit_path !== null && paths.some((p) => p.startsWith(scheme.unit_path!));
  if (!(admin || scheme.is_default || under || over)) throw notFound('assessment scheme');
  return { scheme, editable: scheme.unit_id !== null && (admin || under) };
}

export interface RoundRow {
  id: string; scheme_id: string; version: number; unit_id: string; unit_name: string; unit_path: string; period: string; workflow_id: string;
  stage: RoundStage; sign_off_step: number; scoring_due_at: Date; started_at: Date; closed_at: Date | null; ranking_sha256: string | null;
  definition: SchemeDefinition;
  /** Residents answer with one-time codes (issued by the department): their typed filings are refused. */
  resident_codes?: boolean;
}

export interface RoundAccess {
  round: RoundRow;
  /** Department over the round's unit (or admin): sees everything, closes scoring, files department and residents' scores. */
  department: boolean;
  /** Paths the caller supervises inside the round (street / community staff). */
  within: string[];
  /** Sources the department named the caller a voter of in this round (党员代表…). */
  named?: SourceKind[];
}

/** A round with its unit and the definition of the version it runs. */
async function roundRow(em: EntityManager, id: string): Promise<RoundRow | undefined> {
  const [round] = await em.execute<RoundRow[]>(
    `select r.*, u.name unit_name, u.path unit_path, v.definition from assessment_round r join administrative_unit u on u.id = r.unit_id
       join assessment_scheme_version v on v.scheme_id = r.scheme_id and v.version = r.version where r.id = ?`, [id]);
  return round;
}

/** Paths where the caller holds one of `roles` over or inside the round's unit (an admin: the round's own). */
export function rolePathsIn(c: Caller, round: RoundRow, roles: readonly string[]): string[] {
  if (isAdmin(c.principal)) return [round.unit_path];
  return pathsOf(c.principal, roles).filter((p) => p.startsWith(round.unit_path) || round.unit_path.startsWith(p));
}

/** A round the caller may see: staff over its unit, or inside it (a street, a community, a grid worker). */
export async function roundFor(c: Caller, id: string): Promise<RoundAccess> {
  const round = await roundRow(c.em, id);
  if (!round) throw notFound('assessment round');
  const admin = isAdmin(c.principal);
  const department = admin || holdsOver(c.principal, round.unit_path, ['org_department']);
  const within = pathsOf(c.principal).filter((p) => p.startsWith(round.unit_path) || round.unit_path.startsWith(p));
  const named = (await c.em.execute<{ source: SourceKind }[]>('select source from assessment_voter where round_id = ? and account_id = ?',
    [round.id, c.principal.accountId])).map((r) => r.source);
  if (!department && within.length === 0 && named.length === 0) throw notFound('assessment round');
  return { round, department, within, named };
}

/** A round as the public page sees it (by its id, printed on the 公示 notice): 404 for a round that takes no objections. */
export async function publicRoundFor(em: EntityManager, id: string): Promise<RoundAccess> {
  const round = await roundRow(em, id);
  if (!round?.definition.objections) throw notFound('assessment round');
  return { round, department: false, within: [] };
}

/** What only the department over the round does: else 403 (`hidden`: 404, for what others may not know exists). */
export function asDepartment(access: RoundAccess, what: string, hidden?: string): RoundAccess {
  if (!access.department) throw hidden ? notFound(hidden) : forbidden(`only the department ${what}`, 'not_your_role');
  return access;
}

/**
 * The role the caller signs the round's next step in: the step's role when it holds it in the round, else another
 * sign-off role it holds there (the workflow's validator refuses it: 403 wrong_role). A caller holding no sign-off
 * role in the round (community staff, a grid worker, a named voter) signs nothing.
 */
export function signOffRoleOf(c: Caller, round: RoundRow): SignOff['role'] {
  if (isAdmin(c.principal)) return 'admin';
  const due = round.definition.signOff[round.sign_off_step];
  const held = (['org_department', 'street_committee'] as const).filter((r) => rolePathsIn(c, round, [r]).length > 0);
  const role = due && held.includes(due) ? due : held[0];
  if (!role) throw forbidden('you do not sign off this round', 'wrong_role');
  return role;
}

/** Whether the caller may sign the round's next step now. */
export function canSignOff(c: Caller, round: RoundRow): boolean {
  const due = round.definition.signOff[round.sign_off_step];
  return round.stage === 'sign_off' && due !== undefined && rolePathsIn(c, round, [due]).length > 0;
}

export interface SubjectRow {
  id: string; account_id: string | null; organization_id: string | null; unit_id: string; unit_path: string; name: string; workflow_id: string;
}

/** Parent path of a unit path (`/a/b/c/` → `/a/b/`). */
const parentOf = (path: string) => path.replace(/[^/]+\/$/, '');

/** Whether the caller is the assessed itself: its account (a role), a grant of its organization, a grant on its unit. */
export function isAssessed(c: Caller, round: RoundRow, subject: Pick<SubjectRow, 'account_id' | 'organization_id' | 'unit_id'>): boolean {
  const kind = round.definition.target.kind;
  const grants = c.principal.grants;
  return kind === 'role' ? subject.account_id === c.principal.accountId
    : kind === 'organization' ? grants.some((g) => g.organizationId !== null && g.organizationId === subject.organization_id)
      : grants.some((g) => g.unitId === subject.unit_id);
}

/** Whether the caller holds one of `roles` over an assessed one's unit: above it, or at it for an organization located there (not a peer's). */
function staffOver(c: Caller, round: RoundRow, unitPath: string, roles: readonly string[]): boolean {
  return c.principal.grants.some((g) => roles.includes(g.role) && !!g.unitPath && unitPath.startsWith(g.unitPath)
    && (g.unitPath !== unitPath || round.definition.target.kind === 'organization'));
}

/** The sources the caller may file as for one assessed person or unit of the round. */
export function sourcesFor(c: Caller, access: RoundAccess, subject: SubjectRow, peerPaths: string[]): SourceKind[] {
  const d = access.round.definition;
  const out = new Set<SourceKind>();
  const self = isAssessed(c, access.round, subject);
  if (self) out.add('self');
  if (!self && peerPaths.some((path) => parentOf(path) === parentOf(subject.unit_path))) out.add('peers');
  // The first reviewer of the supervisors' filings does not file as a supervisor itself (the street reviews what communities rate).
  const reviewer = d.firstReview?.source === 'supervisor' ? d.firstReview.role : null;
  const supervisors = ['community_committee', 'street_committee'].filter((r) => r !== reviewer);
  if (!self && staffOver(c, access.round, subject.unit_path, supervisors)) out.add('supervisor');
  if (access.department) {
    out.add('department');
    // Residents of a round answered with codes answer themselves (the department types only 线下 paper questionnaires).
    if (!access.round.resident_codes) out.add('residents');
  }
  for (const s of access.named ?? []) if (!self) out.add(s);
  return d.sources.map((s) => s.kind).filter((k) => out.has(k));
}

/** Who reads an assessed one's papers (评分表, 结果通知书): the department, the assessed itself, staff over its unit. */
export const readsPapers = (c: Caller, access: RoundAccess, s: Pick<SubjectRow, 'account_id' | 'organization_id' | 'unit_id' | 'unit_path'>) =>
  access.department || isAssessed(c, access.round, s) || staffOver(c, access.round, s.unit_path, STAFF);

/** Who reads an assessed one's 述职: the department, the round's named voters, the assessed person, staff at or over its unit. */
export const readsReport = (c: Caller, access: RoundAccess, s: Pick<SubjectRow, 'account_id' | 'unit_path'>) =>
  access.department || (access.named ?? []).length > 0 || s.account_id === c.principal.accountId || access.within.some((p) => s.unit_path.startsWith(p));

/** Whether the caller's ballot lists every assessed of the round (the department, a named voter), else only those it votes on. */
export const ballotsEvery = (access: RoundAccess) => access.department || (access.named ?? []).length > 0;

/** Paths where the caller nominates in the round: a nominating role held over or inside the round's unit (an admin nominates nobody). */
export function nominatingPaths(c: Caller, round: RoundRow): string[] {
  const kinds = (round.definition.nomination?.by ?? []).filter((k) => k !== 'residents');
  return pathsOf(c.principal, kinds).filter((p) => p.startsWith(round.unit_path) || round.unit_path.startsWith(p));
}
