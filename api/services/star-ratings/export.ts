// The star ratings as Excel: the list (listRatings, its access rules and filters, every page) and
// the distribution of levels by year (distribution, the jurisdiction and its filters).
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { named } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportFilter, type ExportSpec } from '../export/xlsx.ts';
import { ORGANIZATION_KIND_NAMES } from '../directory/exports.ts';
import type { Caller } from './access.ts';
import { distribution } from './dashboards.ts';
import { listRatings, type RatingListQuery } from './list.ts';

export const STAR_PHASE_NAMES: Record<string, string> = {
  idle: '等待本年度开始', self_assessment: '企业自评', preliminary_review: '街道/社区初审', scoring: '考核组评分', approval: '部务会审定',
  publication: '公示', awarded: '已授星', not_rated: '未评定', review_self_report: '年度自查', review_decision: '复审决定', reviewed: '已复审',
  ended: '已终止',
};
const ROUND_KINDS: Record<string, string> = { rating: '评定年', review: '复审年' };
const PRELIMINARY: Record<string, string> = { pass: '通过', return: '退回补充', reject: '不通过' };
const STARS: Record<string, string> = { 0: '未定星', 1: '一星', 2: '二星', 3: '三星', 4: '四星', 5: '五星' };

type RatingRow = Awaited<ReturnType<typeof listRatings>>['items'][number];

const RATING_COLUMNS: ExportColumn<RatingRow>[] = [
  { header: '组织名称', value: (r) => r.name, width: 32 },
  { header: '类型', value: (r) => ORGANIZATION_KIND_NAMES[r.kind] ?? r.kind },
  { header: '所属单位', value: (r) => r.unitName, width: 16 },
  { header: '现有星级', value: (r) => r.stars, format: 'integer' },
  { header: '首次纳入年度', value: (r) => r.firstYear, format: 'integer' },
  { header: '年度', value: (r) => r.year, format: 'integer' },
  { header: '评审类型', value: (r) => (r.roundKind ? (ROUND_KINDS[r.roundKind] ?? r.roundKind) : '') },
  { header: '当前环节', value: (r) => (r.phase ? (STAR_PHASE_NAMES[r.phase] ?? r.phase) : ''), width: 14 },
  { header: '环节截止日', value: (r) => r.due, format: 'date', width: 12 },
  { header: '已自评', value: (r) => r.selfAssessed },
  { header: '初审结果', value: (r) => (r.preliminary ? (PRELIMINARY[r.preliminary] ?? r.preliminary) : '') },
  { header: '已评分指标数', value: (r) => r.scoredIndicators, format: 'integer' },
  { header: '评分已提交', value: (r) => r.scoresSubmitted },
  { header: '总分', value: (r) => r.total, format: 'decimal' },
  { header: '拟定星级', value: (r) => r.proposedStars, format: 'integer' },
  { header: '待答补充材料', value: (r) => r.openEvidenceRequests, format: 'integer' },
  { header: '待答异议', value: (r) => r.openObjections, format: 'integer' },
  { header: '已终止', value: (r) => r.ended },
];

async function unitNamed(caller: Caller, label: string, unitId: string | undefined): Promise<ExportFilter[]> {
  if (!unitId) return [];
  const unit = await caller.em.findOne(AdministrativeUnit, { id: unitId });
  return [{ label, value: unit?.name ?? unitId }];
}

export async function ratingListExport(caller: Caller, query: Omit<RatingListQuery, 'limit' | 'offset'>, now: Date): Promise<ExportSpec<RatingRow>> {
  // The list refuses an unknown unit (404) before the download starts.
  await listRatings(caller, { ...query, limit: 1, offset: 0 });
  return {
    fileName: '星级评定',
    title: '星级评定名单',
    filters: [
      ...(await unitNamed(caller, '所属单位', query.unitId)),
      ...named([
        ['年度', query.year], ['环节', query.phase, STAR_PHASE_NAMES], ['星级', query.stars, STARS], ['类型', query.kind, ORGANIZATION_KIND_NAMES],
        ['名称含', query.q], ['已终止', query.ended],
      ]),
    ],
    columns: RATING_COLUMNS,
    pages: pagesOf(async (limit, offset) => (await listRatings(caller, { ...query, limit, offset })).items, 500),
    now,
  };
}

interface DistributionRow { unitName: string; year: number; counts: Record<string, number> }

const DISTRIBUTION_COLUMNS: ExportColumn<DistributionRow>[] = [
  { header: '单位', value: (r) => r.unitName, width: 16 },
  { header: '年度', value: (r) => r.year, format: 'integer' },
  ...[5, 4, 3, 2, 1, 0].map((s): ExportColumn<DistributionRow> => ({ header: STARS[s]!, value: (r) => r.counts[String(s)] ?? 0, format: 'integer' })),
  { header: '合计', value: (r) => Object.values(r.counts).reduce((a, b) => a + b, 0), format: 'integer' },
  { header: '三星及以上占比', value: (r) => share(r.counts), format: 'percent', width: 16 },
];

function share(counts: Record<string, number>): number | null {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return total ? ((counts['3'] ?? 0) + (counts['4'] ?? 0) + (counts['5'] ?? 0)) / total : null;
}

export async function distributionExport(
  caller: Caller, query: { unitId?: string; year?: number; kind?: string }, now: Date,
): Promise<ExportSpec<DistributionRow>> {
  const result = await distribution(caller, query.unitId, query.year, query.kind);
  return {
    fileName: '星级分布',
    title: `${result.unitName}星级分布（各年末所持星级）`,
    filters: [
      ...(await unitNamed(caller, '单位', query.unitId)),
      ...named([['年度', query.year], ['类型', query.kind, ORGANIZATION_KIND_NAMES]]),
    ],
    columns: DISTRIBUTION_COLUMNS,
    pages: (async function* () {
      yield result.years.map((y) => ({ unitName: result.unitName, year: y.year, counts: y.counts }));
    })(),
    now,
  };
}
