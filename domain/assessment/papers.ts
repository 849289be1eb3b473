// The papers printed per assessed person or unit of a round (issue 19): which a scheme asks for
// (outputs.papers), and the pure parts of the 考核评分表 — what each source gave an indicator and how
// the indicator was scored (a rate's counts, 无数据). No I/O: the API, the workflow bundle and the
// activities import it.
import type { ErrorDetail } from '../errors.ts';
import { entryValue, indicatorsOf, round2, scoredBy, type Filing, type Indicator, type RateCount, type SchemeDefinition } from './rules.ts';

export const PAPER_KINDS = ['score_sheet', 'result_notice'] as const;
export type PaperKind = (typeof PAPER_KINDS)[number];
/** The report type of each paper (reports/report-types.ts). */
export const PAPER_REPORT_TYPES: Record<PaperKind, string> = { score_sheet: 'assessment-score-sheet', result_notice: 'assessment-result-notice' };

export function paperProblems(papers: unknown): ErrorDetail[] {
  if (papers === undefined) return [];
  const ok = Array.isArray(papers) && papers.every((k) => PAPER_KINDS.includes(k)) && new Set(papers).size === papers.length;
  return ok ? [] : [{ field: 'outputs.papers', rule: `must list distinct papers of ${PAPER_KINDS.join(', ')}` }];
}

/** What each source of the scheme gave one indicator: its filings' mean as points of the weight; null where it does not score it or filed nothing. */
export function sourcePoints(d: SchemeDefinition, ind: Indicator, filings: Filing[]): (number | null)[] {
  return d.sources.map((s) => {
    if (ind.rule === 'rate' || ind.rule === 'text' || !scoredBy(ind, s.kind)) return null;
    const given = filings.filter((f) => f.source === s.kind && f.entries[ind.key]);
    if (!given.length) return null;
    return round2((given.reduce((a, f) => a + entryValue(ind, f.entries[ind.key]!), 0) / given.length) * ind.weight);
  });
}

const pct = (n: number, of: number) => `${((n / of) * 100).toFixed(1)}%`;

/** How an indicator was scored, as printed in the sheet's 说明 column. */
export function indicatorNote(ind: Indicator, counts: Record<string, RateCount> | null, noData: string[], filings: Filing[]): string {
  switch (ind.rule) {
    case 'manual': return `评分，满分${ind.max}分`;
    case 'checklist': return `清单${ind.items?.length ?? 0}项，按完成项数计分`;
    case 'survey': return '群众问卷均分（5分制）折算';
    case 'vote': return `投票：${(ind.options ?? []).map((o) => o.label).join('/')}`;
    case 'text': return filings.some((f) => f.source === 'self' && f.entries[ind.key]) ? '述职报告已提交（不计分）' : '述职报告未提交（不计分）';
    default: {
      if (noData.includes(ind.key)) return '无数据（本期无记录，不计入总分）';
      const c = counts?.[ind.rateSource!];
      if (!c || c.of === 0) return '按记录计算：0/0（无记录，按当时规则计满分）';
      const offline = c.offline && c.offline.of > 0 ? `，含线下${c.offline.n}/${c.offline.of}` : '';
      return `按记录计算：${c.n}/${c.of}（${pct(c.n, c.of)}）${offline}`;
    }
  }
}

/** Sections with their weight and, per indicator, what the sheet prints. */
export function sheetSections(d: SchemeDefinition, filings: Filing[], byIndicator: Record<string, number> | null, counts: Record<string, RateCount> | null,
  noData: string[]) {
  // With 无数据 indicators left out, the others' full marks grow by 100 / what is left (as weightedScore rescales them).
  const left = indicatorsOf(d).filter((i) => !noData.includes(i.key)).reduce((a, i) => a + i.weight, 0);
  const scale = noData.length && left > 0 ? 100 / left : null;
  return d.sections.map((sec) => ({
    name: sec.name,
    weight: sec.indicators.reduce((a, i) => a + i.weight, 0),
    indicators: sec.indicators.map((ind) => ({
      name: ind.name,
      weight: ind.weight,
      scaledWeight: scale && !noData.includes(ind.key) && ind.weight > 0 ? round2(ind.weight * scale) : null,
      sourcePoints: sourcePoints(d, ind, filings),
      points: noData.includes(ind.key) ? null : (byIndicator?.[ind.key] ?? 0),
      note: indicatorNote(ind, counts, noData, filings),
    })),
  }));
}

/** The sentence printed when 无数据 indicators were left out and the others rescaled. */
export function rescaledNote(d: SchemeDefinition, noData: string[]): string | null {
  if (!noData.length) return null;
  const names = indicatorsOf(d).filter((i) => noData.includes(i.key)).map((i) => `“${i.name}”`);
  return `${names.join('、')}无数据未计入，其余指标权重按比例折算为100分`;
}
