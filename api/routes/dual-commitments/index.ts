// The dual commitments cycle over HTTP (双向承诺). The API writes drafts and public feedback
// itself; every other action is an update of the organization's workflow, whose activity
// records it (activities/dual-commitment-filings.ts); a refused update (wrong role, wrong
// gate, already decided) answers 403/409 with the workflow's reason and writes nothing.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import Type from 'typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordAudit, type AuditActor, PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import { askWorkflow, takeUpdate, tellWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { changeWithAudit } from '../../audited.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { escapeLike, isAdmin, organizationScopeSql, readableOrganizationScope, rolesOver } from '../../../domain/auth/scope.ts';
import { verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CatalogVersion } from '../../../domain/entities/catalog-version.ts';
import { Organization, ORGANIZATION_KINDS } from '../../../domain/entities/organization.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import { CommitmentFeedback, CommitmentItemProgress, CommitmentSet, CommitmentSetVersion } from '../../../domain/entities/commitment.ts';
import type { DualCommitmentCatalog } from '../../../domain/catalogs/schemas.ts';
import { defaultDualCommitmentCatalog } from '../../../domain/catalogs/dual-commitment.ts';
import { defaultResidentUnitCatalog } from '../../../domain/catalogs/resident-unit.ts';
import {
  gatePlan,
  passedGateDates,
  resolveSettings,
  validateCommitmentSet,
  variantForKind,
  type CatalogItemRef,
  type CommitmentDraft,
  type GatePlan,
  commitmentReportDue,
} from '../../../domain/dual-commitment/rules.ts';
import type { Actor } from '../../../domain/dual-commitment/state.ts';
import { createCycleStarter } from './cycle-start.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';
import { isRunning, reportEntry, startReportRender } from '../../report-render.ts';
import { recordedSetState } from './set-state.ts';
import { createReportStore } from '../../../reports/store.ts';
import {
  countersignEvaluation,
  dualCommitmentWorkflowId,
  fileItemStatus,
  reviewCommitmentSet,
  scoreCommitments,
  signOffEvaluation,
  submitCommitmentSet,
  submitSelfEvaluation,
  writeFactualEvaluation,
  PUBLIC_COMMITMENTS,
  STAFF_SURVEY,
  type CommitmentReportType,
} from '../../../domain/dual-commitment/contracts.ts';
import { DAY_MS, endOfShanghaiDay, shanghaiDate } from '../../../domain/time.ts';

const tags = ['dual-commitments'];
const STAFF: Role[] = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'admin'];
const ANY_CYCLE_ROLE: Role[] = [...STAFF, 'enterprise_rep', 'enterprise_party_org'];
/** A set that stays this long in one gate with an action pending counts as stuck. */
const STUCK_AFTER_DAYS = 14;

const SetParams = Type.Object({ setId: Type.String({ format: 'uuid' }) });
const Draft = Type.Object({
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  side: Type.Union([Type.Literal('party'), Type.Literal('enterprise')]),
  catalogItemCode: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  title: Type.String({ maxLength: 200 }),
  content: Type.String({ maxLength: 2000 }),
  target: Type.String({ maxLength: 1000 }),
  indicator: Type.String({ maxLength: 500 }),
  deadline: Type.String({ maxLength: 10 }),
  responsiblePerson: Type.Object({ name: Type.String({ maxLength: 100 }), phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])) }),
});

async function loadSetFor(request: FastifyRequest, setId: string): Promise<{ set: CommitmentSet; actor: Actor; em: EntityManager }> {
  const em = emOf(request);
  const principal = principalOf(request);
  const set = await em.findOne(CommitmentSet, { id: setId }, { populate: ['organization', 'organization.unit', 'cycle'] });
  if (!set) throw notFound('commitment set');
  const roles = await rolesOver(em, principal, set.organization.getEntity());
  const admin = isAdmin(principal);
  if (roles.length === 0 && !admin) throw notFound('commitment set');
  return { set, em, actor: { accountId: principal.accountId, login: principal.login, roles } };
}

const auditActor = (actor: Actor): AuditActor => ({ accountId: actor.accountId, label: actor.login });

const GATE_NAMES: Record<string, string> = { set: '定诺 (set)', show: '亮诺 (show)', practice: '践诺 (practice)', evaluate: '评诺 (evaluate)', filed: '备案 (filed)' };

/**
 * Runs an update and turns the workflow's refusal into 403 (role) or 409 (state). A workflow
 * that is no longer running (filed, or ended by a failure) answers 409 naming where the set
 * stands, not 500: the caller asked for something the cycle can no longer take.
 */
function tellSetWorkflow<T>(bounds: WorkflowBounds, set: CommitmentSet, run: () => Promise<T>): Promise<T> {
  return tellWorkflow(run, async (error) => {
    const closed = await workflowClosedState(bounds, set, error);
    return closed ? new ApiError(409, 'cycle_closed', closed) : undefined;
  });
}

/** Why the set's workflow cannot take actions any more, or null when it still runs. */
async function workflowClosedState(bounds: WorkflowBounds, set: CommitmentSet, error: unknown): Promise<string | null> {
  const where = `the ${set.year} dual commitments of this organization are in gate ${GATE_NAMES[set.gate] ?? set.gate}`;
  let state: string;
  try {
    state = (await askWorkflow(bounds, () => bounds.temporal.workflow.getHandle(set.workflowId).describe())).status.name;
  } catch (describeError) {
    if (!(describeError instanceof WorkflowNotFoundError)) return null;
    return `${where}, but their workflow ${set.workflowId} does not exist (not started yet?); nothing can be filed now`;
  }
  if (state === 'COMPLETED') return `${where}: the cycle is closed (workflow completed) and takes no further actions`;
  if (state !== 'RUNNING') return `${where}: the cycle's workflow ${set.workflowId} ended (${state}) and takes no further actions; ask the organization department`;
  if (error instanceof WorkflowNotFoundError) return `${where}: the cycle's workflow ${set.workflowId} takes no further actions`;
  return null;
}

