// Grid matters as Excel (issue 18 with 17.4's shared export): the rows of GET /grid-matters with
// the same filters and access rules (the list read itself, page after page), Chinese headers and
// the filters named in words in row 2.
import { named, unitFilter } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportSpec } from '../export/xlsx.ts';
import type { Caller } from './access.ts';
import type { MatterFilter } from './matters.ts';

export const MATTER_STATUS_NAMES: Record<string, string> = { open: '待受理', accepted: '办理中', answered: '待评价', closed: '已办结', merged: '已合并' };
export const MATTER_LEVEL_NAMES: Record<string, string> = { grid: '小区党支部', community: '社区党委', street: '街道党工委', district: '县级党委' };
const SOURCE_NAMES: Record<string, string> = { grid_worker: '网格员', resident: '居民', secretary_line: '书记直通车' };
const URGENCY_NAMES: Record<string, string> = { normal: '一般', urgent: '紧急' };
const RATING_NAMES: Record<string, string> = { satisfied: '满意', unsatisfied: '不满意' };

interface MatterSummaryRow {
  number: string; categoryName: string; urgency: string; grid: string; building: string | null; source: string; status: string; level: string;
  assignee: string; responder: string | null; createdAt: string; deadlineAt: string; overdue: boolean; climbs: number; reopened: number;
  closedAt: string | null; rating: string | null; description: string;
}

const COLUMNS: ExportColumn<MatterSummaryRow>[] = [
  { header: '编号', value: (m) => m.number, width: 18 },
  { header: '类别', value: (m) => m.categoryName, width: 14 },
  { header: '紧急程度', value: (m) => URGENCY_NAMES[m.urgency] ?? m.urgency },
  { header: '网格', value: (m) => m.grid, width: 16 },
  { header: '楼栋', value: (m) => m.building },
  { header: '来源', value: (m) => SOURCE_NAMES[m.source] ?? m.source },
  { header: '状态', value: (m) => MATTER_STATUS_NAMES[m.status] ?? m.status },
  { header: '当前层级', value: (m) => MATTER_LEVEL_NAMES[m.level] ?? m.level, width: 12 },
  { header: '承办单位', value: (m) => m.responder ?? m.assignee, width: 20 },
  { header: '上报时间', value: (m) => m.createdAt, format: 'datetime', width: 17 },
  { header: '期限', value: (m) => m.deadlineAt, format: 'datetime', width: 17 },
  { header: '超期', value: (m) => m.overdue },
  { header: '上提次数', value: (m) => m.climbs, format: 'integer' },
  { header: '重办次数', value: (m) => m.reopened, format: 'integer' },
  { header: '办结时间', value: (m) => m.closedAt, format: 'datetime', width: 17 },
  { header: '满意度', value: (m) => (m.rating ? RATING_NAMES[m.rating] : null) },
  { header: '问题描述', value: (m) => m.description, width: 40 },
];

type ListFn = (caller: Caller, filter: MatterFilter) => Promise<{ items: MatterSummaryRow[] }>;

export async function matterListExport(
  caller: Caller, list: ListFn, query: Omit<MatterFilter, 'limit' | 'offset'>, now: Date,
): Promise<ExportSpec<MatterSummaryRow>> {
  return {
    fileName: '网格事项',
    title: '网格事项清单',
    filters: [
      ...(await unitFilter(caller.em, '网格', query.gridId)),
      ...(await unitFilter(caller.em, '承办单位', query.assigneeUnitId)),
      ...named([
        ['待我办理', query.inbox], ['状态', query.status, MATTER_STATUS_NAMES], ['当前层级', query.level, MATTER_LEVEL_NAMES],
        ['类别', query.category], ['超期', query.overdue], ['已上提', query.climbed], ['满意度', query.rating, RATING_NAMES],
      ]),
    ],
    columns: COLUMNS,
    pages: pagesOf(async (limit, offset) => (await list(caller, { ...query, limit, offset })).items, 500),
    now,
  };
}
