// Renders one report of one record again, after the cycle could not make it (renderer down past
// its retry window, a template fixed since) or never did: a dual commitments set's notice,
// evaluation record or 写实评价, a posting's quarterly report or final assessment form. Started
// by the API (api/services/reports.ts) for the responsible staff, ID
// report-render/<subjectType>/<subjectId>/<type>/<attempt> (rerenderWorkflowId in
// domain/reports/contracts.ts), so a double click does not render twice at once. The data is
// built from the records by the cycle's own activity (main queue), the PDF rendered and filed as a
// new ReportFile version by the shared renderReport activity on the reports queue, and the
// outcome recorded as the cycle would have: SHA-256 (or the reason of a failure) in the audit log.
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DualCommitmentActivities } from '../activities/dual-commitment.ts';
import type { ReportRerenderActivities } from '../activities/reports.ts';
import { NON_RETRYABLE_REPORT_ERRORS, type ReportRequest, type RerenderInput, type RerenderOutcome, type RerenderResult } from '../domain/reports/contracts.ts';
import type { PostingActivityContract, PostingReportRendering } from '../domain/posting/contracts.ts';
import { reportsTaskQueueFor } from './task-queues.ts';

type Acts = Pick<DualCommitmentActivities, 'prepareCommitmentReport'> & Pick<PostingActivityContract, 'preparePostingReport'> & ReportRerenderActivities;

const acts = proxyActivities<Acts>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '2s', maximumInterval: '1 minute' } });

export async function renderReportWorkflow(input: RerenderInput): Promise<RerenderResult> {
  const { subject } = input;
  const { workflowId, taskQueue } = workflowInfo();
  // Someone is waiting for this one: retry a failing renderer for an hour, not a day.
  const rendering = proxyActivities<PostingReportRendering>({
    taskQueue: reportsTaskQueueFor(taskQueue),
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '1 hour',
    retry: { initialInterval: '10s', maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE_REPORT_ERRORS },
  });
  const rerender = { createdBy: input.requestedBy.accountId, requestKey: workflowId };
  let request: ReportRequest | null;
  if (subject.subjectType === 'commitment_set') {
    request = await acts.prepareCommitmentReport({ setId: subject.subjectId, type: subject.type, ...rerender });
  } else if (subject.type === 'quarterly-review') {
    request = await acts.preparePostingReport({ postingId: subject.subjectId, type: 'quarterly-review', quarter: subject.quarter, rerender });
  } else {
    request = await acts.preparePostingReport({ postingId: subject.subjectId, type: 'final-assessment', rerender });
  }
  let outcome: RerenderOutcome;
  if (!request) {
    outcome = { status: 'failed', reason: 'there is nothing to print yet: the cycle has not reached the point where this report exists' };
  } else {
    try {
      const stored = await rendering.renderReport(request);
      outcome = { status: 'stored', sha256: stored.sha256, reportFileId: stored.reportFileId, version: stored.version };
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      outcome = { status: 'failed', reason: error.cause?.message ?? error.message };
    }
  }
  await acts.recordReportRender({ ...input, workflowId, outcome });
  return { subject, attempt: input.attempt, outcome };
}
