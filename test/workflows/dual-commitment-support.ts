// What the dual commitments workflow tests share: stub activities that record what the workflow
// asked for (stamped with the workflow clock), a fake report renderer, the actors, a gate plan
// and the refusal reader. Each test file starts its own time-skipping environment with it.
import { expect } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DualCommitmentActivities } from '../../activities/dual-commitment.ts';
import type { CommitmentReportRequest, ReportRenderingActivities } from '../../activities/dual-commitment-reports.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';
import type { GatePlan } from '../../domain/dual-commitment/rules.ts';
import { type Actor } from '../../domain/dual-commitment/state.ts';
import { DAY_MS } from '../../domain/time.ts';

/** Every activity call of the running test file, in order. */
export const calls: { name: string; at: number; input: Record<string, unknown> }[] = [];
let env: TestWorkflowEnvironment;

const report = (type: CommitmentReportRequest['type'], setId: unknown): CommitmentReportRequest => ({
  type, data: { setId }, meta: { issuingUnit: '测试' }, subjectType: 'commitment_set', subjectId: String(setId), createdBy: 'test',
});
/** Sets whose notice PDF the fake renderer refuses as bad data (a contract the data breaks). */
export const badNoticeData = new Set<string>();

// Stub activities record what the workflow asked for, stamped with the workflow clock.
function stubActivities(): DualCommitmentActivities {
  const names = ['recordGate', 'recordSetSubmitted', 'recordSetReviewed', 'publishCommitments', 'closePublication', 'sendReminder', 'escalate', 'openEvaluation', 'recordSignOff', 'fileEvaluationRecord', 'recordReport', 'recordReportFailure', 'recordFactualEvaluation', 'fileFactualEvaluation', 'recordItemStatus', 'recordSelfEvaluation', 'recordScores'] as const;
  const result: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {};
  for (const name of names) {
    result[name] = async (input) => {
      calls.push({ name, at: await env.currentTimeMs(), input });
      if (name === 'publishCommitments') return { notice: report('commitment-notice', input.setId) };
      if (name === 'fileFactualEvaluation') return { recordSha256: null, record: report('factual-evaluation', input.setId) };
      if (name === 'fileEvaluationRecord') return { totalScore: 88.5, grade: '良好', recordSha256: null, record: report('evaluation-record', input.setId) };
      return undefined;
    };
  }
  return result as unknown as DualCommitmentActivities;
}

// The report queue's renderReport, faked: no browser here, only what the workflow sees.
function fakeReportActivities(): ReportRenderingActivities {
  return {
    async renderReport(input) {
      calls.push({ name: 'renderReport', at: await env.currentTimeMs(), input: input as never });
      if (input.type === 'commitment-notice' && badNoticeData.has(input.subjectId)) {
        throw ApplicationFailure.nonRetryable('report "commitment-notice": field /partyCommitments must not have fewer than 1 items', 'ReportDataError');
      }
      const sha256 = (input.type === 'commitment-notice' ? 'n' : input.type === 'factual-evaluation' ? 'f' : 'r').repeat(64);
      return { sha256, bytes: 1, pages: 1, storagePath: `reports/${sha256}.pdf`, reportFileId: `file-${input.type}`, version: 1 };
    },
  };
}

export const actor = (role: string): Actor => ({ accountId: `acc-${role}`, login: role, roles: [role] });
/** What the API passes along with a filed status, and the evaluator's scores. */
export const filed = { description: '已完成', reason: null, evidenceFileId: null };
export const scores = [{ itemKey: 'p1', score: 90, remark: null }];

export function planFrom(now: number): GatePlan {
  return {
    year: new Date(now).getUTCFullYear(),
    cycleStart: new Date(now - DAY_MS).toISOString(),
    submissionDeadline: new Date(now + 10 * DAY_MS).toISOString(),
    publicationDays: 7,
    practiceEnd: new Date(now + 60 * DAY_MS).toISOString(),
    evaluationStart: new Date(now + 61 * DAY_MS).toISOString(),
    evaluationEnd: new Date(now + 80 * DAY_MS).toISOString(),
    submissionReminderDays: [7, 1],
    itemReminderDays: [14, 3],
    weights: { self: 20, staff: 30, organization: 50 },
    deadlineWindow: { from: '2000-01-01', to: '2100-01-01' },
  };
}

export async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

/** The devserver with time skipping and a worker running the workflow on `taskQueue`. */
export async function startDualCommitmentHarness(taskQueue: string): Promise<WorkflowHarness> {
  const harness = await startWorkflowHarness({ taskQueue, activities: stubActivities(), reportActivities: fakeReportActivities() });
  env = harness.env;
  return harness;
}