function catalogRefs(content: DualCommitmentCatalog): CatalogItemRef[] {
  const refs: CatalogItemRef[] = [];
  for (const [side, part] of [['party', content.partySide], ['enterprise', content.enterpriseSide]] as const) {
    for (const area of part.areas) for (const item of area.items) refs.push({ code: item.code, side, area: area.name });
  }
  return refs;
}

/** The catalog a set is drafted from: the version its cycle started with (四双 for resident units). */
async function catalogFor(em: EntityManager, set: CommitmentSet): Promise<DualCommitmentCatalog> {
  const catalogRow = set.cycle.getEntity().catalogVersion ? await em.findOne(CatalogVersion, { id: set.cycle.getEntity().catalogVersion!.id }) : null;
  if (catalogRow) return catalogRow.content as DualCommitmentCatalog;
  return variantForKind(set.organization.getEntity().kind) === 'resident_unit' ? defaultResidentUnitCatalog : defaultDualCommitmentCatalog;
}

const planOf = (set: CommitmentSet): GatePlan => {
  const cycle = set.cycle.getEntity();
  return gatePlan(cycle.year, resolveSettings(cycle.year, cycle.settings).settings);
};

/** The cycle's gate dates (Shanghai calendar days) as people read them. */
function gateDates(set: CommitmentSet) {
  const cycle = set.cycle.getEntity();
  const { settings } = resolveSettings(cycle.year, cycle.settings);
  return { submissionDeadline: settings.submissionDeadline, publicationDays: settings.publicationDays, practiceEnd: settings.practiceEnd, evaluationStart: settings.evaluationStart, evaluationEnd: settings.evaluationEnd, itemDeadlines: planOf(set).deadlineWindow };
}

/** The last day of the set's current gate (null once filed): what a to-do list sorts by. */
function gateDue(set: CommitmentSet): string | null {
  const dates = gateDates(set);
  if (set.gate === 'set') return dates.submissionDeadline;
  if (set.gate === 'show') return set.publishedTo ? shanghaiDate(new Date(set.publishedTo)) : null;
  if (set.gate === 'practice') return dates.practiceEnd;
  if (set.gate === 'evaluate') return dates.evaluationEnd;
  return null;
}

