// What a steering task's workflow (月调度、季督导) exchanges with the API and its activities: the
// workflow ID (the task's business key) and type, its input and result, the updates people act
// through and the query. These names are part of every recorded history: never rename.
// Deterministic and free of I/O (the workflow bundle imports it).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, SteeringState } from './state.ts';

export const GRID_STEERING_WORKFLOW = 'gridSteeringTask';

/** One workflow per task: the task's id is the business key. */
export const gridSteeringWorkflowId = (taskId: string) => `grid-steering/${taskId}`;

export interface GridSteeringInput {
  taskId: string;
  /** Months the task reports in (rules.reportMonths of its creation day and due day). */
  months: string[];
  /** Carried over by continue-as-new; absent on the first run. */
  carried?: SteeringState;
}

export interface GridSteeringResult {
  status: 'closed';
  filed: number;
  overdue: number;
  findings: number;
}

/** 月调度: the owner's progress report of a month (refused when the month is not due or already reported). */
export const fileSteeringReport = defineUpdate<SteeringState, [{ actor: Actor; month: string; progress: number; content: string }]>('fileSteeringReport');
/** 季督导: a supervision finding with its rectification deadline (the API makes its id). */
export const addSteeringFinding = defineUpdate<SteeringState, [{ actor: Actor; findingId: string; finding: string; rectifyBy: string }]>(
  'addSteeringFinding');
export const rectifySteeringFinding = defineUpdate<SteeringState, [{ actor: Actor; findingId: string; rectification: string }]>('rectifySteeringFinding');
/** The supervisor closes a task that reported 100% with every finding rectified. */
export const closeSteeringTask = defineUpdate<SteeringState, [{ actor: Actor; note: string }]>('closeSteeringTask');
export const steeringStatus = defineQuery<SteeringState>('steeringStatus');
