// The commitment items (承诺事项) and the scores (评诺) of the sets a caller may see, as Excel:
// the sets come from services.sets.list (its access rules and filters), a page of sets at a time,
// each with the items of its approved version (the latest when none is approved yet) and their
// progress and scores.
import type { EntityManager } from '@mikro-orm/postgresql';
import { named } from '../export/route.ts';
import { pagesOf, type ExportColumn, type ExportSpec } from '../export/xlsx.ts';
import type { CommitmentDraft } from '../../../domain/dual-commitment/rules.ts';
import type { SelfEvaluation } from '../../../domain/entities/commitment.ts';
import type { Caller } from './access.ts';
import { COMMITMENT_GATE_NAMES, type SetLister, type SetListFilters } from './set-export.ts';

const SIDES: Record<string, string> = { party: '党组织向企业承诺', enterprise: '企业向党组织承诺' };
const FULFILMENT: Record<string, string> = { fulfilled: '已完成', partly: '部分完成', not_fulfilled: '未完成' };

export interface ItemRow {
  organizationName: string;
  year: number;
  gate: string;
  version: number | null;
  item: CommitmentDraft;
  status: string | null;
  description: string | null;
  filedAt: Date | null;
  score: number | null;
  scoreRemark: string | null;
}

const ITEM_COLUMNS: ExportColumn<ItemRow>[] = [
  { header: '组织名称', value: (r) => r.organizationName, width: 32 },
  { header: '年度', value: (r) => r.year, format: 'integer' },
  { header: '环节', value: (r) => COMMITMENT_GATE_NAMES[r.gate] ?? r.gate },
  { header: '版本', value: (r) => r.version, format: 'integer' },
  { header: '承诺方', value: (r) => SIDES[r.item.side] ?? r.item.side, width: 18 },
  { header: '承诺事项', value: (r) => r.item.title, width: 24 },
  { header: '承诺内容', value: (r) => r.item.content, width: 36 },
  { header: '承诺目标', value: (r) => r.item.target, width: 28 },
  { header: '衡量指标', value: (r) => r.item.indicator, width: 24 },
  { header: '完成时限', value: (r) => r.item.deadline, format: 'date', width: 12 },
  { header: '责任人', value: (r) => r.item.responsiblePerson?.name },
  { header: '责任人电话', value: (r) => r.item.responsiblePerson?.phone, width: 14 },
  { header: '完成情况', value: (r) => (r.status ? (FULFILMENT[r.status] ?? r.status) : '') },
  { header: '情况说明', value: (r) => r.description, width: 30 },
  { header: '填报时间', value: (r) => r.filedAt, format: 'datetime', width: 17 },
  { header: '评分', value: (r) => r.score, format: 'decimal' },
  { header: '评分说明', value: (r) => r.scoreRemark, width: 24 },
];

type SetPageRow = { id: string; year: number; organizationName: string; gate: string; approvedVersion: number | null };

