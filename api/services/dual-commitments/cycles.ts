// Starting a dual commitments cycle and retrying the starts that failed. Writes: the cycle, one
// commitment_set row per organization (gate 定诺, no version yet) and the audit row, together;
// the workflows start after commit, in the background (cycle-start.ts keeps their bookkeeping).
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordAudit } from '../../../domain/audit/record.ts';
import { escapeLike, isAdmin, organizationScopeSql, readableOrganizationScope } from '../../../domain/auth/scope.ts';
import { badRequest, conflict, notFound } from '../../../domain/errors.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CatalogVersion } from '../../../domain/entities/catalog-version.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { CommitmentSet } from '../../../domain/entities/commitment.ts';
import { passedGateDates, resolveSettings } from '../../../domain/dual-commitment/rules.ts';
import { dualCommitmentWorkflowId } from '../../../domain/dual-commitment/contracts.ts';
import type { Caller, DualCommitmentDeps } from './access.ts';

export interface CycleStart {
  year: number;
  name?: string;
  unitId?: string;
  organizationIds?: string[];
  kinds?: string[];
  settings?: Record<string, unknown>;
}

export function createCycleService(deps: DualCommitmentDeps) {
  /** Organizations the start selects: the caller's jurisdiction (or the unit given), by kind. */
  async function selectOrganizations({ em, principal }: Caller, body: CycleStart): Promise<string[]> {
    const admin = isAdmin(principal);
    const deptPaths = principal.grants.filter((g) => g.role === 'org_department' && g.unitPath).map((g) => g.unitPath!);
    let underPath: string[] = deptPaths;
    if (body.unitId) {
      const unit = await em.findOne(AdministrativeUnit, { id: body.unitId });
      if (!unit || (!admin && !deptPaths.some((p) => unit.path.startsWith(p)))) throw notFound('unit');
      underPath = [unit.path];
    }
    const where: Record<string, unknown>[] = [];
    if (!admin || body.unitId) where.push({ $or: underPath.map((p) => ({ unit: { path: { $like: `${escapeLike(p)}%` } } })) });
    if (body.organizationIds) where.push({ id: { $in: body.organizationIds } });
    if (body.kinds) where.push({ kind: { $in: body.kinds } });
    else where.push({ kind: { $in: ['non_public_enterprise', 'social_organization'] } });
    return (await em.find(Organization, { $and: where } as never, { fields: ['id'] as never, orderBy: { id: 'asc' } })).map((o) => o.id);
  }

  async function start(caller: Caller, body: CycleStart) {
    const { em, principal } = caller;
    const { settings: resolved, problems } = resolveSettings(body.year, body.settings ?? {});
    if (problems.length) throw badRequest('the cycle settings are invalid', problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    // A cycle started after its deadlines would escalate on day one: new dates are required.
    const passed = passedGateDates(resolved, deps.clock.now().getTime());
    if (passed.length) throw badRequest('some dates of the cycle have already passed', passed.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    const orgIds = await selectOrganizations(caller, body);
    if (orgIds.length === 0) throw badRequest('no organization matches', [{ field: 'body', rule: 'selects no organization in your jurisdiction' }]);
    const taken = await em.find(CommitmentSet, { year: body.year, organization: { $in: orgIds } }, { fields: ['organization'] as never });
    if (taken.length > 0) {
      const details = taken.slice(0, 20).map((t) => ({
        field: 'body.organizationIds', rule: `organization ${t.organization.id} is already in a ${body.year} cycle`,
      }));
      throw conflict(`${taken.length} organizations already have a dual commitments cycle in ${body.year}`, details);
    }
    // One cycle, one catalog: resident units (四双) commit from their own catalog, so they are
    // started in a cycle of their own, which keeps the version it started with.
    const residentUnits = body.kinds?.includes('resident_unit') ?? false;
    if (residentUnits && body.kinds!.some((kind) => kind !== 'resident_unit')) {
      throw badRequest('resident units (四双) use their own catalog', [
        { field: 'body.kinds', rule: 'start resident_unit in a cycle of its own, apart from enterprises and social organizations' },
      ]);
    }
    const cycle = await em.transactional(async (tx) => {
      const kind = residentUnits ? 'resident_unit_commitment' : 'dual_commitment';
      const catalog = await tx.findOne(CatalogVersion, { kind }, { orderBy: { version: 'desc' } });
      const now = deps.clock.now();
      if (catalog) catalog.usedAt ??= now;
      const created = tx.create(Cycle, {
        type: 'dual_commitment',
        year: body.year,
        name: body.name ?? `${body.year}年度双向承诺`,
        scope: { unitIds: body.unitId ? [body.unitId] : [], organizationIds: body.organizationIds },
        catalogVersion: catalog?.id ?? null,
        settings: body.settings ?? {},
        status: 'running',
        createdBy: principal.accountId,
      } as never);
      await tx.flush();
      const rows = orgIds.map((orgId) => [randomUUID(), created.id, orgId, body.year, dualCommitmentWorkflowId(orgId, body.year), now, now, now]);
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        const values = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, '{}', 'set', 'drafting', 0)").join(', ');
        await tx.execute(
          `insert into commitment_set (id, cycle_id, organization_id, year, workflow_id, gate_entered_at, created_at, updated_at,
             self_evaluations, gate, status, latest_version) values ${values}`,
          chunk.flat(),
        );
      }
      await recordAudit(tx, {
        actor: { accountId: principal.accountId, label: principal.login },
        action: 'dual_commitment.cycle_start',
        entityType: 'cycle',
        entityId: created.id,
        after: {
          year: body.year, name: created.name, unitId: body.unitId ?? null, kinds: body.kinds ?? null, organizations: orgIds.length,
          catalogVersion: catalog?.version ?? null, settings: body.settings ?? {},
        },
      });
      return created;
    }).catch((error: unknown) => {
      // Two starts racing for the same organizations: the second finds the first's rows.
      if (error instanceof UniqueConstraintViolationException) {
        throw conflict(`some of these organizations already have a dual commitments cycle in ${body.year}`, [
          { field: 'body.organizationIds', rule: `an organization is already in a ${body.year} cycle (started at the same time)` },
        ]);
      }
      throw error;
    });
    deps.starter.startInBackground(cycle.id);
    return { id: cycle.id, year: body.year, organizations: orgIds.length, progress: `/dual-commitments/cycles/${cycle.id}` };
  }

  /** The gate dates and settings a cycle of this year gets when its start leaves them out. */
  function defaults(year: number) {
    const { settings } = resolveSettings(year, {});
    const { submissionDeadline, publicationDays, practiceEnd, evaluationStart, evaluationEnd } = settings;
    return { submissionDeadline, publicationDays, practiceEnd, evaluationStart, evaluationEnd };
  }

  /** Clears the start errors of the caller's sets in the cycle and starts them again. */
  async function retryStarts({ em, principal }: Caller, cycleId: string) {
    const cycle = await em.findOne(Cycle, { id: cycleId, type: 'dual_commitment' });
    if (!cycle) throw notFound('cycle');
    const visible = organizationScopeSql(await readableOrganizationScope(em, principal, ['org_department']), 's.organization_id');
    // As the dashboard: a cycle with none of the caller's organizations is not found.
    const mine = await em.getConnection().execute<unknown[]>(
      `select 1 from commitment_set s where s.cycle_id = ? and ${visible.sql} limit 1`, [cycle.id, ...visible.params],
    );
    if (mine.length === 0) throw notFound('cycle');
    const retried = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update commitment_set s set start_error = null
          where s.cycle_id = ? and ${visible.sql} and s.started_at is null and s.start_error is not null returning s.id`,
        [cycle.id, ...visible.params],
      );
      if (rows.length > 0) {
        const actor = { accountId: principal.accountId, label: principal.login };
        await recordAudit(tx, { actor, action: 'dual_commitment.start_retry', entityType: 'cycle', entityId: cycle.id, after: { sets: rows.length } });
      }
      return rows.length;
    });
    if (retried > 0) deps.starter.startInBackground(cycle.id);
    return { id: cycle.id, retried, progress: `/dual-commitments/cycles/${cycle.id}` };
  }

  return { start, defaults, retryStarts };
}
