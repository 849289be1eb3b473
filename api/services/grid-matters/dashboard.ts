// The grid matters dashboard: matters by status, level, category and grid; overdue and climbing;
// median time to close per unit; satisfaction; a grid × category heat table. Aggregates in SQL
// over what the caller may see (optionally one unit's subtree); every number has its list.
import { escapeLike } from '../../../domain/auth/scope.ts';
import { notFound } from '../../../domain/errors.ts';
import { LEVEL_NAMES, LEVELS, satisfactionRate } from '../../../domain/grid-matter/rules.ts';
import { MATTER_FROM, visibleWhere } from './matters.ts';
import type { Caller, GridMatterDeps } from './access.ts';

const STATUS_NAMES: Record<string, string> = { open: '待受理', accepted: '办理中', answered: '待评价', closed: '已办结', merged: '已合并' };

export function createDashboardService(deps: GridMatterDeps) {
  async function dashboard(caller: Caller, unitId?: string) {
    const params: unknown[] = [];
    const where = [visibleWhere(caller, params)];
    if (unitId) {
      const [unit] = await caller.em.execute<{ path: string }[]>('select path from administrative_unit where id = ?', [unitId]);
      if (!unit) throw notFound('unit');
      where.push('g.path like ?');
      params.push(`${escapeLike(unit.path)}%`);
    }
    const w = where.join(' and ');
    const q = <T extends object>(sql: string, extra: unknown[] = []) => caller.em.execute<T[]>(sql, [...extra, ...params]);
    const now = deps.clock.now();
    const [byStatus, byLevel, byCategory, byGrid, flags, medians, heat] = await Promise.all([
      q<{ key: string; n: string }>(`select m.status key, count(*) n from ${MATTER_FROM} where ${w} group by 1`),
      q<{ key: number; n: string }>(`select m.level key, count(*) n from ${MATTER_FROM} where ${w} and m.status not in ('closed', 'merged') group by 1`),
      q<{ key: string; label: string; n: string }>(
        `select m.category key, min(m.category_name) label, count(*) n from ${MATTER_FROM}
         where ${w} group by 1 order by 3 desc`,
      ),
      q<{ key: string; label: string; n: string }>(
        `select m.grid_id key, min(g.name) label, count(*) n from ${MATTER_FROM}
         where ${w} group by 1 order by 3 desc limit 50`,
      ),
      q<{ overdue: string; climbing: string; total: string; satisfied: string; unsatisfied: string }>(
        `select count(*) filter (where m.status in ('open', 'accepted') and m.deadline_at < ?) overdue,
                count(*) filter (where m.climbs > 0 and m.status in ('open', 'accepted', 'answered')) climbing, count(*) total,
                count(*) filter (where m.rating = 'satisfied') satisfied, count(*) filter (where m.rating = 'unsatisfied') unsatisfied
           from ${MATTER_FROM} where ${w}`,
        [now],
      ),
      q<{ key: string; label: string; closed: string; median: number | null }>(
        `select m.assignee_unit_id key, min(a.name) label, count(*) closed,
                percentile_cont(0.5) within group (order by extract(epoch from (m.closed_at - m.created_at)) / 3600) median
           from ${MATTER_FROM} where ${w} and m.status = 'closed' group by 1 order by 2`,
      ),
      q<{ grid_id: string; grid: string; category: string; n: string }>(
        `select m.grid_id, min(g.name) grid, m.category, count(*) n from ${MATTER_FROM} where ${w} group by 1, 3`,
      ),
    ]);
    const f = flags[0]!;
    const categories = byCategory.map((c) => ({ code: c.key, name: c.label }));
    const grids = new Map<string, { gridId: string; grid: string; counts: number[]; total: number }>();
    for (const h of heat) {
      const row = grids.get(h.grid_id) ?? { gridId: h.grid_id, grid: h.grid, counts: categories.map(() => 0), total: 0 };
      row.counts[categories.findIndex((c) => c.code === h.category)] = Number(h.n);
      row.total += Number(h.n);
      grids.set(h.grid_id, row);
    }
    return {
      total: Number(f.total),
      byStatus: Object.keys(STATUS_NAMES).map((key) => ({ key, label: STATUS_NAMES[key]!, count: Number(byStatus.find((s) => s.key === key)?.n ?? 0) })),
      byLevel: LEVELS.map((key, i) => ({ key, label: LEVEL_NAMES[key], count: Number(byLevel.find((l) => Number(l.key) === i)?.n ?? 0) })),
      byCategory: byCategory.map((c) => ({ key: c.key, label: c.label, count: Number(c.n) })),
      byGrid: byGrid.map((g) => ({ key: g.key, label: g.label, count: Number(g.n) })),
      overdue: Number(f.overdue),
      climbing: Number(f.climbing),
      medianCloseHoursByUnit: medians.map((m) => ({ key: m.key, label: m.label, closed: Number(m.closed),
        medianHours: m.median === null ? null : Math.round(Number(m.median) * 10) / 10 })),
      satisfaction: { satisfied: Number(f.satisfied), unsatisfied: Number(f.unsatisfied), rate: satisfactionRate(Number(f.satisfied),
        Number(f.satisfied) + Number(f.unsatisfied)) },
      heat: { categories, rows: [...grids.values()].sort((a, b) => b.total - a.total).slice(0, 100) },
    };
  }
  return { dashboard };
}
