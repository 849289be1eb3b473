// Matters as handlers and their supervisors see them: the list (an inbox of what is assigned to
// the caller's units, or everything under them with filters the dashboard links to), one matter
// with its timeline (its audit entries), and the refusable actions, each an update of the
// matter's workflow (accept, answer, merge a duplicate) whose activity records what it accepted.
import type { EntityManager } from '@mikro-orm/postgresql';
import { isAdmin } from '../../../domain/auth/scope.ts';
import { escapeLike } from '../../../domain/auth/scope.ts';
import { badRequest, conflictOf, notFound } from '../../../domain/errors.ts';
import { LEVELS, type Level, type MatterStatus } from '../../../domain/grid-matter/rules.ts';
import { absorbGridMatter, acceptGridMatter, answerGridMatter, mergeGridMatter } from '../../../domain/grid-matter/contracts.ts';
import type { GridMatterState } from '../../../domain/grid-matter/state.ts';
import { takeUpdate } from '../../workflow-refusals.ts';
import { actorOf, isoOf, msOf, loadMatterFor, requireActOn, staffPaths, tellMatter, type Caller, type GridMatterDeps } from './access.ts';

export interface MatterFilter {
  status?: MatterStatus;
  level?: Level;
  category?: string;
  gridId?: string;
  assigneeUnitId?: string;
  overdue?: boolean;
  climbed?: boolean;
  rating?: 'satisfied' | 'unsatisfied';
  inbox?: boolean;
  limit: number;
  offset: number;
}

export const MATTER_COLUMNS = `m.id, m.number, g.name grid, m.grid_id, m.building, m.category, m.category_name, m.urgency, m.source, m.status, m.level,
  a.name assignee, r.name responder, m.deadline_at, m.climbs, m.reopened, m.rating, m.description, m.created_at, m.closed_at`;
export const MATTER_FROM = `grid_matter m join administrative_unit g on g.id = m.grid_id join administrative_unit a on a.id = m.assignee_unit_id
  left join grid_responder r on r.id = m.responder_id`;

export interface MatterRow {
  id: string; number: string; grid: string; grid_id: string; building: string | null; category: string; category_name: string; urgency: 'normal' | 'urgent';
  source: 'grid_worker' | 'resident' | 'secretary_line'; status: MatterStatus; level: number; assignee: string; responder: string | null; deadline_at: Date;
  climbs: number; reopened: number; rating: 'satisfied' | 'unsatisfied' | null; description: string; created_at: Date; closed_at: Date | null;
}

export const summaryOf = (r: MatterRow, now: Date) => ({
  id: r.id, number: r.number, grid: r.grid, gridId: r.grid_id, building: r.building, category: r.category, categoryName: r.category_name,
  urgency: r.urgency, source: r.source, status: r.status, level: LEVELS[r.level]!, assignee: r.assignee, responder: r.responder,
  deadlineAt: isoOf(r.deadline_at)!, overdue: (r.status === 'open' || r.status === 'accepted') && msOf(r.deadline_at) < now.getTime(),
  climbs: r.climbs, reopened: r.reopened, rating: r.rating, description: r.description, createdAt: isoOf(r.created_at)!, closedAt: isoOf(r.closed_at),
});

/** The SQL condition of what the caller may see: matters in grids under its staff units, or dispatched to its registered units. */
export function visibleWhere(caller: Caller, params: unknown[]): string {
  if (isAdmin(caller.principal)) return 'true';
  const paths = staffPaths(caller.principal);
  params.push(...paths.map((p) => `${escapeLike(p)}%`), JSON.stringify([caller.principal.accountId]), caller.principal.accountId);
  return `(${[...paths.map(() => 'g.path like ?'), 'r.member_account_ids @> ?::jsonb', 'm.reporter_account_id = ?'].join(' or ')})`;
}

