// 积分月结单 (issue 18.4): one point account's month, its data built from the ledger by the points
// activity on the main queue, the PDF rendered and filed on the reports queue like every other
// report. Started by GET /points/accounts/:id/statements/:month, which waits for the answer.
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PointsActivities } from '../activities/points.ts';
import type { ReportActivities } from '../activities/reports.ts';
import { NON_RETRYABLE_REPORT_ERRORS } from '../domain/reports/contracts.ts';
import type { PointStatementInput, PointStatementResult } from '../domain/points/contracts.ts';
import { reportsTaskQueueFor } from './task-queues.ts';

const acts = proxyActivities<Pick<PointsActivities, 'preparePointStatement'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function pointStatement(input: PointStatementInput): Promise<PointStatementResult> {
  const { workflowId, taskQueue } = workflowInfo();
  // Someone is waiting for it: a failing renderer is retried for minutes, not a day.
  const rendering = proxyActivities<Pick<ReportActivities, 'renderReport'>>({
    taskQueue: reportsTaskQueueFor(taskQueue),
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '5s', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_REPORT_ERRORS },
  });
  const request = await acts.preparePointStatement({ ...input, requestKey: workflowId });
  try {
    return { sha256: (await rendering.renderReport(request)).sha256, problem: null };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return { sha256: null, problem: error.cause?.message ?? error.message };
  }
}
