// The commitment sets list as Excel: the rows services.sets.list gives the caller (its access
// rules and filters), every page of it.
import { named } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportSpec } from '../export/xlsx.ts';
import type { Caller } from './access.ts';

type Gate = 'set' | 'show' | 'practice' | 'evaluate' | 'filed';
interface SetRow { id: string; year: number; organizationName: string; gate: string; status: string; approvedVersion: number | null; due: string | null }
export interface SetListFilters { year?: number; cycleId?: string; gate?: Gate }
export interface SetLister {
  list(caller: Caller, query: SetListFilters & { limit: number; offset: number }): Promise<{ items: SetRow[] }>;
}

export const COMMITMENT_GATE_NAMES: Record<string, string> = { set: '定诺', show: '亮诺', practice: '践诺', evaluate: '评诺', filed: '已备案' };
const GATES = COMMITMENT_GATE_NAMES;
const STATUSES: Record<string, string> = { drafting: '起草中', submitted: '待审核', returned: '已退回', approved: '已通过' };

const COLUMNS: ExportColumn<SetRow>[] = [
  { header: '组织名称', value: (s) => s.organizationName, width: 36 },
  { header: '年度', value: (s) => s.year, format: 'integer' },
  { header: '环节', value: (s) => GATES[s.gate] ?? s.gate },
  { header: '定诺状态', value: (s) => (s.gate === 'set' ? (STATUSES[s.status] ?? s.status) : '') },
  { header: '通过版本', value: (s) => s.approvedVersion, format: 'integer' },
  { header: '当前环节截止日', value: (s) => s.due, format: 'date', width: 16 },
];

export function setListExport(sets: SetLister, caller: Caller, query: SetListFilters, now: Date): ExportSpec<SetRow> {
  return {
    fileName: '双向承诺书',
    title: '双向承诺书',
    filters: named([['年度', query.year], ['周期', query.cycleId], ['环节', query.gate, GATES]]),
    columns: COLUMNS,
    pages: pagesOf(async (limit, offset) => (await sets.list(caller, { ...query, limit, offset })).items, 200),
    now,
  };
}
