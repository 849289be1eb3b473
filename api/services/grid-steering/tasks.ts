// 月调度、季督导: the supervising unit sets tasks for its streets (or communities) and functional
// departments, each task's workflow (grid-steering/<id>) follows its months and findings; the
// owner reports a month's progress and the rectification of a finding, the supervisor records
// quarterly findings and closes the task. Every action is an update of the task's workflow whose
// validator refuses at once (a month not due or already reported, a finding already rectified)
// and whose activity writes the record and its audit row; reads come from PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { recordAudit } from '../../../domain/audit/record.ts';
import { DomainError, badRequest, forbidden, notFound } from '../../../domain/errors.ts';
import { findingErrors, reportMonths, requireValid, taskErrors } from '../../../domain/grid-steering/rules.ts';
import {
  addSteeringFinding, closeSteeringTask, fileSteeringReport, GRID_STEERING_WORKFLOW, gridSteeringWorkflowId, rectifySteeringFinding, type GridSteeringInput,
} from '../../../domain/grid-steering/contracts.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import type * as S from '../../schemas/grid-steering.ts';
import { takeUpdate, workflowUnavailable } from '../../workflow-refusals.ts';
import { tellMatter } from '../grid-matters/access.ts';
import { actorOf, loadTaskFor, supervisingUnit, visibleWhere, type Caller, type SteeringDeps, type Standing } from './access.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const TASK_SELECT = `select t.id, t.title, t.target, to_char(t.due_on, 'YYYY-MM-DD') due_on, t.year, t.status, t.progress, t.months, t.overdue_months,
  t.owner_unit_id, t.owner_organization_id, coalesce(ou.name, oo.name) owner_name, s.name supervisor_name, r.name region_name, t.created_at, t.closed_at,
  t.close_note,
  (select coalesce(json_agg(x.month order by x.month), '[]') from steering_report x where x.task_id = t.id) filed,
  (select coalesce(json_agg(x.month order by x.month), '[]') from steering_report x where x.task_id = t.id and x.late) late,
  (select count(*) from steering_finding f where f.task_id = t.id and f.rectified_at is null)::int open_findings,
  (select count(*) from steering_finding f where f.task_id = t.id and f.rectified_at is null and f.overdue_at is not null)::int overdue_findings`;
const TASK_FROM = `steering_task t join administrative_unit s on s.id = t.supervisor_unit_id join administrative_unit r on r.id = t.region_id
  left join administrative_unit ou on ou.id = t.owner_unit_id left join organization oo on oo.id = t.owner_organization_id`;
/** Tasks with a month overdue and still unfiled, or a finding past its deadline unrectified. */
const OVERDUE_SQL = `(exists (select 1 from jsonb_array_elements_text(t.overdue_months) m(month)
    where not exists (select 1 from steering_report x where x.task_id = t.id and x.month = m.month))
  or exists (select 1 from steering_finding f where f.task_id = t.id and f.rectified_at is null and f.overdue_at is not null))`;

interface TaskRow {
  id: string; title: string; target: string; due_on: string; year: number; status: 'active' | 'closed'; progress: number; months: string[];
  overdue_months: string[]; owner_unit_id: string | null; owner_organization_id: string | null; owner_name: string; supervisor_name: string;
  region_name: string; created_at: Date; closed_at: Date | null; close_note: string | null; filed: string[]; late: string[]; open_findings: number;
  overdue_findings: number;
}

export function createSteeringService(deps: SteeringDeps) {
  const { bounds, temporal } = deps;
  const today = () => shanghaiDate(deps.clock.now());

  function summaryOf(t: TaskRow): Static<typeof S.Task> {
    const month = today().slice(0, 7);
    const overdue = t.overdue_months.filter((m) => !t.filed.includes(m));
    return {
      id: t.id, title: t.title, target: t.target, dueOn: t.due_on, year: t.year, status: t.status, progress: t.progress,
      ownerKind: t.owner_unit_id ? 'unit' : 'organization', ownerUnitId: t.owner_unit_id, ownerOrganizationId: t.owner_organization_id,
      ownerName: t.owner_name, supervisorName: t.supervisor_name, regionName: t.region_name, createdAt: iso(t.created_at)!, closedAt: iso(t.closed_at),
      months: t.months, filedMonths: t.filed, lateMonths: t.late, overdueMonths: overdue,
      dueMonth: t.status === 'closed' ? null : (t.months.find((m) => m <= month && !t.filed.includes(m) && !overdue.includes(m)) ?? null),
      openFindings: t.open_findings, overdueFindings: t.overdue_findings, overdue: t.status === 'active' && (overdue.length > 0 || t.overdue_findings > 0),
    };
  }

  async function row(caller: Caller, id: string): Promise<TaskRow> {
    const [t] = await caller.em.execute<TaskRow[]>(`${TASK_SELECT} from ${TASK_FROM} where t.id = ?`, [id]);
    if (!t) throw notFound('steering task');
    return t;
  }

  /** Runs an update of the task's workflow; a refusal of a month is said at the month's field, so the form shows it there. */
  async function tell<T>(workflowId: string, field: string | null, run: () => Promise<T>): Promise<T> {
    try {
      return await tellMatter(bounds, workflowId, run);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'matter_closed') throw new DomainError('conflict', 'task_closed', '任务已办结，不再受理');
      if (error instanceof DomainError && field && error.details.length === 0 && ['not_due', 'already_reported'].includes(error.code)) {
        throw new DomainError(error.kind, error.code, error.message, [{ field, rule: error.message }]);
      }
      throw error;
    }
  }

  async function create(caller: Caller, body: Static<typeof S.TaskBody>) {
    const { em, principal } = caller;
    if ((body.ownerUnitId === undefined) === (body.ownerOrganizationId === undefined)) {
      throw badRequest('name one owner', [{ field: 'body.ownerUnitId', rule: '请选择责任街道（社区）或责任部门（二选一）' }]);
    }
    const [owner] = body.ownerUnitId
      ? await em.execute<{ region_id: string; path: string; level: string }[]>('select id region_id, path, level from administrative_unit where id = ?',
        [body.ownerUnitId])
      : await em.execute<{ region_id: string; path: string; level: string }[]>(
        'select u.id region_id, u.path, u.level from organization o join administrative_unit u on u.id = o.unit_id where o.id = ?', [body.ownerOrganizationId]);
    const supervisor = owner ? supervisingUnit(principal, { path: owner.path, isUnit: body.ownerUnitId !== undefined }) : null;
    if (!owner || !supervisor) throw notFound(body.ownerUnitId ? 'unit' : 'organization');
    const day = today();
    requireValid(taskErrors(body, day));
    const id = randomUUID();
    const workflowId = gridSteeringWorkflowId(id);
    const months = reportMonths(day, body.dueOn);
    const now = deps.clock.now();
    const actor = { accountId: principal.accountId, label: principal.login };
    await em.transactional(async (tx) => {
      await tx.execute(
        `insert into steering_task (id, workflow_id, supervisor_unit_id, region_id, owner_unit_id, owner_organization_id, year, title, target, due_on, months,
           created_at, created_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, workflowId, supervisor, owner.region_id, body.ownerUnitId ?? null, body.ownerOrganizationId ?? null, Number(day.slice(0, 4)), body.title.trim(),
          body.target.trim(), body.dueOn, JSON.stringify(months), now, principal.accountId, now]);
      await recordAudit(tx, { actor, action: 'steering_task.create', entityType: 'steering_task', entityId: id,
        after: { ...body, supervisorUnitId: supervisor, months } });
    });
    const input: GridSteeringInput = { taskId: id, months };
    try {
      await temporal.workflow.start(GRID_STEERING_WORKFLOW, { taskQueue: deps.taskQueue, workflowId, args: [input] });
    } catch (error) {
      // Nobody would remind or escalate a task without its workflow: take it back and say so.
      await em.transactional(async (tx) => {
        await tx.execute('delete from steering_task where id = ?', [id]);
        await recordAudit(tx, { actor, action: 'steering_task.withdrawn', entityType: 'steering_task', entityId: id,
          after: { reason: 'workflow_unavailable' } });
      });
      throw workflowUnavailable(`the task could not be started (${(error as Error).message}); nothing was saved, try again in a few seconds`);
    }
    return summaryOf(await row(caller, id));
  }

  async function list(caller: Caller, query: Static<typeof S.TaskQuery>) {
    const params: unknown[] = [];
    const where = [visibleWhere(caller.principal, params)];
    const eq = (sql: string, value: unknown) => {
      if (value === undefined) return;
      where.push(sql);
      params.push(value);
    };
    eq('t.year = ?', query.year);
    eq('t.status = ?', query.status);
    eq('(t.owner_unit_id = ? or oo.unit_id = ?)', query.unitId);
    if (query.unitId) params.push(query.unitId);
    eq('t.owner_organization_id = ?', query.organizationId);
    if (query.q) eq("t.title ilike ? escape '\\'", `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (query.overdue !== undefined) where.push(query.overdue ? `t.status = 'active' and ${OVERDUE_SQL}` : `not (t.status = 'active' and ${OVERDUE_SQL})`);
    const sql = where.join(' and ');
    const [rows, [count]] = await Promise.all([
      caller.em.execute<TaskRow[]>(`${TASK_SELECT} from ${TASK_FROM} where ${sql} order by t.status, t.due_on, t.created_at, t.id limit ? offset ?`,
        [...params, query.limit, query.offset]),
      caller.em.execute<{ n: string }[]>(`select count(*) n from ${TASK_FROM} where ${sql}`, params),
    ]);
    return { items: rows.map(summaryOf), total: Number(count!.n), limit: query.limit, offset: query.offset };
  }

  async function detail(caller: Caller, id: string, known?: Standing) {
    const standing = known ?? (await loadTaskFor(caller, id)).standing;
    const { em } = caller;
    const [t, reports, findings, timeline] = await Promise.all([
      row(caller, id),
      em.execute<{ id: string; month: string; progress: number; content: string; late: boolean; filed_at: Date }[]>(
        'select id, month, progress, content, late, filed_at from steering_report where task_id = ? order by month', [id]),
      em.execute<{ id: string; quarter: string; finding: string; rectify_by: string; reminded_at: Date | null; overdue_at: Date | null;
        rectified_at: Date | null; rectification: string | null; created_at: Date }[]>(
        `select id, quarter, finding, to_char(rectify_by, 'YYYY-MM-DD') rectify_by, reminded_at, overdue_at, rectified_at, rectification, created_at
           from steering_finding where task_id = ? order by created_at`, [id]),
      em.execute<{ at: Date; action: string; actor: string; after: Record<string, unknown> | null }[]>(
        "select at, action, actor, after from audit_entry where entity_type = 'steering_task' and entity_id = ? order by seq", [id]),
    ]);
    const task = summaryOf(t);
    const active = t.status === 'active';
    return {
      task, closeNote: t.close_note,
      reports: reports.map((r) => ({ id: r.id, month: r.month, progress: r.progress, content: r.content, late: r.late, filedAt: iso(r.filed_at)! })),
      findings: findings.map((f) => ({
        id: f.id, quarter: f.quarter.trim(), finding: f.finding, rectifyBy: f.rectify_by, remindedAt: iso(f.reminded_at), overdueAt: iso(f.overdue_at),
        rectifiedAt: iso(f.rectified_at), rectification: f.rectification, overdue: f.overdue_at !== null && f.rectified_at === null,
        createdAt: iso(f.created_at)!,
      })),
      timeline: timeline.map((e) => ({ at: iso(e.at)!, action: e.action.replace(/^steering_task\./, ''), actor: e.actor,
        month: typeof e.after?.month === 'string' ? e.after.month : null })),
      can: {
        report: active && standing.owner, rectify: active && standing.owner, supervise: active && standing.supervisor,
        close: active && standing.supervisor && task.progress === 100 && task.openFindings === 0,
      },
    };
  }

  /** Who may act is decided first (404 outside the jurisdiction, 403 for the wrong side), then the input's rules, then the workflow's. */
  async function act(caller: Caller, id: string, need: keyof Standing, run: (workflowId: string) => Promise<unknown>, validate = () => undefined as void) {
    const { task, standing } = await loadTaskFor(caller, id);
    if (!standing[need]) throw forbidden(need === 'owner' ? 'only the task\'s owner reports on it' : 'only the supervising unit does this', `not_${need}`);
    validate();
    await run(task.workflow_id);
    return detail(caller, id, standing);
  }

  const report = (caller: Caller, id: string, body: Static<typeof S.ReportBody>) => act(caller, id, 'owner', (wf) => tell(wf, 'body.month', () =>
    takeUpdate(bounds, temporal.workflow.getHandle(wf), fileSteeringReport,
      [{ actor: actorOf(caller.principal), month: body.month, progress: body.progress, content: body.content.trim() }])));

  const addFinding = (caller: Caller, id: string, body: Static<typeof S.FindingBody>) => act(caller, id, 'supervisor', (wf) => tell(wf, 'body.rectifyBy',
    () => takeUpdate(bounds, temporal.workflow.getHandle(wf), addSteeringFinding,
      [{ actor: actorOf(caller.principal), findingId: randomUUID(), finding: body.finding.trim(), rectifyBy: body.rectifyBy }])),
  () => requireValid(findingErrors(body, today())));

  async function rectify(caller: Caller, findingId: string, body: Static<typeof S.RectifyBody>) {
    const [f] = await caller.em.execute<{ task_id: string }[]>('select task_id from steering_finding where id = ?', [findingId]);
    if (!f) throw notFound('finding');
    // Outside the jurisdiction a finding answers as one that does not exist.
    await loadTaskFor(caller, f.task_id).catch(() => {
      throw notFound('finding');
    });
    return act(caller, f.task_id, 'owner', (wf) => tell(wf, null, () => takeUpdate(bounds, temporal.workflow.getHandle(wf), rectifySteeringFinding,
      [{ actor: actorOf(caller.principal), findingId, rectification: body.rectification.trim() }])), () => {
      if (body.rectification.trim().length < 2) throw badRequest('say what was done', [{ field: 'body.rectification', rule: '请填写整改情况（至少2个字）' }]);
    });
  }

  const close = (caller: Caller, id: string, body: Static<typeof S.CloseBody>) => act(caller, id, 'supervisor', (wf) => tell(wf, null, () =>
    takeUpdate(bounds, temporal.workflow.getHandle(wf), closeSteeringTask, [{ actor: actorOf(caller.principal), note: body.note.trim() }])));

  return { create, list, detail, report, addFinding, rectify, close };
}
