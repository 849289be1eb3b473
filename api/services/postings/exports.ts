// First-secretary postings as Excel: the postings list (listPostings, every page), the closed
// months of attendance (月度考勤, the heat map's months one row per posting and month) and a
// cohort's year-end ranking (年终考核), each with the access rules and filters of its JSON read.
import type { Static } from 'typebox';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { PostingCohort } from '../../../domain/entities/posting-cohort.ts';
import type { AttendanceGridQuery, PostingListQuery } from '../../schemas/postings.ts';
import { named } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportFilter, type ExportSpec } from '../export/xlsx.ts';
import type { PostingCaller } from './access.ts';
import { attendanceMonths } from './attendance.ts';
import { cohortRanking } from './cohorts.ts';
import { listPostings } from './postings.ts';

export const POSTING_PHASE_NAMES: Record<string, string> = {
  awaiting_guarantees: '待落实保障', awaiting_start: '待到岗', active: '在岗', year_end: '年终考核', awaiting_ranking: '待排名',
  final_assessment: '期满联合考核', completed: '已期满', cancelled: '已撤回',
};

async function nameOf(caller: PostingCaller, label: string, entity: typeof PostingCohort | typeof AdministrativeUnit | typeof Person, id?: string) {
  if (!id) return [] as ExportFilter[];
  const found = (await caller.em.findOne(entity as typeof Person, { id })) as { name?: string } | null;
  return [{ label, value: found?.name ?? id }];
}

type PostingRow = Awaited<ReturnType<typeof listPostings>>['items'][number];
const POSTING_COLUMNS: ExportColumn<PostingRow>[] = [
  { header: '第一书记', value: (p) => p.secretary },
  { header: '派驻社区', value: (p) => p.community, width: 16 },
  { header: '派出单位', value: (p) => p.dispatchingUnit, width: 24 },
  { header: '任期开始', value: (p) => p.startsOn, format: 'date', width: 12 },
  { header: '任期结束', value: (p) => p.endsOn, format: 'date', width: 12 },
  { header: '实际到岗日', value: (p) => p.startedOn, format: 'date', width: 12 },
  { header: '状态', value: (p) => POSTING_PHASE_NAMES[p.phase] ?? p.phase, width: 14 },
];

type PostingFilters = Omit<Static<typeof PostingListQuery>, 'limit' | 'offset'>;
export async function postingListExport(caller: PostingCaller, query: PostingFilters, now: Date): Promise<ExportSpec<PostingRow>> {
  return {
    fileName: '第一书记派驻',
    title: '第一书记派驻名单',
    filters: [
      ...(await nameOf(caller, '批次', PostingCohort, query.cohortId)),
      ...(await nameOf(caller, '派驻社区', AdministrativeUnit, query.communityId)),
      ...(await nameOf(caller, '第一书记', Person, query.personId)),
      ...named([['状态', query.phase, POSTING_PHASE_NAMES], ['在岗', query.current]]),
    ],
    columns: POSTING_COLUMNS,
    pages: pagesOf(async (limit, offset) => (await listPostings(caller, { ...query, limit, offset })).items, 500),
    now,
  };
}

interface MonthRow {
  street: string; community: string; secretary: string; dispatchingUnit: string; month: string;
  fromDate: string; toDate: string; requiredDays: number; confirmedDays: number;
}
const MONTH_COLUMNS: ExportColumn<MonthRow>[] = [
  { header: '街道', value: (r) => r.street, width: 14 },
  { header: '社区', value: (r) => r.community, width: 14 },
  { header: '第一书记', value: (r) => r.secretary },
  { header: '派出单位', value: (r) => r.dispatchingUnit, width: 24 },
  { header: '月份', value: (r) => r.month },
  { header: '统计起', value: (r) => r.fromDate, format: 'date', width: 12 },
  { header: '统计止', value: (r) => r.toDate, format: 'date', width: 12 },
  { header: '应在岗天数', value: (r) => r.requiredDays, format: 'integer' },
  { header: '实际在岗天数', value: (r) => r.confirmedDays, format: 'integer' },
  { header: '差额', value: (r) => Math.max(0, r.requiredDays - r.confirmedDays), format: 'integer' },
  { header: '在岗率', value: (r) => (r.requiredDays > 0 ? Math.min(1, r.confirmedDays / r.requiredDays) : 1), format: 'percent' },
  { header: '是否达标', value: (r) => r.confirmedDays >= r.requiredDays },
];

export async function attendanceExport(caller: PostingCaller, query: Static<typeof AttendanceGridQuery>, now: Date): Promise<ExportSpec<MonthRow>> {
  const months = await attendanceMonths(caller, query);
  const rows = months.map((m): MonthRow => {
    const posting = m.posting.getEntity();
    const community = posting.community.getEntity();
    return {
      street: community.parent?.getEntity().name ?? '', community: community.name, secretary: posting.person.getEntity().name,
      dispatchingUnit: (posting.dispatchingOrganization.getEntity() as Organization).name, month: m.month, fromDate: m.fromDate, toDate: m.toDate,
      requiredDays: m.requiredDays, confirmedDays: m.confirmedDays,
    };
  }).sort((a, b) => a.street.localeCompare(b.street, 'zh') || a.community.localeCompare(b.community, 'zh')
    || a.secretary.localeCompare(b.secretary, 'zh') || a.month.localeCompare(b.month));
  return {
    fileName: '第一书记月度考勤',
    title: '第一书记月度考勤',
    filters: [
      ...(await nameOf(caller, '批次', PostingCohort, query.cohortId)),
      ...(await nameOf(caller, '街道', AdministrativeUnit, query.streetId)),
      ...named([['年度', query.year]]),
    ],
    columns: MONTH_COLUMNS,
    pages: (async function* () {
      for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000);
    })(),
    now,
  };
}

type RankRow = Awaited<ReturnType<typeof cohortRanking>>['entries'][number];
const RANK_COLUMNS: ExportColumn<RankRow>[] = [
  { header: '名次', value: (r) => r.rank, format: 'integer' },
  { header: '第一书记', value: (r) => r.name },
  { header: '年终考核总分', value: (r) => r.total, format: 'decimal', width: 14 },
  { header: '等次', value: (r) => r.grade },
];

export async function rankingExport(caller: PostingCaller, cohortId: string, now: Date): Promise<ExportSpec<RankRow>> {
  const ranking = await cohortRanking(caller, cohortId);
  const cohort = await caller.em.findOne(PostingCohort, { id: cohortId });
  return {
    fileName: '第一书记年终考核排名',
    title: `${cohort?.name ?? ''}年终考核排名`,
    filters: [{ label: '批次', value: cohort?.name ?? cohortId }],
    columns: RANK_COLUMNS,
    pages: (async function* () {
      yield ranking.entries;
    })(),
    now,
  };
}
