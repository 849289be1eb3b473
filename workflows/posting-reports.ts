// PDFs of the posting cycle through the shared report pipeline: the data comes from a
// main-queue activity (activities/posting.ts, built by reports/data/posting.ts), renderReport
// runs on the reports task queue with bounded concurrency and files a versioned ReportFile row.
// Requests carry business keys (posting/<id>/quarterly-review/<n>, …), so a report is rendered
// once however often the workflow or activity is retried. A PDF that cannot be made is recorded and the department
// told; the posting goes on without it.
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PostingActivityContract, PostingReportRendering, PostingReportRequest, PostingReportStatus } from '../domain/posting/contracts.ts';
import { reportsTaskQueueFor } from './task-queues.ts';
import { NON_RETRYABLE_REPORT_ERRORS } from '../domain/reports/contracts.ts';

const acts = proxyActivities<PostingActivityContract>({ startToCloseTimeout: '1 minute' });

const rendering = () =>
  proxyActivities<PostingReportRendering>({
    taskQueue: reportsTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: '10s', maximumInterval: '30 minutes', nonRetryableErrorTypes: NON_RETRYABLE_REPORT_ERRORS },
  });

/** Renders and files one report; a failure is recorded (and returned), never thrown. */
export async function renderPostingReport(
  request: PostingReportRequest,
  context: { cohortId: string; postingId: string | null },
): Promise<PostingReportStatus> {
  try {
    const stored = await rendering().renderReport(request);
    return { type: request.type, key: request.requestKey, status: 'stored', sha256: stored.sha256, reportFileId: stored.reportFileId, problem: null };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const reason = error.cause?.message ?? error.message;
    await acts.recordPostingReportFailure({ ...context, type: request.type, key: request.requestKey, reason });
    return { type: request.type, key: request.requestKey, status: 'failed', sha256: null, reportFileId: null, problem: reason };
  }
}
