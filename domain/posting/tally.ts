// 小考: the running, quantified tally of a posting. Points are deducted from 100 for a month
// short of attendance, a quarter without the head's visit, a late or missing work report.
import type { CohortSettings } from './settings.ts';

export interface TallyEntry {
  kind: 'attendance_shortfall' | 'missing_head_visit' | 'late_work_report' | 'missing_work_report';
  /** YYYY-MM for attendance, Q<n> for quarterly items. */
  period: string;
  points: number;
  detail: string;
}

type Deductions = CohortSettings['deductions'];

export function attendanceDeduction(month: string, confirmedDays: number, requiredDays: number, d: Deductions): TallyEntry | null {
  const shortfall = requiredDays - confirmedDays;
  if (shortfall <= 0) return null;
  return {
    kind: 'attendance_shortfall',
    period: month,
    points: Math.min(d.maxAttendancePerMonth, shortfall * d.perMissingAttendanceDay),
    detail: `${month}: ${confirmedDays}/${requiredDays} days confirmed`,
  };
}

export function quarterDeductions(
  quarter: number,
  facts: { headVisits: number; workReport: 'on_time' | 'late' | 'missing' },
  settings: Pick<CohortSettings, 'deductions' | 'minHeadVisitsPerQuarter'>,
): TallyEntry[] {
  const period = `Q${quarter}`;
  const out: TallyEntry[] = [];
  if (facts.headVisits < settings.minHeadVisitsPerQuarter) {
    out.push({ kind: 'missing_head_visit', period, points: settings.deductions.missingHeadVisit, detail: `${facts.headVisits} head visit(s), ${settings.minHeadVisitsPerQuarter} required` });
  }
  if (facts.workReport === 'late') out.push({ kind: 'late_work_report', period, points: settings.deductions.lateWorkReport, detail: 'work report after the deadline' });
  if (facts.workReport === 'missing') out.push({ kind: 'missing_work_report', period, points: settings.deductions.missingWorkReport, detail: 'no work report' });
  return out;
}

/** The tally as a score out of 100 (never below 0). */
export function routineScore(entries: readonly TallyEntry[]): number {
  return Math.max(0, 100 - entries.reduce((sum, e) => sum + e.points, 0));
}
