// What the assessment workflow tests share (test/workflows/assessment*.test.ts): the time-skipping harness with a round's
// activities stubbed in memory — the ones every round calls answer alike unless a test gives its own (stages, sign-offs,
// reminders, papers recorded and the round closed are logged with the workflow clock; the ranking and the papers are
// prepared as stub report requests; reports render to a fixed hash) — the refusal reader, and the recorded histories.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { ReportRequest } from '../../domain/reports/contracts.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';

/** One activity call: its name, the workflow clock when it ran, its input. */
export interface Logged { name: string; at: number; input: Record<string, any> }
/** Logs an activity call with the workflow clock. */
export type LogCall = (name: string, input: Record<string, unknown>) => Promise<void>;
type Activity = (input: any) => Promise<unknown>;

const stubReport = (type: string, subjectType: string, subjectId: string) =>
  ({ type, data: {}, meta: { issuingUnit: '组织部' }, subjectType, subjectId, createdBy: 'test' });
const PAPER_TYPES: Record<string, string> = { score_sheet: 'assessment-score-sheet', result_notice: 'assessment-result-notice' };

function defaults(at: LogCall): Record<string, Activity> {
  return {
    recordAssessmentStage: (input) => at('recordAssessmentStage', input),
    recordAssessmentSignOff: (input) => at('recordAssessmentSignOff', input),
    remindAssessment: async (input) => {
      await at('remindAssessment', input);
      return { notified: 1 };
    },
    prepareAssessmentRanking: async (input: { roundId: string }) => {
      await at('prepareAssessmentRanking', input);
      return stubReport('assessment-ranking', 'assessment_round', input.roundId);
    },
    prepareAssessmentPaper: async (input: { subjectId: string; kind: string }) => {
      await at('prepareAssessmentPaper', input);
      return stubReport(PAPER_TYPES[input.kind] ?? `assessment-${input.kind}`, 'assessment_subject', input.subjectId);
    },
    recordAssessmentPapers: (input) => at('recordAssessmentPapers', input),
    closeAssessmentRound: (input) => at('closeAssessmentRound', input),
  };
}

/** The harness on `taskQueue`: the default stubs above with the test's own `activities` over them; calls go to `log`. */
export async function startAssessmentHarness(options: {
  taskQueue: string;
  log: Logged[];
  activities: (at: LogCall) => Record<string, Activity>;
  renderReport?: (request: ReportRequest) => Promise<unknown>;
}): Promise<WorkflowHarness> {
  let harness: WorkflowHarness | undefined;
  const at: LogCall = async (name, input) => {
    options.log.push({ name, at: await harness!.env.currentTimeMs(), input });
  };
  harness = await startWorkflowHarness({
    taskQueue: options.taskQueue,
    activities: { ...defaults(at), ...options.activities(at) },
    reportActivities: {
      renderReport: options.renderReport ?? (async () => ({ sha256: 'b'.repeat(64), bytes: 1, pages: 1, storagePath: 'x', reportFileId: null, version: 1 })),
    },
  });
  return harness;
}

/** The type of the failure an update was refused with (it must be refused). */
export async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

const historyFile = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), `histories/${name}.json`);

/** Writes a workflow's history as test/workflows/histories/<name>.json when RECORD_HISTORIES is set. */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES) await writeFile(historyFile(name), historyToJSON(await handle.fetchHistory()));
}

/** Replays the recorded history <name> with today's workflow code; answers the updates and the activities it holds, in order. */
export async function replayRecorded(harness: WorkflowHarness, name: string): Promise<{ updates: string[]; activities: string[] }> {
  const history = historyFromJSON(JSON.parse(await readFile(historyFile(name), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, name);
  const names = (pick: (e: (typeof history.events & object)[number]) => string | null | undefined) =>
    history.events!.map(pick).filter((n): n is string => Boolean(n));
  return {
    updates: names((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name),
    activities: names((e) => e.activityTaskScheduledEventAttributes?.activityType?.name),
  };
}
