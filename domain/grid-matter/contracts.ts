// What a grid matter's workflow (网格事项) exchanges with the API and its activities: the
// workflow ID (the matter's business key) and type, its input and result, the updates people
// act through and the query. These names are part of every recorded history: never rename.
// Deterministic and free of I/O (the workflow bundle imports it).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { MatterPlan, Rating } from './rules.ts';
import type { Actor, GridMatterState } from './state.ts';

/** The workflow type, as the API starts it. */
export const GRID_MATTER_WORKFLOW = 'gridMatter';

/** One workflow per matter: its number (GM-20261129-000123) is the business key. */
export const gridMatterWorkflowId = (number: string) => `grid-matter/${number}`;

export interface GridMatterInput {
  matterId: string;
  number: string;
  plan: MatterPlan;
  /** Carried over by continue-as-new; absent on the first run. */
  carried?: GridMatterState;
  /**
   * When the filing dispatched the matter in its own transaction (notices, audit entry, the row at
   * revision 0: domain/grid-matter/dispatch.ts); the workflow's deadlines count from it and it records
   * no dispatch step. Absent in runs started before (their first step records the dispatch).
   */
  dispatchedAt?: number;
}

export interface GridMatterResult {
  outcome: 'closed' | 'merged';
  rating: Rating | null;
  level: number;
  climbs: number;
}

/** A per-grid link on the QR code posted in the grid (residents report through it). */
export const GRID_REPORT_LINK = 'grid_report';
/** The reporter's link to one matter: follow it, read the answer, rate it. */
export const MATTER_FOLLOW_LINK = 'grid_matter_follow';

export const acceptGridMatter = defineUpdate<GridMatterState, [{ actor: Actor }]>('acceptGridMatter');
export const answerGridMatter = defineUpdate<GridMatterState, [{ actor: Actor; text: string; photoIds: string[] }]>('answerGridMatter');
export const rateGridMatter = defineUpdate<GridMatterState, [{ rating: Rating; comment: string | null }]>('rateGridMatter');
/** Merges this matter (a duplicate) into `into` (the number of the matter that stays). */
export const mergeGridMatter = defineUpdate<GridMatterState, [{ actor: Actor; into: string; intoId: string }]>('mergeGridMatter');
/** Sent by the API to the matter that stays, after a duplicate was merged into it. */
export const absorbGridMatter = defineUpdate<GridMatterState, [{ duplicate: string }]>('absorbGridMatter');
export const gridMatterStatus = defineQuery<GridMatterState>('gridMatterStatus');
