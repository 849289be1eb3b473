// Filing a matter (网格事项 采集建档 and 分流交办): checks the grid, category and building, numbers the
// matter, dispatches it by the department's rules (category → unit kind and starting level, the
// level's deadline by urgency), writes it with its audit entry and the reporter's follow link,
// then starts its workflow (ID = grid-matter/<number>). Used by grid workers, 书记直通车 and
// residents through the grid's QR code.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, type AuditActor } from '../../../domain/audit/record.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { badRequest, notFound } from '../../../domain/errors.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import {
  assigneeLevel, categoryRule, isMobile, LEVELS, matterNumber, matterPlan, unitAtLevel, type Source, type Urgency,
} from '../../../domain/grid-matter/rules.ts';
import { GRID_MATTER_WORKFLOW, gridMatterWorkflowId, MATTER_FOLLOW_LINK, type GridMatterInput } from '../../../domain/grid-matter/contracts.ts';
import { recordDispatch } from '../../../domain/grid-matter/dispatch.ts';
import { workflowUnavailable } from '../../workflow-refusals.ts';
import { settingsFor, type GridMatterDeps } from './access.ts';

export interface MatterReport {
  gridId: string;
  building?: string | null;
  category: string;
  urgency?: Urgency;
  description: string;
  photoIds?: string[];
  source: Source;
  reporterAccountId: string | null;
  reporterPhone?: string | null;
  /** A public report's client (hashed address), kept in the audit entry for the hourly limit. */
  client?: string;
}

/** How long a reporter's follow link works. */
const FOLLOW_LINK_DAYS = 400;

/** The grid a report names, as read from administrative_unit. */
export interface ReportedGrid { id: string; name: string; path: string; level: string }

/** Files a report; `known` is its grid when the caller has just read it (a grid's QR link names it). */
export async function fileMatter(deps: GridMatterDeps, em: EntityManager, actor: AuditActor, report: MatterReport, field = 'body', known?: ReportedGrid) {
  const [grid] = known && known.id === report.gridId ? [known] : await em.execute<ReportedGrid[]>(
    'select id, name, path, level from administrative_unit where id = ?', [report.gridId]);
  if (!grid || grid.level !== 'grid') throw notFound('grid');
  const { settings, unitId } = await settingsFor(em, grid.path);
  const rule = categoryRule(settings, report.category);
  const problems = [];
  if (!rule) problems.push({ field: `${field}.category`, rule: `must be one of ${settings.categories.map((c) => c.code).join(', ')}` });
  const buildings = await em.execute<{ name: string }[]>('select name from grid_building where grid_id = ?', [grid.id]);
  const building = report.building?.trim() || null;
  if (building && buildings.length > 0 && !buildings.some((b) => b.name === building)) {
    problems.push({ field: `${field}.building`, rule: `must be a building of this grid: ${buildings.map((b) => b.name).join(', ')}` });
  }
  const phone = report.reporterPhone?.trim() || null;
  if (phone && !isMobile(phone)) problems.push({ field: `${field}.${report.source === 'resident' ? 'phone' : 'reporterPhone'}`,
    rule: 'must be an 11-digit mobile number' });
  const photoIds = report.photoIds ?? [];
  if (photoIds.length) {
    const known = await em.execute<{ id: string }[]>('select id from evidence_file where id = any(?::uuid[])', [`{${photoIds.join(',')}}`]);
    if (known.length !== new Set(photoIds).size) problems.push({ field: `${field}.photoIds`, rule: 'must be evidence uploaded first (POST /evidence)' });
  }
  if (problems.length || !rule) throw badRequest('the matter cannot be filed as given', problems);
  const urgency = report.urgency ?? 'normal';
  const plan = matterPlan(settings, rule, urgency);
  const now = deps.clock.now();
  const [{ seq }] = (await em.execute<{ seq: string }[]>("select nextval('grid_matter_seq') seq")) as [{ seq: string }];
  const number = matterNumber(shanghaiDate(now), Number(seq));
  const workflowId = gridMatterWorkflowId(number);
  const assignee = unitAtLevel(grid.path, assigneeLevel(rule.responderKind, plan.startLevel));
  const deadlineAt = new Date(now.getTime() + plan.deadlinesMs[plan.startLevel]!);
  const rulesUnit = unitId ?? grid.path.split('/').filter(Boolean)[0]!;
  // The matter, its dispatch (notices and audit entries) and the reporter's follow link commit together (one transaction, one commit).
  const { id, followToken } = await em.transactional(async (tx) => {
    const [row] = await tx.execute<{ id: string }[]>(
      `insert into grid_matter (number, workflow_id, grid_id, building, category, category_name, urgency, description, source, reporter_account_id,
         reporter_phone, reporter_client, photo_ids, rules_unit_id, responder_kind, responder_id, level, assignee_unit_id, deadline_at, created_at, updated_at,
         revision)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) returning id`,
      [number, workflowId, grid.id, building, rule.code, rule.name, urgency, report.description.trim(), report.source, report.reporterAccountId,
        phone, report.client ?? null, JSON.stringify(photoIds), rulesUnit, rule.responderKind, rule.responderId, plan.startLevel, assignee, deadlineAt, now,
          now],
    );
    await recordAudit(tx as EntityManager, {
      actor,
      action: 'grid_matter.report',
      entityType: 'grid_matter',
      entityId: row!.id,
      after: { number, gridId: grid.id, building, category: rule.code, urgency, source: report.source, level: LEVELS[plan.startLevel],
        responderKind: rule.responderKind, identified: Boolean(phone || report.reporterAccountId) },
    });
    const members = rule.responderId
      ? ((await tx.execute<{ member_account_ids: string[] | null }[]>('select member_account_ids from grid_responder where id = ?', [rule.responderId]))[0]
        ?.member_account_ids ?? [])
      : [];
    await recordDispatch(tx as EntityManager, {
      id: row!.id, number, gridName: grid.name, categoryName: rule.name, assigneeUnitId: assignee, memberAccountIds: members, level: plan.startLevel,
      deadlineAt: deadlineAt.getTime(),
    });
    const token = await derivedLinkToken(tx as EntityManager, MATTER_FOLLOW_LINK, row!.id);
    await tx.execute(
      'insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?) '
        + 'on conflict (token_hash) do nothing',
      [hashSecret(token), MATTER_FOLLOW_LINK, 'grid_matter', row!.id, new Date(now.getTime() + FOLLOW_LINK_DAYS * 86_400_000), now],
    );
    return { id: row!.id, followToken: token };
  });
  const input: GridMatterInput = { matterId: id, number, plan, dispatchedAt: now.getTime() };
  try {
    await deps.temporal.workflow.start(GRID_MATTER_WORKFLOW, { taskQueue: deps.taskQueue, workflowId, args: [input] });
  } catch (error) {
    // Nothing handles a matter without its workflow: take it back and say so.
    await em.execute('delete from access_link where subject_type = ? and subject_id = ?', ['grid_matter', id]);
    await em.execute('delete from notification where link = ?', [`/grid-desk/${id}`]);
    await em.execute('delete from grid_matter where id = ?', [id]);
    throw workflowUnavailable(`the matter could not be dispatched (${(error as Error).message}); nothing was filed, try again in a few seconds`);
  }
  return { id, number, status: 'open' as const, level: LEVELS[plan.startLevel]!, deadlineAt: deadlineAt.toISOString(), followToken };
}
