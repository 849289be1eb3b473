// The state a steering task's workflow keeps, and the reducer behind its update validators:
// `refusal` says why an action is refused (before anything is written), `apply` changes the
// state, `nextAlarm` says which reminder or deadline fires next. Deterministic (the workflow
// bundle imports it); time comes in as `now` (workflow time).
import { shanghaiDate } from '../time.ts';
import { findingOverdueAt, findingRemindAt, quarterOf, reportMonthRefusal, reportOverdueAt, reportRemindAt } from './rules.ts';

/** Who acts, as the API resolved them (the API checks the jurisdiction; the workflow the state). */
export interface Actor {
  accountId: string | null;
  login: string;
}

export interface FindingState {
  id: string;
  quarter: string;
  rectifyBy: string;
  reminded: boolean;
  /** Its deadline passed unrectified: escalated to the supervising unit. */
  overdue: boolean;
  rectified: boolean;
}

export interface SteeringState {
  status: 'active' | 'closed';
  /** Every month the task reports in (creation month to due month). */
  months: string[];
  filed: string[];
  /** Months filed after they were flagged overdue. */
  filedLate: string[];
  reminded: string[];
  /** Months whose end passed without a report: escalated to the supervising unit. */
  overdue: string[];
  /** The latest reported progress, 0-100. */
  progress: number;
  findings: FindingState[];
  closedAt: number | null;
  /** Changes on every accepted action or timer step: the workflow's loop waits on it. */
  revision: number;
}

export type Action =
  | { kind: 'report'; month: string; progress: number }
  | { kind: 'finding'; findingId: string; rectifyBy: string }
  | { kind: 'rectify'; findingId: string }
  | { kind: 'close' };

export type Alarm =
  | { kind: 'report_reminded' | 'report_overdue'; at: number; month: string }
  | { kind: 'finding_reminded' | 'finding_overdue'; at: number; findingId: string };

export interface Refusal {
  /** Becomes the API's error code in snake_case (api/workflow-refusals.ts): invalid 400, unknown 404, the rest 409. */
  type: 'WrongPhase' | 'Invalid' | 'Unknown' | 'NotDue' | 'AlreadyReported' | 'AlreadyRectified';
  message: string;
}

export function initialState(months: string[]): SteeringState {
  return { status: 'active', months, filed: [], filedLate: [], reminded: [], overdue: [], progress: 0, findings: [], closedAt: null, revision: 0 };
}

export function refusal(state: SteeringState, action: Action, now: number): Refusal | null {
  if (state.status === 'closed') return { type: 'WrongPhase', message: '任务已办结' };
  const today = shanghaiDate(now);
  switch (action.kind) {
    case 'report': {
      if (!Number.isInteger(action.progress) || action.progress < 0 || action.progress > 100) return { type: 'Invalid', message: '进度应为0至100' };
      const why = reportMonthRefusal(state.months, state.filed, action.month, today);
      if (!why) return null;
      return { type: state.filed.includes(action.month) ? 'AlreadyReported' : 'NotDue', message: why };
    }
    case 'finding':
      if (state.findings.some((f) => f.id === action.findingId)) return { type: 'WrongPhase', message: '该督导问题已记录' };
      return action.rectifyBy < today ? { type: 'Invalid', message: '整改期限不能早于今天' } : null;
    case 'rectify': {
      const finding = state.findings.find((f) => f.id === action.findingId);
      if (!finding) return { type: 'Unknown', message: '没有这个督导问题' };
      return finding.rectified ? { type: 'AlreadyRectified', message: '该问题已整改' } : null;
    }
    case 'close': {
      const open = state.findings.filter((f) => !f.rectified).length;
      if (open) return { type: 'WrongPhase', message: `还有${open}个督导问题未整改，不能办结` };
      return state.progress < 100 ? { type: 'WrongPhase', message: `进度为${state.progress}%，报送100%后才能办结` } : null;
    }
  }
}

export function apply(state: SteeringState, action: Action, now: number): void {
  state.revision += 1;
  switch (action.kind) {
    case 'report':
      state.filed.push(action.month);
      state.filed.sort();
      if (state.overdue.includes(action.month)) state.filedLate.push(action.month);
      // The newest month's report says where the task stands (a late filing of an older month does not set it back).
      if (action.month === state.filed.at(-1)) state.progress = action.progress;
      return;
    case 'finding':
      state.findings.push({ id: action.findingId, quarter: quarterOf(shanghaiDate(now)), rectifyBy: action.rectifyBy, reminded: false, overdue: false,
        rectified: false });
      return;
    case 'rectify':
      state.findings.find((f) => f.id === action.findingId)!.rectified = true;
      return;
    case 'close':
      state.status = 'closed';
      state.closedAt = now;
      return;
  }
}

/** The earliest reminder or deadline still to fire: unfiled months and unrectified findings. */
export function nextAlarm(state: SteeringState): Alarm | null {
  if (state.status === 'closed') return null;
  const alarms: Alarm[] = [];
  for (const month of state.months) {
    if (state.filed.includes(month) || state.overdue.includes(month)) continue;
    alarms.push(state.reminded.includes(month)
      ? { kind: 'report_overdue', at: reportOverdueAt(month), month }
      : { kind: 'report_reminded', at: reportRemindAt(month), month });
  }
  for (const f of state.findings) {
    if (f.rectified || f.overdue) continue;
    alarms.push(f.reminded
      ? { kind: 'finding_overdue', at: findingOverdueAt(f.rectifyBy), findingId: f.id }
      : { kind: 'finding_reminded', at: findingRemindAt(f.rectifyBy), findingId: f.id });
  }
  return alarms.reduce<Alarm | null>((first, a) => (!first || a.at < first.at ? a : first), null);
}

/** A timer fired: the reminder is sent or the month/finding is flagged overdue (escalated). */
export function fire(state: SteeringState, alarm: Alarm): void {
  state.revision += 1;
  switch (alarm.kind) {
    case 'report_reminded':
      state.reminded.push(alarm.month);
      return;
    case 'report_overdue':
      state.overdue.push(alarm.month);
      return;
    case 'finding_reminded':
      state.findings.find((f) => f.id === alarm.findingId)!.reminded = true;
      return;
    case 'finding_overdue':
      state.findings.find((f) => f.id === alarm.findingId)!.overdue = true;
      return;
  }
}
