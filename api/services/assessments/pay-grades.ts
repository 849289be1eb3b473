// 三岗十八级: who is on which pay grade now, and the history of moves with the round (scheme,
// period, band, 绩效奖金) that made each. Seen by the department and street staff over the
// person's or unit's unit (else not listed); the Excel export takes the same filters.
import type { EntityManager } from '@mikro-orm/postgresql';
import { named } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportSpec } from '../export/xlsx.ts';
import { scopePaths, type Caller } from './access.ts';

export interface PayGradeFilters { q?: string; limit?: number; offset?: number }

interface GradeRow { subject_key: string; grade: number; updated_at: Date; name: string; unit_name: string | null; path: string }
interface MoveRow { subject_key: string; round_id: string; scheme_name: string; period: string; band: string; band_name: string | null;
  grade_before: number; grade_after: number; bonus: number | null; moved_at: Date }

/** The rows' SQL: a person's unit is where it was last assessed, else where it holds a role. */
function gradesSql(c: Caller, f: PayGradeFilters) {
  const paths = scopePaths(c.principal, ['org_department', 'street_committee']);
  const where = [paths.length ? `(${paths.map(() => 'u.path like ?').join(' or ')})` : 'false'];
  const args: unknown[] = paths.map((p) => `${p}%`);
  if (f.q?.trim()) {
    where.push("coalesce(a.display_name, u0.name) ilike '%' || ? || '%'");
    args.push(f.q.trim());
  }
  const sql = `select g.subject_key, g.grade, g.updated_at, coalesce(a.display_name, u0.name) name, u.name unit_name, u.path
    from pay_grade g left join account a on a.id = g.subject_key left join administrative_unit u0 on u0.id = g.subject_key
    left join lateral (select s.unit_id from assessment_subject s join assessment_round r on r.id = s.round_id
                        where s.account_id = g.subject_key order by r.started_at desc limit 1) ls on true
    left join lateral (select ra.unit_id from role_assignment ra where ra.account_id = g.subject_key limit 1) lr on true
    join administrative_unit u on u.id = coalesce(u0.id, ls.unit_id, lr.unit_id)
    ${where.length ? `where ${where.join(' and ')}` : ''}`;
  return { sql, args };
}

async function movesOf(em: EntityManager, keys: string[]): Promise<Map<string, MoveRow[]>> {
  const out = new Map<string, MoveRow[]>();
  if (!keys.length) return out;
  const rows = await em.execute<MoveRow[]>(
    `select m.subject_key, m.round_id, v.definition->>'name' scheme_name, r.period, m.band,
            (select b->>'name' from jsonb_array_elements(v.definition->'bands') b where b->>'key' = m.band limit 1) band_name,
            m.grade_before, m.grade_after, m.bonus, m.moved_at
       from pay_grade_move m join assessment_round r on r.id = m.round_id
       join assessment_scheme_version v on v.scheme_id = r.scheme_id and v.version = r.version
      where m.subject_key = any(?::uuid[]) order by m.moved_at desc`, [`{${keys.join(',')}}`]);
  for (const r of rows) out.set(r.subject_key, [...(out.get(r.subject_key) ?? []), r]);
  return out;
}

const moveView = (m: MoveRow) => ({ roundId: m.round_id, schemeName: m.scheme_name, period: m.period, band: m.band_name ?? m.band,
  before: m.grade_before, after: m.grade_after, bonus: m.bonus, movedAt: new Date(m.moved_at).toISOString() });

export function createPayGradeService() {
  async function list(c: Caller, f: PayGradeFilters) {
    const { sql, args } = gradesSql(c, f);
    const [{ n }] = (await c.em.execute<{ n: string }[]>(`select count(*) n from (${sql}) x`, args)) as [{ n: string }];
    const rows = await c.em.execute<GradeRow[]>(`${sql} order by g.grade desc, name, g.subject_key limit ? offset ?`, [...args, f.limit ?? 20, f.offset ?? 0]);
    const moves = await movesOf(c.em, rows.map((r) => r.subject_key));
    return {
      total: Number(n),
      items: rows.map((r) => ({ subjectKey: r.subject_key, name: r.name, unitName: r.unit_name, grade: r.grade, updatedAt: new Date(r.updated_at).toISOString(),
        moves: (moves.get(r.subject_key) ?? []).map(moveView) })),
    };
  }

  const COLUMNS: ExportColumn<GradeRow & { last: MoveRow | undefined }>[] = [
    { header: '姓名／单位', value: (r) => r.name, width: 16 },
    { header: '所在单位', value: (r) => r.unit_name, width: 20 },
    { header: '现档次（级）', value: (r) => r.grade, format: 'integer' },
    { header: '最近调整考核', value: (r) => (r.last ? `${r.last.scheme_name}（${r.last.period}）` : ''), width: 32 },
    { header: '考核等次', value: (r) => r.last?.band_name ?? r.last?.band },
    { header: '调整前', value: (r) => r.last?.grade_before, format: 'integer' },
    { header: '调整后', value: (r) => r.last?.grade_after, format: 'integer' },
    { header: '绩效奖金（元）', value: (r) => r.last?.bonus, format: 'integer', width: 14 },
    { header: '更新时间', value: (r) => r.updated_at, format: 'datetime', width: 17 },
  ];

  async function exportOf(c: Caller, f: PayGradeFilters, now: Date): Promise<ExportSpec<GradeRow & { last: MoveRow | undefined }>> {
    const { sql, args } = gradesSql(c, f);
    return {
      fileName: '三岗十八级薪酬档次', title: '三岗十八级薪酬档次', filters: named([['姓名含', f.q]]), columns: COLUMNS, now,
      pages: pagesOf(async (limit, offset) => {
        const rows = await c.em.execute<GradeRow[]>(`${sql} order by g.grade desc, name, g.subject_key limit ? offset ?`, [...args, limit, offset]);
        const moves = await movesOf(c.em, rows.map((r) => r.subject_key));
        return rows.map((r) => ({ ...r, last: moves.get(r.subject_key)?.[0] }));
      }),
    };
  }

  return { list, exportOf };
}
