// Activities of the steering task workflow (月调度、季督导): they write what the workflow decided
// (the task's row from its state, the filed report, the finding and its rectification, the
// reminder and overdue marks), an audit entry per step, and the notices: reminders to the owner,
// overdue months and findings escalated to the supervising unit. Idempotent: a step is written only
// when its revision is newer than the row's, so a retried activity writes once.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../domain/audit/record.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { notify } from '../domain/notifications/notify.ts';
import { findingOverdueAt, reportDueOn } from '../domain/grid-steering/rules.ts';
import type { Actor, SteeringState } from '../domain/grid-steering/state.ts';
import { shanghaiDate } from '../domain/time.ts';

export type SteeringStep =
  | 'started' | 'reported' | 'finding_added' | 'rectified' | 'closed'
  | 'report_reminded' | 'report_overdue' | 'finding_reminded' | 'finding_overdue';

export interface SteeringStepInput {
  taskId: string;
  step: SteeringStep;
  actor: Actor | null;
  state: SteeringState;
  detail: Record<string, unknown>;
  /** Workflow time of the step. */
  at: number;
}

interface TaskRow {
  id: string; title: string; revision: number; supervisor_unit_id: string; owner_unit_id: string | null; owner_organization_id: string | null;
  owner_name: string;
}

/** Roles that answer for an owner unit (a street, or a community) and for a functional department. */
const OWNER_UNIT_ROLES = ['street_committee', 'community_committee'];
const OWNER_ORG_ROLES = ['dispatching_unit', 'enterprise_party_org', 'enterprise_rep'];
const SUPERVISOR_ROLES = ['org_department', 'street_committee'];

async function accountsOf(em: EntityManager, column: 'unit_id' | 'organization_id', id: string, roles: string[]): Promise<string[]> {
  const rows = await em.execute<{ account_id: string }[]>(
    `select distinct ra.account_id from role_assignment ra join account a on a.id = ra.account_id
      where ra.${column} = ? and ra.role in (${roles.map(() => '?').join(', ')}) and a.active`,
    [id, ...roles]);
  return rows.map((r) => r.account_id);
}

const TITLES: Record<SteeringStep, string> = {
  started: '新的调度任务', reported: '调度任务进度已报送', finding_added: '季度督导发现问题', rectified: '督导问题已整改', closed: '调度任务已办结',
  report_reminded: '调度任务月度进度即将到期', report_overdue: '调度任务月度进度逾期未报', finding_reminded: '督导问题整改即将到期',
  finding_overdue: '督导问题逾期未整改',
};

