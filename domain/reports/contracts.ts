// The report concern, one name per step, shared by the three cycles:
//   request    ReportRequest: what a cycle asks to print (type, data, meta, the record it is
//              about). Built from the records by the cycle's own activity (prepare…Report).
//   render     the renderReport activity (activities/reports.ts, reports task queue) prints it
//              with the renderer (reports/renderer.ts) and answers a RenderedReport;
//   store      it keeps the PDF in the ReportStore (reports/store.ts, content-addressed under
//              DATA_DIR) and files a ReportFile row with the next version of its subject;
//   re-render  renderReportWorkflow (workflows/reports.ts) prints one report of one record
//              again when the cycle could not make it: started by api/services/reports.ts for the
//              person who asked, its outcome recorded by recordReportRender (activities/reports.ts).
// Contracts only: the workflows import this module, so it holds types and plain values.
import type { ReportMeta } from '../../reports/contracts/meta.ts';
import type { CommitmentReportType } from '../dual-commitment/contracts.ts';
import { postingWorkflowId, type PostingReportSubject } from '../posting/contracts.ts';

/** What a cycle asks the renderReport activity to print. */
export interface ReportRequest {
  type: string;
  data: unknown;
  meta: ReportMeta;
  /** What the report shows, for download authorization: e.g. commitment_set, posting, unit. */
  subjectType: string;
  subjectId: string;
  cycleId?: string | null;
  /** Account id, or a system label such as workflow:<id>. */
  createdBy: string;
  /**
   * Makes a retried render find its row instead of adding a version. Defaults to the Temporal
   * workflow, run and activity ids, which stay the same across retries of one activity.
   */
  requestKey?: string;
}

/** What renderReport answers: the stored PDF and, with an ORM, its ReportFile row. */
export interface RenderedReport {
  sha256: string;
  bytes: number;
  pages: number;
  /** Relative to DATA_DIR. */
  storagePath: string;
  /** Null without an ORM. */
  reportFileId: string | null;
  version: number | null;
}

/** Error types of the report pipeline that a retry cannot fix (bad data, unknown type, broken template, store refused). */
export const NON_RETRYABLE_REPORT_ERRORS = ['ReportDataError', 'UnknownReportTypeError', 'ReportTemplateError', 'ReportStoreError'];

/** One report of one record that can be rendered again. */
export type ReportSubject = { subjectType: 'commitment_set'; subjectId: string; type: CommitmentReportType } | PostingReportSubject;

/** Input of renderReportWorkflow: which report, which attempt, who asked. */
export interface RerenderInput {
  subject: ReportSubject;
  attempt: number;
  requestedBy: { accountId: string; label: string };
}

export type RerenderOutcome =
  | { status: 'stored'; sha256: string; reportFileId: string | null; version: number | null }
  | { status: 'failed'; reason: string };

export interface RerenderResult {
  subject: ReportSubject;
  attempt: number;
  outcome: RerenderOutcome;
}

/** The workflow type of a re-render (unchanged: running histories replay under it). */
export const RERENDER_WORKFLOW_TYPE = 'renderReportWorkflow';

export const quarterOf = (subject: ReportSubject): number | null => (subject.type === 'quarterly-review' ? subject.quarter : null);

/** Names one report of one record: report-render/<subjectType>/<subjectId>/<type>[-q<quarter>]. */
export function renderKeyOf(subject: ReportSubject): string {
  const quarter = quarterOf(subject);
  return `report-render/${subject.subjectType}/${subject.subjectId}/${subject.type}${quarter ? `-q${quarter}` : ''}`;
}

/**
 * The workflow ID of one re-render attempt: a second request while an attempt runs (a double
 * click) finds it running and is refused; the next attempt gets a new ID once this one failed.
 */
export const rerenderWorkflowId = (subject: ReportSubject, attempt: number): string => `${renderKeyOf(subject)}/${attempt}`;

/** The business key under which the posting workflows file a posting's report. */
export function postingReportKey(subject: ReportSubject & { subjectType: 'posting' }): string {
  const posting = postingWorkflowId(subject.subjectId);
  return subject.type === 'quarterly-review' ? `${posting}/quarterly-review/${subject.quarter}` : `${posting}/final-assessment`;
}

/** The audit actions under which a record's report is filed or fails, by the cycle or a re-render. */
export function reportAuditActions(subject: ReportSubject): { entityType: string; filed: string; failed: string } {
  return subject.subjectType === 'commitment_set'
    ? { entityType: 'commitment_set', filed: 'commitment_set.report_filed', failed: 'commitment_set.report_failed' }
    : { entityType: 'posting', filed: 'posting.report_filed', failed: 'posting.report_failed' };
}