export function createMatterService(deps: GridMatterDeps) {
  const { bounds, temporal } = deps;

  async function list(caller: Caller, filter: MatterFilter) {
    const params: unknown[] = [];
    const where = [visibleWhere(caller, params)];
    if (filter.inbox) {
      // Assigned to one of the caller's own units (not merely under them), or to a registered unit it answers for.
      const units = caller.principal.grants.filter((g) => g.unitId).map((g) => g.unitId!);
      where.push(`(m.assignee_unit_id = any(?::uuid[]) or r.member_account_ids @> ?::jsonb)`);
      params.push(`{${units.join(',')}}`, JSON.stringify([caller.principal.accountId]));
      if (!filter.status) where.push("m.status in ('open', 'accepted')");
    }
    const eq = (column: string, value: unknown) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq('m.status', filter.status);
    eq('m.level', filter.level === undefined ? undefined : LEVELS.indexOf(filter.level));
    eq('m.category', filter.category);
    eq('m.grid_id', filter.gridId);
    eq('m.assignee_unit_id', filter.assigneeUnitId);
    eq('m.rating', filter.rating);
    if (filter.overdue) {
      where.push("m.status in ('open', 'accepted') and m.deadline_at < ?");
      params.push(deps.clock.now());
    }
    if (filter.climbed) where.push("m.climbs > 0 and m.status in ('open', 'accepted', 'answered')");
    const sqlWhere = where.join(' and ');
    const [{ n }] = (await caller.em.execute<{ n: string }[]>(`select count(*) n from ${MATTER_FROM} where ${sqlWhere}`, params)) as [{ n: string }];
    const rows = await caller.em.execute<MatterRow[]>(
      `select ${MATTER_COLUMNS} from ${MATTER_FROM} where ${sqlWhere} order by m.deadline_at asc, m.number limit ? offset ?`,
      [...params, filter.limit, filter.offset],
    );
    const now = deps.clock.now();
    return { items: rows.map((r) => summaryOf(r, now)), total: Number(n), limit: filter.limit, offset: filter.offset };
  }

  async function detail(caller: Caller, id: string) {
    const { canAct } = await loadMatterFor(caller, id);
    const [row] = await caller.em.execute<(MatterRow & {
      photo_ids: string[]; answer: string | null; answer_photo_ids: string[]; answered_at: Date | null; rating_comment: string | null;
      merged_into: string | null; duplicate_count: number; reporter_phone: string | null; points_credited_at: Date | null;
    })[]>(
      `select ${MATTER_COLUMNS}, m.photo_ids, m.answer, m.answer_photo_ids, m.answered_at, m.rating_comment, mi.number merged_into, m.duplicate_count,
              m.reporter_phone, m.points_credited_at
         from ${MATTER_FROM} left join grid_matter mi on mi.id = m.merged_into_id where m.id = ?`,
      [id],
    );
    const timeline = await caller.em.execute<{ at: Date; action: string; actor: string; after: unknown }[]>(
      "select at, action, actor, after from audit_entry where entity_type = 'grid_matter' and entity_id = ? order by seq",
      [id],
    );
    const r = row!;
    const phone = r.reporter_phone ? `${r.reporter_phone.slice(0, 3)}****${r.reporter_phone.slice(7)}` : null;
    return {
      ...summaryOf(r, deps.clock.now()),
      photoIds: r.photo_ids, answer: r.answer, answerPhotoIds: r.answer_photo_ids, answeredAt: isoOf(r.answered_at), ratingComment: r.rating_comment,
      mergedInto: r.merged_into, duplicates: r.duplicate_count, reporterPhone: phone, pointsCreditedAt: isoOf(r.points_credited_at), canAct,
      timeline: timeline.map((t) => ({ at: new Date(t.at).toISOString(), action: t.action.replace(/^grid_matter\./, ''), actor: t.actor,
        detail: t.after ?? null })),
    };
  }

  const stateOf = (m: { id: string; number: string }, s: GridMatterState) => ({
    id: m.id, number: m.number, status: s.status, level: LEVELS[s.level]!, deadlineAt: new Date(s.deadlineAt).toISOString(),
  });

  async function accept(caller: Caller, id: string) {
    const matter = await requireActOn(caller, id);
    const handle = temporal.workflow.getHandle(matter.workflow_id);
    const s = await tellMatter(bounds, matter.workflow_id, () => takeUpdate(bounds, handle, acceptGridMatter, [{ actor: actorOf(caller.principal) }]));
    return stateOf(matter, s);
  }

  async function answer(caller: Caller, id: string, body: { text: string; photoIds?: string[] }) {
    const matter = await requireActOn(caller, id);
    const photoIds = body.photoIds ?? [];
    if (photoIds.length) {
      const known = await caller.em.execute<{ id: string }[]>('select id from evidence_file where id = any(?::uuid[])', [`{${photoIds.join(',')}}`]);
      if (known.length !== new Set(photoIds).size) throw badRequest('unknown photos', [{ field: 'body.photoIds',
        rule: 'must be evidence uploaded first (POST /evidence)' }]);
    }
    const handle = temporal.workflow.getHandle(matter.workflow_id);
    const update = { actor: actorOf(caller.principal), text: body.text.trim(), photoIds };
    const s = await tellMatter(bounds, matter.workflow_id, () => takeUpdate(bounds, handle, answerGridMatter, [update]));
    return stateOf(matter, s);
  }

  /** Merges this matter (a duplicate) into the one numbered `into`, which the caller must see and which must still be open. */
  async function merge(caller: Caller, id: string, into: string) {
    const matter = await requireActOn(caller, id);
    const [target] = await caller.em.execute<{ id: string; number: string; status: string; workflow_id: string }[]>(
      'select id, number, status, workflow_id from grid_matter where number = ?',
      [into.trim()],
    );
    if (!target) throw badRequest('unknown matter', [{ field: 'body.into', rule: 'must be the number of a matter (GM-…)' }]);
    await loadMatterFor(caller, target.id).catch(() => {
      throw badRequest('unknown matter', [{ field: 'body.into', rule: 'must be the number of a matter you can see' }]);
    });
    if (target.status === 'closed' || target.status === 'merged') throw conflictOf('target_closed',
      `${target.number} is ${target.status}; merge into an open matter`);
    const handle = temporal.workflow.getHandle(matter.workflow_id);
    const update = { actor: actorOf(caller.principal), into: target.number, intoId: target.id };
    const s = await tellMatter(bounds, matter.workflow_id, () => takeUpdate(bounds, handle, mergeGridMatter, [update]));
    // The matter that stays counts its duplicates (and their reporters follow it through theirs).
    await tellMatter(bounds, target.workflow_id, () => takeUpdate(bounds, temporal.workflow.getHandle(target.workflow_id), absorbGridMatter,
      [{ duplicate: matter.number }]))
      .catch(() => undefined);
    return stateOf(matter, s);
  }

  return { list, detail, accept, answer, merge };
}

export async function requireGrid(em: EntityManager, caller: Caller, gridId: string) {
  const [grid] = await em.execute<{ id: string; path: string; level: string }[]>('select id, path, level from administrative_unit where id = ?', [gridId]);
  if (!grid || grid.level !== 'grid') throw notFound('grid');
  if (!isAdmin(caller.principal) && !staffPaths(caller.principal).some((p) => grid.path.startsWith(p))) throw notFound('grid');
  return grid;
}