export function createGridSteeringActivities(deps: { orm: MikroORM; clock?: Clock }) {
  const clock = deps.clock ?? clockOf(deps.orm.em);

  return {
    async recordSteeringStep(input: SteeringStepInput): Promise<void> {
      const em = deps.orm.em.fork() as EntityManager;
      await em.transactional(async (tx) => {
        const [task] = await tx.execute<TaskRow[]>(
          `select t.id, t.title, t.revision, t.supervisor_unit_id, t.owner_unit_id, t.owner_organization_id, coalesce(ou.name, oo.name) owner_name
             from steering_task t left join administrative_unit ou on ou.id = t.owner_unit_id left join organization oo on oo.id = t.owner_organization_id
            where t.id = ? for update of t`, [input.taskId]);
        if (!task) throw new Error(`steering task ${input.taskId} does not exist`);
        if (task.revision >= input.state.revision) return;
        const s = input.state;
        const at = new Date(input.at);
        const d = input.detail;
        const by = input.actor?.accountId ?? null;
        await tx.execute(
          `update steering_task set status = ?, progress = ?, revision = ?, months = ?, overdue_months = ?, closed_at = ?,
             close_note = coalesce(?, close_note), updated_at = ? where id = ?`,
          [s.status, s.progress, s.revision, JSON.stringify(s.months), JSON.stringify(s.overdue), s.closedAt ? new Date(s.closedAt) : null,
            input.step === 'closed' ? String(d.note ?? '') : null, clock.now(), task.id]);
        if (input.step === 'reported') {
          await tx.execute(
            `insert into steering_report (id, task_id, month, progress, content, late, filed_at, filed_by) values (?, ?, ?, ?, ?, ?, ?, ?)
             on conflict (task_id, month) do nothing`,
            [randomUUID(), task.id, d.month, d.progress, d.content, s.filedLate.includes(String(d.month)), at, by]);
        } else if (input.step === 'finding_added') {
          const f = s.findings.find((x) => x.id === d.findingId)!;
          await tx.execute(
            `insert into steering_finding (id, task_id, quarter, finding, rectify_by, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?)
             on conflict do nothing`,
            [f.id, task.id, f.quarter, d.finding, f.rectifyBy, at, by]);
        } else if (input.step === 'rectified') {
          await tx.execute('update steering_finding set rectified_at = ?, rectification = ?, rectified_by = ? where id = ?',
            [at, d.rectification, by, d.findingId]);
        } else if (input.step === 'finding_reminded' || input.step === 'finding_overdue') {
          const column = input.step === 'finding_reminded' ? 'reminded_at' : 'overdue_at';
          await tx.execute(`update steering_finding set ${column} = ? where id = ?`, [at, d.findingId]);
        }
        await recordAudit(tx, {
          actor: input.actor ? { accountId: input.actor.accountId, label: input.actor.login } : SYSTEM_ACTOR,
          action: `steering_task.${input.step}`, entityType: 'steering_task', entityId: task.id,
          after: { ...d, status: s.status, progress: s.progress, overdueMonths: s.overdue },
        });

        const owners = () => (task.owner_unit_id
          ? accountsOf(tx, 'unit_id', task.owner_unit_id, OWNER_UNIT_ROLES)
          : accountsOf(tx, 'organization_id', task.owner_organization_id!, OWNER_ORG_ROLES));
        const supervisors = () => accountsOf(tx, 'unit_id', task.supervisor_unit_id, SUPERVISOR_ROLES);
        const finding = s.findings.find((x) => x.id === d.findingId);
        const what = `「${task.title}」（${task.owner_name}）`;
        let recipients: string[] = [];
        let body = '';
        switch (input.step) {
          case 'started':
            [recipients, body] = [await owners(), `${what}已下达，请每月月底前报送进度。`];
            break;
          case 'report_reminded':
            [recipients, body] = [await owners(), `${what}${d.month}的进度请于${reportDueOn(String(d.month))}前报送。`];
            break;
          case 'report_overdue':
            [recipients, body] = [[...new Set([...(await supervisors()), ...(await owners())])], `${what}${d.month}的进度逾期未报送，已提请督办。`];
            break;
          case 'finding_added':
            [recipients, body] = [await owners(), `${what}季度督导发现问题：${String(d.finding).slice(0, 100)}，请于${finding?.rectifyBy}前整改。`];
            break;
          case 'finding_reminded':
            [recipients, body] = [await owners(), `${what}的督导问题整改期限为${finding?.rectifyBy}，请按期整改并报送。`];
            break;
          case 'finding_overdue':
            [recipients, body] = [[...new Set([...(await supervisors()), ...(await owners())])],
              `${what}的督导问题已超过整改期限（${finding ? shanghaiDate(findingOverdueAt(finding.rectifyBy) - 1) : ''}）仍未整改，已提请督办。`];
            break;
          case 'reported':
            [recipients, body] = [await supervisors(), `${what}已报送${d.month}进度：${d.progress}%。`];
            break;
          case 'rectified':
            [recipients, body] = [await supervisors(), `${what}已报送督导问题整改情况。`];
            break;
          case 'closed':
            [recipients, body] = [await owners(), `${what}已办结。`];
            break;
        }
        for (const recipientAccountId of recipients) {
          notify(tx, { recipientAccountId, kind: `steering_${input.step}`, title: TITLES[input.step], body, link: `/grid-steering/${task.id}` });
        }
        await tx.flush();
      });
    },
  };
}

export type GridSteeringActivities = ReturnType<typeof createGridSteeringActivities>;
