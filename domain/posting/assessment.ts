// 年终考核: three sources (晒绩自评, 群众测评, 组织考评) and the running tally (小考), weighted by
// the cohort's settings; the cohort is ranked and graded 优秀/称职/基本称职/不称职.
import type { CohortSettings, Grade } from './settings.ts';

export interface YearEndSources {
  /** 0–100 each; null when the source never came in (it then counts as 0). */
  self: number | null;
  residents: number | null;
  organization: number | null;
  routine: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function yearEndScore(s: YearEndSources, weights: CohortSettings['weights']): number {
  return round2((s.self ?? 0) * weights.self + (s.residents ?? 0) * weights.residents + (s.organization ?? 0) * weights.organization + s.routine * weights.routine);
}

/** Residents' ratings (each 0–100, from links or paper forms) averaged; null when nobody answered. */
export function residentsScore(ratings: readonly number[]): number | null {
  if (ratings.length === 0) return null;
  return round2(ratings.reduce((a, b) => a + b, 0) / ratings.length);
}

export interface RankInput {
  postingId: string;
  total: number;
  /** Tie-break, after the total: the organization's rating, then the name. */
  organization: number | null;
  name: string;
}

export interface RankedEntry extends RankInput {
  rank: number;
  grade: Grade;
}

/** Grade by score alone (優秀 before the share limit). */
export function gradeByScore(total: number, g: CohortSettings['grading']): Grade {
  if (total >= g.excellentMin) return '优秀';
  if (total >= g.competentMin) return '称职';
  if (total >= g.basicMin) return '基本称职';
  return '不称职';
}

/**
 * Competition ranking (equal totals share a rank: 1, 2, 2, 4). 优秀 needs the score and a rank
 * within ceil(share × cohort size); those with the score beyond the quota are 称职. Equal
 * totals at the quota's edge share the rank and so the grade.
 */
export function rankCohort(entries: readonly RankInput[], g: CohortSettings['grading']): RankedEntry[] {
  const sorted = [...entries].sort((a, b) => b.total - a.total || (b.organization ?? 0) - (a.organization ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
  const quota = Math.ceil(g.excellentMaxShare * sorted.length);
  let rank = 0;
  return sorted.map((e, i) => {
    if (i === 0 || e.total !== sorted[i - 1]!.total) rank = i + 1;
    const byScore = gradeByScore(e.total, g);
    const grade: Grade = byScore === '优秀' && rank > quota ? '称职' : byScore;
    return { ...e, rank, grade };
  });
}