/** The items of a page of sets, in the sets' order and each set's items in their saved order. */
async function itemsOf(em: EntityManager, sets: SetPageRow[]): Promise<ItemRow[]> {
  if (!sets.length) return [];
  const ids = sets.map((s) => s.id);
  const versions = await em.getConnection().execute<{ set_id: string; version: number; items: CommitmentDraft[] }[]>(
    `select v.set_id, v.version, v.items from commitment_set_version v join commitment_set s on s.id = v.set_id
      where v.set_id in (${ids.map(() => '?').join(', ')}) and v.version = coalesce(s.approved_version, s.latest_version)`,
    ids,
  );
  const progress = await em.getConnection().execute<{
    set_id: string; item_key: string; status: string | null; description: string | null; filed_at: Date | null;
    score: number | null; score_remark: string | null;
  }[]>(
    `select set_id, item_key, status, description, filed_at, score, score_remark from commitment_item_progress
      where set_id in (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const versionOf = new Map(versions.map((v) => [v.set_id, v]));
  const progressOf = new Map(progress.map((p) => [`${p.set_id}|${p.item_key}`, p]));
  return sets.flatMap((s) => {
    const v = versionOf.get(s.id);
    return (v?.items ?? []).map((item) => {
      const p = progressOf.get(`${s.id}|${item.key}`);
      return {
        organizationName: s.organizationName, year: s.year, gate: s.gate, version: v?.version ?? null, item,
        status: p?.status ?? null, description: p?.description ?? null, filedAt: p?.filed_at ?? null,
        score: p?.score == null ? null : Number(p.score), scoreRemark: p?.score_remark ?? null,
      };
    });
  });
}

const setFilters = (query: SetListFilters) => named([['年度', query.year], ['周期', query.cycleId], ['环节', query.gate, COMMITMENT_GATE_NAMES]]);

export function itemExport(sets: SetLister, caller: Caller, query: SetListFilters, now: Date): ExportSpec<ItemRow> {
  return {
    fileName: '承诺事项',
    title: '双向承诺事项及践诺评分',
    filters: setFilters(query),
    columns: ITEM_COLUMNS,
    pages: pagesOf(async (limit, offset) => itemsOf(caller.em, (await sets.list(caller, { ...query, limit, offset })).items), 200),
    now,
  };
}

export interface ScoreRow {
  organizationName: string;
  year: number;
  gate: string;
  items: number;
  scored: number;
  itemAverage: number | null;
  party: SelfEvaluation | null;
  enterprise: SelfEvaluation | null;
  signedAt: Date | null;
  totalScore: number | null;
  grade: string | null;
  filedAt: Date | null;
}

const SCORE_COLUMNS: ExportColumn<ScoreRow>[] = [
  { header: '组织名称', value: (r) => r.organizationName, width: 32 },
  { header: '年度', value: (r) => r.year, format: 'integer' },
  { header: '环节', value: (r) => COMMITMENT_GATE_NAMES[r.gate] ?? r.gate },
  { header: '党组织自评分', value: (r) => r.party?.score, format: 'decimal' },
  { header: '企业自评分', value: (r) => r.enterprise?.score, format: 'decimal' },
  { header: '承诺事项数', value: (r) => r.items, format: 'integer' },
  { header: '已评分事项数', value: (r) => r.scored, format: 'integer' },
  { header: '事项平均分', value: (r) => r.itemAverage, format: 'decimal' },
  { header: '评价人签字时间', value: (r) => r.signedAt, format: 'datetime', width: 17 },
  { header: '总分', value: (r) => r.totalScore, format: 'decimal' },
  { header: '等次', value: (r) => r.grade },
  { header: '备案时间', value: (r) => r.filedAt, format: 'datetime', width: 17 },
];

async function scoresOf(em: EntityManager, sets: SetPageRow[]): Promise<ScoreRow[]> {
  if (!sets.length) return [];
  const ids = sets.map((s) => s.id);
  const rows = await em.getConnection().execute<{
    id: string; self_evaluations: Partial<Record<'party' | 'enterprise', SelfEvaluation>> | null; evaluator_signed_at: Date | null;
    total_score: number | null; grade: string | null; filed_at: Date | null; items: number | null; scored: string; average: number | null;
  }[]>(
    `select s.id, s.self_evaluations, s.evaluator_signed_at, s.total_score, s.grade, s.filed_at,
            jsonb_array_length(v.items) as items, count(p.score) as scored, avg(p.score) as average
       from commitment_set s
       left join commitment_set_version v on v.set_id = s.id and v.version = coalesce(s.approved_version, s.latest_version)
       left join commitment_item_progress p on p.set_id = s.id
      where s.id in (${ids.map(() => '?').join(', ')})
      group by s.id, v.items`,
    ids,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return sets.map((s) => {
    const r = byId.get(s.id);
    return {
      organizationName: s.organizationName, year: s.year, gate: s.gate, items: Number(r?.items ?? 0), scored: Number(r?.scored ?? 0),
      itemAverage: r?.average == null ? null : Math.round(Number(r.average) * 100) / 100,
      party: r?.self_evaluations?.party ?? null, enterprise: r?.self_evaluations?.enterprise ?? null, signedAt: r?.evaluator_signed_at ?? null,
      totalScore: r?.total_score == null ? null : Number(r.total_score), grade: r?.grade ?? null, filedAt: r?.filed_at ?? null,
    };
  });
}

export function scoreExport(sets: SetLister, caller: Caller, query: SetListFilters, now: Date): ExportSpec<ScoreRow> {
  return {
    fileName: '评诺评分',
    title: '双向承诺评诺评分汇总',
    filters: setFilters(query),
    columns: SCORE_COLUMNS,
    pages: pagesOf(async (limit, offset) => scoresOf(caller.em, (await sets.list(caller, { ...query, limit, offset })).items), 200),
    now,
  };
}
