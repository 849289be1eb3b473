// 月调度、季督导 task lists as Excel (17.4's shared export): the rows of GET /grid-steering/tasks
// with the same filters and access rules (the list read itself, page after page): each task's
// owner, supervisor, deadline, progress, the months reported / late / overdue and the findings
// waiting for rectification, with Chinese headers and the filters named in words in row 2.
import type { Static } from 'typebox';
import { named, unitFilter } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportSpec } from '../export/xlsx.ts';
import type * as S from '../../schemas/grid-steering.ts';
import type { Caller } from './access.ts';

type Task = Static<typeof S.Task>;
type TaskQuery = Static<typeof S.TaskQuery>;
const STATUS_NAMES: Record<string, string> = { active: '推进中', closed: '已办结' };
const monthsText = (months: string[]) => (months.length ? months.map((m) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`).join('、') : null);

const COLUMNS: ExportColumn<Task>[] = [
  { header: '任务', value: (t) => t.title, width: 28 },
  { header: '目标', value: (t) => t.target, width: 36 },
  { header: '责任单位', value: (t) => t.ownerName, width: 18 },
  { header: '督导单位', value: (t) => t.supervisorName, width: 18 },
  { header: '完成期限', value: (t) => t.dueOn, format: 'date', width: 12 },
  { header: '进度', value: (t) => t.progress / 100, format: 'percent' },
  { header: '应报月数', value: (t) => t.months.length, format: 'integer' },
  { header: '已报月份', value: (t) => monthsText(t.filedMonths), width: 24 },
  { header: '迟报月份', value: (t) => monthsText(t.lateMonths), width: 16 },
  { header: '逾期未报', value: (t) => monthsText(t.overdueMonths), width: 16 },
  { header: '待整改问题', value: (t) => t.openFindings, format: 'integer' },
  { header: '逾期未整改', value: (t) => t.overdueFindings, format: 'integer' },
  { header: '逾期', value: (t) => t.overdue },
  { header: '状态', value: (t) => STATUS_NAMES[t.status] ?? t.status },
  { header: '下达时间', value: (t) => t.createdAt, format: 'datetime', width: 17 },
  { header: '办结时间', value: (t) => t.closedAt, format: 'datetime', width: 17 },
];

type ListFn = (caller: Caller, query: TaskQuery) => Promise<{ items: Task[] }>;

export async function steeringTaskExport(caller: Caller, list: ListFn, query: Omit<TaskQuery, 'limit' | 'offset'>, now: Date): Promise<ExportSpec<Task>> {
  const [organization] = query.organizationId
    ? await caller.em.execute<{ name: string }[]>('select name from organization where id = ?', [query.organizationId]) : [];
  return {
    fileName: '月调度季督导任务',
    title: '月调度季督导任务清单',
    filters: [
      ...named([['年度', query.year], ['状态', query.status, STATUS_NAMES], ['任务', query.q], ['仅逾期', query.overdue]]),
      ...(await unitFilter(caller.em, '责任街道（社区）', query.unitId)),
      ...(query.organizationId ? [{ label: '责任部门', value: organization?.name ?? query.organizationId }] : []),
    ],
    columns: COLUMNS,
    pages: pagesOf(async (limit, offset) => (await list(caller, { ...query, limit, offset })).items, 200),
    now,
  };
}