export const dualCommitmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  /** The set's workflow still runs, so a report it has not filed nor failed is still being made (the server answers, no worker needed). */
  const cycleStillRendering = (set: CommitmentSet) => () => askWorkflow(bounds, () => isRunning(temporal, set.workflowId));
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const dataDir = config.DATA_DIR;
  const reportStore = createReportStore({ dataDir });
  const starter = createCycleStarter({ orm: app.services.orm, temporal, taskQueue, log: app.log });
  app.addHook('onReady', async () => {
    void starter.resumePending().catch((error) => app.log.error({ err: error }, 'could not resume dual commitments cycle starts'));
  });
  app.addHook('onClose', () => starter.close());

  app.post('/dual-commitments/cycles', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Start a dual commitments cycle (双向承诺) over your jurisdiction or chosen organizations',
      description: 'One workflow per organization, ID dual-commitment/<orgId>/<year>; an organization already in a cycle of that year is refused (409). Starts in the background: poll GET /dual-commitments/cycles/:id.',
      body: Type.Object({
        year: Type.Integer({ minimum: 2000, maximum: 2100 }),
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        unitId: Type.Optional(Type.String({ format: 'uuid', description: 'jurisdiction: organizations under this unit (default: yours)' })),
        organizationIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100_000 })),
        kinds: Type.Optional(Type.Array(Type.Union(ORGANIZATION_KINDS.map((k) => Type.Literal(k))))),
        settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    },
  }, async (request, reply) => {
    const em = emOf(request);
    const principal = principalOf(request);
    const body = request.body;
    const { settings: resolved, problems } = resolveSettings(body.year, body.settings ?? {});
    if (problems.length) throw badRequest('the cycle settings are invalid', problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    // A cycle started after its deadlines would escalate on day one: new dates are required.
    const passed = passedGateDates(resolved, app.services.clock.now().getTime());
    if (passed.length) throw badRequest('some dates of the cycle have already passed', passed.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
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
    const orgIds = (await em.find(Organization, { $and: where } as never, { fields: ['id'] as never, orderBy: { id: 'asc' } })).map((o) => o.id);
    if (orgIds.length === 0) throw badRequest('no organization matches', [{ field: 'body', rule: 'selects no organization in your jurisdiction' }]);
    const taken = (await em.find(CommitmentSet, { year: body.year, organization: { $in: orgIds } }, { fields: ['organization'] as never })).map((s) => ({ organization_id: s.organization.id }));
    if (taken.length > 0) {
      throw conflict(`${taken.length} organizations already have a dual commitments cycle in ${body.year}`, taken.slice(0, 20).map((t) => ({ field: 'body.organizationIds', rule: `organization ${t.organization_id} is already in a ${body.year} cycle` })));
    }
    // One cycle, one catalog: resident units (四双) commit from their own catalog, so they are
    // started in a cycle of their own, which keeps the version it started with.
    const kinds = body.kinds as string[] | undefined;
    const residentUnits = kinds?.includes('resident_unit') ?? false;
    if (residentUnits && kinds!.some((kind) => kind !== 'resident_unit')) {
      throw badRequest('resident units (四双) use their own catalog', [{ field: 'body.kinds', rule: "start resident_unit in a cycle of its own, apart from enterprises and social organizations" }]);
    }
    // The cycle, its sets and the audit row commit together; the workflows start after commit,
    // in the background (GET /dual-commitments/cycles/:id shows the progress).
    const cycle = await em.transactional(async (tx) => {
      const catalog = await tx.findOne(CatalogVersion, { kind: residentUnits ? 'resident_unit_commitment' : 'dual_commitment' }, { orderBy: { version: 'desc' } });
      if (catalog) catalog.usedAt ??= app.services.clock.now();
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
      const now = app.services.clock.now();
      const rows = orgIds.map((orgId) => [randomUUID(), created.id, orgId, body.year, dualCommitmentWorkflowId(orgId, body.year), now, now, now]);
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        await tx.execute(
          `insert into commitment_set (id, cycle_id, organization_id, year, workflow_id, gate_entered_at, created_at, updated_at, self_evaluations, gate, status, latest_version) values ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, '{}', 'set', 'drafting', 0)").join(', ')}`,
          chunk.flat(),
        );
      }
      await recordAudit(tx, {
        actor: { accountId: principal.accountId, label: principal.login },
        action: 'dual_commitment.cycle_start',
        entityType: 'cycle',
        entityId: created.id,
        after: { year: body.year, name: created.name, unitId: body.unitId ?? null, kinds: body.kinds ?? null, organizations: orgIds.length, catalogVersion: catalog?.version ?? null, settings: body.settings ?? {} },
      });
      return created;
    }).catch((error: unknown) => {
      // Two starts racing for the same organizations: the second finds the first's rows.
      if (error instanceof UniqueConstraintViolationException) throw conflict(`some of these organizations already have a dual commitments cycle in ${body.year}`, [{ field: 'body.organizationIds', rule: `an organization is already in a ${body.year} cycle (started at the same time)` }]);
      throw error;
    });
    starter.startInBackground(cycle.id);
    reply.code(202);
    return { id: cycle.id, year: body.year, organizations: orgIds.length, progress: `/dual-commitments/cycles/${cycle.id}` };
  });

  app.get('/dual-commitments/cycle-defaults', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'The gate dates and settings a cycle of this year gets when its start leaves them out',
      querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
      response: {
        200: Type.Object({ submissionDeadline: Type.String(), publicationDays: Type.Integer(), practiceEnd: Type.String(), evaluationStart: Type.String(), evaluationEnd: Type.String() }, {
          examples: [{ submissionDeadline: '2026-03-31', publicationDays: 7, practiceEnd: '2026-11-30', evaluationStart: '2026-12-01', evaluationEnd: '2026-12-20' }],
        }),
      },
    },
  }, async (request) => {
    const { settings } = resolveSettings(request.query.year, {});
    return { submissionDeadline: settings.submissionDeadline, publicationDays: settings.publicationDays, practiceEnd: settings.practiceEnd, evaluationStart: settings.evaluationStart, evaluationEnd: settings.evaluationEnd };
  });

  app.get('/dual-commitments/cycles/:id', {
    config: { auth: { roles: STAFF } },
    schema: { tags, summary: 'Start progress and the cycle dashboard: counts per gate, overdue, stuck', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
  }, async (request) => {
    const em = emOf(request);
    const cycle = await em.findOne(Cycle, { id: request.params.id, type: 'dual_commitment' });
    if (!cycle) throw notFound('cycle');
    // Everyone sees the part of the cycle in their jurisdiction (or assigned to them): a street
    // its organizations, the department all of its own; a cycle with none of theirs is not found.
    const visible = organizationScopeSql(await readableOrganizationScope(em, principalOf(request), STAFF), 's.organization_id');
    const conn = em.getConnection();
    const { settings } = resolveSettings(cycle.year, cycle.settings);
    const deadline = new Date(endOfShanghaiDay(settings.submissionDeadline));
    // Overdue and stuck as of the cycle's time (the sandbox's simulated day), not the database's.
    const now = app.services.clock.now();
    const inCycle = `s.cycle_id = ? and ${visible.sql}`;
    const params = [cycle.id, ...visible.params];
    const [counts, startRow, startFailures, overdueSets, overdueItems, stuck] = await Promise.all([
      conn.execute<{ gate: string; status: string; n: string }[]>(`select gate, status, count(*) n from commitment_set s where ${inCycle} group by gate, status`, params),
      conn.execute<{ total: string; started: string; failed: string }[]>(
        `select count(*) total, count(started_at) started, count(*) filter (where started_at is null and start_error is not null) failed from commitment_set s where ${inCycle}`, params,
      ),
      conn.execute<{ id: string; organization_id: string; start_error: string }[]>(
        `select id, organization_id, start_error from commitment_set s where ${inCycle} and started_at is null and start_error is not null order by organization_id limit 200`, params,
      ),
      conn.execute<{ id: string; organization_id: string; status: string }[]>(
        `select id, organization_id, status from commitment_set s where ${inCycle} and gate = 'set' and ? < ? order by organization_id limit 200`, [...params, deadline, now],
      ),
      conn.execute<{ set_id: string; item_key: string; escalated_at: Date }[]>(
        `select p.set_id, p.item_key, p.escalated_at from commitment_item_progress p join commitment_set s on s.id = p.set_id where ${inCycle} and p.status is null and p.escalated_at is not null order by p.escalated_at limit 200`, params,
      ),
      conn.execute<{ id: string; organization_id: string; gate: string; status: string; since: Date }[]>(
        `select id, organization_id, gate, status, gate_entered_at since from commitment_set s where ${inCycle} and gate in ('set', 'evaluate') and gate_entered_at < ? order by gate_entered_at limit 200`, [...params, new Date(now.getTime() - STUCK_AFTER_DAYS * DAY_MS)],
      ),
    ]);
    const total = Number(startRow[0]!.total);
    if (total === 0) throw notFound('cycle');
    const started = Number(startRow[0]!.started);
    const failed = Number(startRow[0]!.failed);
    const perGate: Record<string, number> = { set: 0, show: 0, practice: 0, evaluate: 0, filed: 0 };
    const setStatuses: Record<string, number> = { drafting: 0, submitted: 0, returned: 0, approved: 0 };
    for (const row of counts) {
      perGate[row.gate] = (perGate[row.gate] ?? 0) + Number(row.n);
      if (row.gate === 'set') setStatuses[row.status] = (setStatuses[row.status] ?? 0) + Number(row.n);
    }
    return {
      id: cycle.id,
      year: cycle.year,
      start: {
        total,
        started,
        failed,
        pending: total - started - failed,
        done: started + failed === total,
        failures: startFailures.map((f) => ({ setId: f.id, organizationId: f.organization_id, reason: f.start_error })),
        retry: failed > 0 ? `POST /dual-commitments/cycles/${cycle.id}/start-retries` : null,
      },
      perGate,
      setStatuses,
      overdue: {
        submissions: overdueSets.map((s) => ({ setId: s.id, organizationId: s.organization_id, status: s.status })),
        items: overdueItems.map((i) => ({ setId: i.set_id, itemKey: i.item_key, escalatedAt: i.escalated_at })),
      },
      stuck: stuck.map((s) => ({ setId: s.id, organizationId: s.organization_id, gate: s.gate, status: s.status, since: s.since })),
    };
  });

  app.post('/dual-commitments/cycles/:id/start-retries', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Start again the workflows of a cycle that could not be started (the dashboard lists them with the reason)',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
    },
  }, async (request, reply) => {
    const em = emOf(request);
    const principal = principalOf(request);
    const cycle = await em.findOne(Cycle, { id: request.params.id, type: 'dual_commitment' });
    if (!cycle) throw notFound('cycle');
    const visible = organizationScopeSql(await readableOrganizationScope(em, principal, ['org_department']), 's.organization_id');
    // As the dashboard: a cycle with none of the caller's organizations is not found.
    const mine = await em.getConnection().execute<unknown[]>(`select 1 from commitment_set s where s.cycle_id = ? and ${visible.sql} limit 1`, [cycle.id, ...visible.params]);
    if (mine.length === 0) throw notFound('cycle');
    const retried = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update commitment_set s set start_error = null where s.cycle_id = ? and ${visible.sql} and s.started_at is null and s.start_error is not null returning s.id`,
        [cycle.id, ...visible.params],
      );
      if (rows.length > 0) {
        await recordAudit(tx, { actor: { accountId: principal.accountId, label: principal.login }, action: 'dual_commitment.start_retry', entityType: 'cycle', entityId: cycle.id, after: { sets: rows.length } });
      }
      return rows.length;
    });
    if (retried > 0) starter.startInBackground(cycle.id);
    reply.code(202);
    return { id: cycle.id, retried, progress: `/dual-commitments/cycles/${cycle.id}` };
  });

  app.get('/dual-commitments/sets', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: {
      tags,
      summary: 'The commitment sets you may see (your organization, or those in your jurisdiction / assigned to you)',
      querystring: Type.Object({
        year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
        cycleId: Type.Optional(Type.String({ format: 'uuid' })),
        gate: Type.Optional(Type.Union(['set', 'show', 'practice', 'evaluate', 'filed'].map((g) => Type.Literal(g)))),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
      }),
    },
  }, async (request) => {
    const em = emOf(request);
    const principal = principalOf(request);
    const { year, cycleId, gate, limit, offset } = request.query;
    const admin = isAdmin(principal);
    const within: Record<string, unknown>[] = [];
    if (!admin) {
      const orgIds = principal.grants.filter((g) => g.organizationId).map((g) => g.organizationId!);
      const paths = principal.grants.filter((g) => g.unitPath).map((g) => g.unitPath!);
      const assigned = (await em.getConnection().execute<{ subject_id: string }[]>(
        "select subject_id from evaluator_assignment where account_id = ? and subject_type = 'organization'", [principal.accountId],
      )).map((r) => r.subject_id);
      within.push(
        { organization: { $in: [...orgIds, ...assigned] } },
        ...paths.map((p) => ({ organization: { unit: { path: { $like: `${escapeLike(p)}%` } } } })),
      );
    }
    const where: Record<string, unknown> = {
      ...(year ? { year } : {}),
      ...(cycleId ? { cycle: cycleId } : {}),
      ...(gate ? { gate } : {}),
      ...(admin ? {} : { $or: within }),
    };
    const [rows, total] = await em.findAndCount(CommitmentSet, where as never, { populate: ['organization', 'cycle'], orderBy: { year: 'desc', organization: { name: 'asc' } } as never, limit, offset });
    return {
      total,
      items: rows.map((s) => ({ id: s.id, year: s.year, cycleId: s.cycle.id, organizationId: s.organization.id, organizationName: s.organization.getEntity().name, gate: s.gate, status: s.status, approvedVersion: s.approvedVersion, due: gateDue(s), href: `/dual-commitments/sets/${s.id}` })),
    };
  });

  app.get('/dual-commitments/sets/:setId', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: { tags, summary: 'One organization\'s commitments: versions, progress, workflow state and links', params: SetParams },
  }, async (request) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    const versions = await em.find(CommitmentSetVersion, { set: set.id }, { orderBy: { version: 'asc' } });
    const items = await em.find(CommitmentItemProgress, { set: set.id }, { orderBy: { itemKey: 'asc' } });
    // Everything shown comes from the records the workflow's activities and the API keep: no
    // query, so the view answers the same whether or not a worker is up.
    const state = await recordedSetState(em, set, { versions, progress: items });
    const publicToken = set.publishedFrom ? await derivedLinkToken(em, PUBLIC_COMMITMENTS, set.id) : null;
    // 四双: resident units are evaluated by the street or community (写实评价), not by a staff survey.
    const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
    const surveyToken = !residentUnit && (set.gate === 'evaluate' || set.gate === 'filed') ? await derivedLinkToken(em, STAFF_SURVEY, set.id) : null;
    // The set's reports that are due: filed (download), or failed / not made with the reason and
    // the re-render link (the department's).
    const reportTypes: CommitmentReportType[] = ['commitment-notice', residentUnit ? 'factual-evaluation' : 'evaluation-record'];
    const reports = [];
    for (const type of reportTypes.filter((t) => commitmentReportDue(set, t) === null)) {
      const path = `/dual-commitments/sets/${set.id}/reports/${type}`;
      reports.push(await reportEntry(em, temporal, { subjectType: 'commitment_set', subjectId: set.id, type }, { download: () => path, render: `${path}/render` }, state.reports[type]?.status === 'rendering' ? cycleStillRendering(set) : false));
    }
    return {
      id: set.id,
      organizationId: set.organization.id,
      organizationName: set.organization.getEntity().name,
      year: set.year,
      workflowId: set.workflowId,
      gate: set.gate,
      status: set.status,
      yourRoles: actor.roles,
      approvedVersion: set.approvedVersion,
      versions: versions.map((v) => ({ version: v.version, status: v.status, isChange: v.isChange, items: v.items, submittedAt: v.submittedAt, reviewedAt: v.reviewedAt, reviewComments: v.reviewComments })),
      progress: items.map((i) => ({ id: i.id, itemKey: i.itemKey, status: i.status, description: i.description, reason: i.reason, evidenceFileId: i.evidenceFileId, filedAt: i.filedAt, escalatedAt: i.escalatedAt, score: i.score })),
      publication: set.publishedFrom ? { from: set.publishedFrom, to: set.publishedTo, closedAt: set.publicationClosedAt, noticeSha256: set.noticeSha256, publicPath: `/public/commitments/${publicToken}` } : null,
      surveyPath: surveyToken ? `/public/commitment-surveys/${surveyToken}` : null,
      result: set.filedAt ? { totalScore: set.totalScore, grade: set.grade, evaluation: set.evaluation, recordSha256: set.recordSha256, filedAt: set.filedAt } : null,
      reports,
      due: gateDue(set),
      gateDates: gateDates(set),
      /** Where the cycle stands, as its activities recorded it (the shape of the workflow's status). */
      workflow: state,
    };
  });

  app.put('/dual-commitments/sets/:setId/draft', {
    config: { auth: { roles: ['enterprise_rep', 'enterprise_party_org'] } },
    schema: { tags, summary: '定诺: save the draft set (both sides), every save of a submitted set starts a new version', params: SetParams, body: Type.Object({ commitments: Type.Array(Draft, { maxItems: 200 }) }) },
  }, async (request) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    if (!actor.roles.some((r) => r === 'enterprise_rep' || r === 'enterprise_party_org')) throw forbidden('only the enterprise or its Party organization drafts commitments');
    if (!['set', 'show', 'practice'].includes(set.gate)) throw new ApiError(409, 'wrong_gate', `commitments cannot change in gate ${set.gate}`);
    const items: CommitmentDraft[] = request.body.commitments.map((c) => ({ ...c, key: c.key ?? randomUUID(), catalogItemCode: c.catalogItemCode ?? null, responsiblePerson: { name: c.responsiblePerson.name, phone: c.responsiblePerson.phone ?? null } }));
    const latest = set.latestVersion ? await em.findOne(CommitmentSetVersion, { set: set.id, version: set.latestVersion }) : null;
    const appends = !latest || latest.status !== 'draft';
    await changeWithAudit(em, auditActor(actor), { action: 'commitment_set.draft_save', entityType: 'commitment_set', entityId: set.id, before: latest?.status === 'draft' ? { version: latest.version, items: latest.items.length } : null, after: { version: appends ? set.latestVersion + 1 : set.latestVersion, items: items.length } }, (tx) => {
      if (!appends) {
        latest!.items = items;
      } else {
        set.latestVersion += 1;
        tx.create(CommitmentSetVersion, { set: set.id, version: set.latestVersion, items, status: 'draft', isChange: set.approvedVersion !== null && set.approvedVersion !== undefined, savedBy: actor.accountId } as never);
      }
    });
    const plan = planOf(set);
    const problems = validateCommitmentSet(items, plan.deadlineWindow, catalogRefs(await catalogFor(em, set)));
    return { version: set.latestVersion, problems: problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })) };
  });

  app.post('/dual-commitments/sets/:setId/submit', {
    config: { auth: { roles: ['enterprise_rep', 'enterprise_party_org'] } },
    schema: { tags, summary: '定诺: submit the latest draft for review (also a change during practice, which needs re-approval)', params: SetParams },
  }, async (request) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    const draft = set.latestVersion ? await em.findOne(CommitmentSetVersion, { set: set.id, version: set.latestVersion }) : null;
    if (!draft || draft.status !== 'draft') throw new ApiError(409, 'wrong_state', 'there is no unsubmitted draft; save one with PUT .../draft');
    const plan = planOf(set);
    const problems = validateCommitmentSet(draft.items, plan.deadlineWindow, catalogRefs(await catalogFor(em, set)));
    if (problems.length) throw badRequest('the commitments are incomplete', problems.map((p) => ({ field: `draft.${p.field}`, rule: p.rule })));
    const items = draft.items.map((i) => ({ key: i.key, side: i.side, dueAt: new Date(endOfShanghaiDay(i.deadline)).toISOString() }));
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), submitCommitmentSet, [{ actor, version: draft.version, items }]));
    return { version: draft.version, gate: status.gate, setStatus: status.setStatus };
  });

  app.post('/dual-commitments/sets/:setId/review', {
    config: { auth: { roles: ['community_committee', 'street_committee', 'evaluator', 'org_department'] } },
    schema: {
      tags,
      summary: '定诺: approve or return the submitted version (returns need comments)',
      params: SetParams,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }), decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]), comments: Type.Optional(Type.String({ maxLength: 2000 })) }),
    },
  }, async (request) => {
    const { set, actor } = await loadSetFor(request, request.params.setId);
    const { version, decision, comments } = request.body;
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), reviewCommitmentSet, [{ actor, version, decision, comments: comments ?? '' }]));
    return { gate: status.gate, setStatus: status.setStatus, approvedVersion: status.approvedVersion };
  });

  app.post('/dual-commitments/sets/:setId/items/:itemKey/status', {
    config: { auth: { roles: ['enterprise_rep', 'enterprise_party_org', 'community_committee', 'street_committee'] } },
    schema: {
      tags,
      summary: '践诺: file the status of one commitment, with evidence uploaded through POST /evidence',
      description: 'Upload the evidence first (multipart, content-addressed, versioned): POST /evidence?title=…&organizationId=<org>&subjectType=commitment_item&subjectId=<progress id>&effectiveFrom=YYYY-MM-DD, then pass its id here. A later upload to POST /evidence/:id/versions adds a version to the same evidence.',
      params: Type.Object({ setId: Type.String({ format: 'uuid' }), itemKey: Type.String({ minLength: 1, maxLength: 100 }) }),
      body: Type.Object({
        status: Type.Union([Type.Literal('fulfilled'), Type.Literal('partly'), Type.Literal('not_fulfilled')]),
        description: Type.String({ minLength: 1, maxLength: 2000 }),
        reason: Type.Optional(Type.String({ maxLength: 2000 })),
        evidenceFileId: Type.Optional(Type.String({ format: 'uuid', description: 'evidence of this organization from POST /evidence' })),
      }),
    },
  }, async (request) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    const body = request.body;
    if (body.status !== 'fulfilled' && !body.reason?.trim()) throw badRequest('a reason is required unless fulfilled', [{ field: 'body.reason', rule: 'is required when the status is partly or not_fulfilled' }]);
    const progress = await em.findOne(CommitmentItemProgress, { set: set.id, itemKey: request.params.itemKey });
    if (!progress) throw notFound('commitment item');
    if (body.evidenceFileId) {
      const file = await em.findOne(EvidenceFile, { id: body.evidenceFileId });
      if (!file || file.organization?.id !== set.organization.id) throw badRequest('unknown evidence', [{ field: 'body.evidenceFileId', rule: 'must be evidence uploaded for this organization (POST /evidence)' }]);
      if (file.subjectType && (file.subjectType !== 'commitment_item' || file.subjectId !== progress.id)) {
        throw badRequest('evidence of another record', [{ field: 'body.evidenceFileId', rule: `supports ${file.subjectType} ${file.subjectId}, not this commitment item (${progress.id})` }]);
      }
    }
    // The workflow records the filing if it takes it: a refused filing (wrong side, wrong gate) writes nothing.
    const filing = { actor, itemKey: progress.itemKey, status: body.status, description: body.description, reason: body.reason ?? null, evidenceFileId: body.evidenceFileId ?? null };
    await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), fileItemStatus, [filing]));
    return { itemKey: progress.itemKey, status: body.status, evidenceFileId: body.evidenceFileId ?? progress.evidenceFileId ?? null };
  });

  app.post('/dual-commitments/sets/:setId/self-evaluation', {
    config: { auth: { roles: ['enterprise_rep', 'enterprise_party_org', 'community_committee', 'street_committee'] } },
    schema: { tags, summary: '评诺: a side\'s self-evaluation', params: SetParams, body: Type.Object({ side: Type.Union([Type.Literal('party'), Type.Literal('enterprise')]), score: Type.Number({ minimum: 0, maximum: 100 }), summary: Type.String({ minLength: 1, maxLength: 2000 }) }) },
  }, async (request) => {
    const { set, actor } = await loadSetFor(request, request.params.setId);
    const { side, score, summary } = request.body;
    await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), submitSelfEvaluation, [{ actor, side, score, summary }]));
    return { side, score };
  });

  app.post('/dual-commitments/sets/:setId/scores', {
    config: { auth: { roles: ['evaluator'] } },
    schema: { tags, summary: '评诺: the evaluator scores every approved item (0-100)', params: SetParams, body: Type.Object({ scores: Type.Array(Type.Object({ itemKey: Type.String({ minLength: 1 }), score: Type.Number({ minimum: 0, maximum: 100 }), remark: Type.Optional(Type.String({ maxLength: 500 })) }), { minItems: 1 }) }) },
  }, async (request) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    const rows = await em.find(CommitmentItemProgress, { set: set.id });
    const given = new Map(request.body.scores.map((s) => [s.itemKey, s]));
    const missing = rows.filter((r) => !given.has(r.itemKey));
    const unknown = request.body.scores.filter((s) => !rows.some((r) => r.itemKey === s.itemKey));
    if (missing.length || unknown.length) {
      throw badRequest('score every approved commitment, and only those', [
        ...missing.map((r) => ({ field: 'body.scores', rule: `misses item ${r.itemKey}` })),
        ...unknown.map((s) => ({ field: 'body.scores', rule: `item ${s.itemKey} is not an approved commitment` })),
      ]);
    }
    const scores = rows.map((row) => ({ itemKey: row.itemKey, score: given.get(row.itemKey)!.score, remark: given.get(row.itemKey)!.remark ?? null }));
    await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), scoreCommitments, [{ actor, scores }]));
    return { scored: rows.length };
  });

  app.post('/dual-commitments/sets/:setId/sign-off', {
    config: { auth: { roles: ['evaluator'] } },
    schema: { tags, summary: '评诺: the evaluator signs off (once)', params: SetParams },
  }, async (request) => {
    const { set, actor } = await loadSetFor(request, request.params.setId);
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), signOffEvaluation, [{ actor }]));
    return { gate: status.gate, evaluatorSignedBy: status.evaluatorSignedBy };
  });

  app.post('/dual-commitments/sets/:setId/factual-evaluation', {
    config: { auth: { roles: ['community_committee', 'street_committee'] } },
    schema: {
      tags,
      summary: '评诺 (四双, resident units): the street or community writes the factual evaluation (写实评价), once',
      description: 'Only in the 四双 cycle of a resident unit. The text describes the unit\'s participation and fulfilment; itemStatuses record the evaluator\'s view of each approved item; superiorOrganization is where the department sends it after countersigning (default: the unit\'s responsible person with role 上级党组织).',
      params: SetParams,
      body: Type.Object({
        text: Type.String({ minLength: 1, maxLength: 5000 }),
        itemStatuses: Type.Optional(Type.Array(Type.Object({ itemKey: Type.String({ minLength: 1, maxLength: 100 }), status: Type.Union([Type.Literal('fulfilled'), Type.Literal('partly'), Type.Literal('not_fulfilled')]) }), { maxItems: 200 })),
        superiorOrganization: Type.Optional(Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), contact: Type.Optional(Type.String({ maxLength: 100 })) })),
      }),
    },
  }, async (request) => {
    const { set, actor } = await loadSetFor(request, request.params.setId);
    const { text, itemStatuses, superiorOrganization } = request.body;
    const superior = superiorOrganization ? { name: superiorOrganization.name, contact: superiorOrganization.contact ?? null } : null;
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), writeFactualEvaluation, [{ actor, text, itemStatuses: itemStatuses ?? [], superior }]));
    return { gate: status.gate, factualEvaluatedBy: status.factualEvaluatedBy };
  });

  app.post('/dual-commitments/sets/:setId/countersign', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: '评诺: the organization department countersigns for filing (备案); the record PDF follows', params: SetParams },
  }, async (request) => {
    const { set, actor } = await loadSetFor(request, request.params.setId);
    const status = await tellSetWorkflow(bounds, set, () => takeUpdate(bounds, temporal.workflow.getHandle(set.workflowId), countersignEvaluation, [{ actor }]));
    return { gate: status.gate, countersignedBy: status.countersignedBy };
  });

  app.get('/dual-commitments/sets/:setId/reports/:kind', {
    config: { auth: { roles: ANY_CYCLE_ROLE } },
    schema: { tags, summary: 'The notice (承诺公示), the filed record (评诺备案表) or, for a resident unit, the factual evaluation (写实评价) as PDF', params: Type.Object({ setId: Type.String({ format: 'uuid' }), kind: Type.Union([Type.Literal('commitment-notice'), Type.Literal('evaluation-record'), Type.Literal('factual-evaluation')]) }) },
  }, async (request, reply) => {
    const { set } = await loadSetFor(request, request.params.setId);
    const residentUnit = variantForKind(set.organization.getEntity().kind) === 'resident_unit';
    const sha = request.params.kind === 'commitment-notice' ? set.noticeSha256 : (request.params.kind === 'factual-evaluation') === residentUnit ? set.recordSha256 : null;
    if (!sha) throw notFound('report');
    reply.header('content-type', 'application/pdf').header('x-sha256', sha);
    return reportStore.read(sha);
  });

  app.post('/dual-commitments/sets/:setId/reports/:kind/render', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Render a failed or missing report of the set again (承诺公示, 评诺备案表, 写实评价)',
      description: 'For the organization department over the organization. Starts renderReportWorkflow (ID report-render/commitment_set/<setId>/<kind>/<attempt>) and answers 202; GET /dual-commitments/sets/:setId shows the report under `reports` (filed, failed with the reason, or rendering). The PDF is filed as a new version and its SHA-256 written to the audit log; a filed report is never replaced. 409 not_ready before the cycle has reached the report (published, countersigned and filed), already_filed, rendering (the cycle is still making it) or already_rendering (a second request while one runs).',
      params: Type.Object({ setId: Type.String({ format: 'uuid' }), kind: Type.Union([Type.Literal('commitment-notice'), Type.Literal('evaluation-record'), Type.Literal('factual-evaluation')]) }),
    },
  }, async (request, reply) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    const admin = isAdmin(principalOf(request));
    if (!admin && !actor.roles.includes('org_department')) throw forbidden('reports are rendered again by the organization department over this organization');
    const kind = request.params.kind;
    const due = commitmentReportDue(set, kind);
    if (due?.code === 'not_applicable') throw new ApiError(404, 'not_found', due.message);
    if (due) throw new ApiError(409, 'not_ready', `${due.message} (the set is in gate ${GATE_NAMES[set.gate] ?? set.gate})`);
    const path = `/dual-commitments/sets/${set.id}/reports/${kind}`;
    const started = await startReportRender(em, temporal, taskQueue, {
      subject: { subjectType: 'commitment_set', subjectId: set.id, type: kind },
      requestedBy: { accountId: actor.accountId, label: actor.login },
      cycleRendering: cycleStillRendering(set),
      download: path,
      statusPath: `/dual-commitments/sets/${set.id}`,
    });
    reply.code(202);
    return started;
  });

  // Anonymous pages: the public commitments (亮诺) and the staff survey (评诺), by unguessable link.
  const clientHash = (request: FastifyRequest) => hashSecret(`client:${request.ip}`);

  app.get('/public/commitments/:token', {
    config: { auth: { public: true } },
    schema: { tags, summary: '亮诺: the published commitments (public link); a browser asking for text/html gets the mobile page, programs the JSON', params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }) },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    const em = emOf(request);
    const check = await verifyAccessLink(em, request.params.token, PUBLIC_COMMITMENTS);
    if (!check.ok) throw notFound('page');
    const set = await em.findOneOrFail(CommitmentSet, { id: check.link.subjectId }, { populate: ['organization'] });
    const version = await em.findOneOrFail(CommitmentSetVersion, { set: set.id, version: set.approvedVersion! });
    const org = set.organization.getEntity();
    return {
      organization: org.name,
      partyOrganization: org.partyOrgName,
      year: set.year,
      publication: { from: set.publishedFrom, to: set.publishedTo, feedbackOpen: !set.publicationClosedAt },
      commitments: version.items.map((i) => ({ side: i.side, title: i.title, content: i.content, target: i.target, indicator: i.indicator, deadline: i.deadline, responsible: i.responsiblePerson.name })),
    };
  });

  app.post('/public/commitments/:token/feedback', {
    config: { auth: { public: true } },
    schema: { tags, summary: '亮诺: supervision feedback during the publication window (rate- and length-limited)', params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }), body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 5000 }) }) },
  }, async (request, reply) => {
    const em = emOf(request);
    const check = await verifyAccessLink(em, request.params.token, PUBLIC_COMMITMENTS);
    if (!check.ok) throw notFound('page');
    const set = await em.findOneOrFail(CommitmentSet, { id: check.link.subjectId }, { populate: ['cycle'] });
    if (set.publicationClosedAt) throw new ApiError(409, 'window_closed', 'the publication window has closed');
    const { settings } = resolveSettings(set.year, set.cycle.getEntity().settings);
    const text = request.body.body.trim();
    if (text.length > settings.feedback.maxLength) throw badRequest('feedback is too long', [{ field: 'body.body', rule: `must be at most ${settings.feedback.maxLength} characters` }]);
    const client = clientHash(request);
    const recent = await em.count(CommitmentFeedback, { set: set.id, kind: 'supervision', clientHash: client, createdAt: { $gt: new Date(app.services.clock.now().getTime() - 3_600_000) } });
    if (recent >= settings.feedback.perHourPerClient) throw new ApiError(429, 'rate_limited', `at most ${settings.feedback.perHourPerClient} messages an hour`);
    await changeWithAudit(em, PUBLIC_LINK_ACTOR, { action: 'commitment_set.feedback', entityType: 'commitment_set', entityId: set.id, after: { kind: 'supervision', length: text.length, client } }, (tx) => {
      tx.create(CommitmentFeedback, { set: set.id, kind: 'supervision', body: text, clientHash: client } as never);
    });
    reply.code(201);
    return { accepted: true };
  });

  app.get('/dual-commitments/sets/:setId/feedback', {
    config: { auth: { roles: ['enterprise_party_org', 'community_committee', 'street_committee', 'evaluator', 'org_department'] } },
    schema: { tags, summary: 'Supervision feedback, visible to the Party organization and the reviewers', params: SetParams },
  }, async (request) => {
    const { set, em, actor } = await loadSetFor(request, request.params.setId);
    if (actor.roles.length === 1 && actor.roles[0] === 'enterprise_rep') throw forbidden('feedback is visible to the Party organization and the reviewers');
    const rows = await em.find(CommitmentFeedback, { set: set.id, kind: 'supervision' }, { orderBy: { createdAt: 'asc' } });
    return { items: rows.map((r) => ({ body: r.body, at: r.createdAt })) };
  });

  app.get('/public/commitment-surveys/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '评诺: what the staff survey link is about and whether it still takes answers; a browser asking for text/html gets the survey page',
      params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }),
      response: { 200: Type.Object({ organization: Type.String(), year: Type.Integer(), open: Type.Boolean() }, { examples: [{ organization: '济宁鲁恒机械有限公司', year: 2026, open: true }] }) },
    },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    const em = emOf(request);
    const check = await verifyAccessLink(em, request.params.token, STAFF_SURVEY);
    if (!check.ok) throw notFound('survey');
    const set = await em.findOneOrFail(CommitmentSet, { id: check.link.subjectId }, { populate: ['organization'] });
    if (variantForKind(set.organization.getEntity().kind) === 'resident_unit') throw notFound('survey');
    return { organization: set.organization.getEntity().name, year: set.year, open: set.gate === 'evaluate' && !set.evaluatorSignedAt };
  });

  app.post('/public/commitment-surveys/:token', {
    config: { auth: { public: true } },
    schema: { tags, summary: '评诺: a staff satisfaction answer (1-5) through the survey link', params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }), body: Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 500 })) }) },
  }, async (request, reply) => {
    const em = emOf(request);
    const check = await verifyAccessLink(em, request.params.token, STAFF_SURVEY);
    if (!check.ok) throw notFound('survey');
    const set = await em.findOneOrFail(CommitmentSet, { id: check.link.subjectId }, { populate: ['cycle', 'organization'] });
    // 四双: a resident unit has no staff survey (a link made before this rule is not honoured).
    if (variantForKind(set.organization.getEntity().kind) === 'resident_unit') throw notFound('survey');
    if (set.gate !== 'evaluate' || set.evaluatorSignedAt) throw new ApiError(409, 'survey_closed', 'the survey is closed');
    const client = clientHash(request);
    const { settings } = resolveSettings(set.year, set.cycle.getEntity().settings);
    const recent = await em.count(CommitmentFeedback, { set: set.id, kind: 'satisfaction', clientHash: client, createdAt: { $gt: new Date(app.services.clock.now().getTime() - 3_600_000) } });
    if (recent >= settings.feedback.perHourPerClient) throw new ApiError(429, 'rate_limited', 'too many answers from this client');
    await changeWithAudit(em, PUBLIC_LINK_ACTOR, { action: 'commitment_set.survey_answer', entityType: 'commitment_set', entityId: set.id, after: { kind: 'satisfaction', rating: request.body.rating, client } }, (tx) => {
      tx.create(CommitmentFeedback, { set: set.id, kind: 'satisfaction', rating: request.body.rating, body: request.body.comment ?? null, clientHash: client } as never);
    });
    reply.code(201);
    return { accepted: true };
  });
};
