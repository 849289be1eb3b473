// Re-rendering a report that the cycle could not make, shared by the routes of the cycles whose
// views offer it (dual commitments sets, postings): what the view shows about each report, and
// starting renderReportWorkflow (workflows/render-report.ts) audited in the same transaction
// as the request. The routes check role, jurisdiction and whether the report exists yet.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { recordAudit, type AuditActor } from '../domain/audit/record.ts';
import { reportRecordState, renderWorkflowId, type RenderReportWorkflowInput, type ReportRecordState, type ReportSubject } from '../activities/report-render.ts';
import { conflictOf } from '../domain/errors.ts';

export interface ReportEntry {
  type: string;
  quarter?: number;
  /** filed: on record; failed: the last attempt failed (reason); rendering: an attempt runs; not_filed: due but not made (yet). */
  status: 'filed' | 'failed' | 'rendering' | 'not_filed';
  sha256: string | null;
  version: number | null;
  reason: string | null;
  failedAt: Date | null;
  download: string | null;
  /** `POST <path>` that renders it again, for a failed or missing report. */
  render: string | null;
}

export async function isRunning(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** What a view shows about one report that is due. `cycleRendering`: the cycle itself is still making it. */
export async function reportEntry(
  em: EntityManager,
  temporal: Client,
  subject: ReportSubject,
  links: { download: (state: ReportRecordState) => string; render: string },
  cycleRendering: boolean | (() => Promise<boolean>) = false,
): Promise<ReportEntry> {
  const state = await reportRecordState(em, subject);
  const base = { type: subject.type, ...(subject.type === 'quarterly-review' ? { quarter: subject.quarter } : {}) };
  if (state.filed) {
    return { ...base, status: 'filed', sha256: state.filed.sha256, version: state.filed.version, reason: null, failedAt: null, download: links.download(state), render: null };
  }
  const cycleMakingIt = !state.failure && (typeof cycleRendering === 'function' ? await cycleRendering() : cycleRendering);
  const rendering = cycleMakingIt || (await isRunning(temporal, renderWorkflowId(subject, state.nextAttempt)));
  return {
    ...base,
    status: rendering ? 'rendering' : state.failure ? 'failed' : 'not_filed',
    sha256: null,
    version: null,
    reason: state.failure?.reason ?? null,
    failedAt: state.failure?.at ?? null,
    download: null,
    render: rendering ? null : `POST ${links.render}`,
  };
}

/**
 * Refuses what cannot be rendered again now (409: filed already, still being made) and starts
 * the next attempt, its audit row in the same transaction; a concurrent request for the same
 * attempt finds its workflow running and answers 409 already_rendering.
 */
export async function startReportRender(
  em: EntityManager,
  temporal: Client,
  taskQueue: string,
  input: { subject: ReportSubject; requestedBy: AuditActor & { accountId: string }; cycleRendering: boolean | (() => Promise<boolean>); download: string; statusPath: string },
): Promise<{ workflowId: string; attempt: number; status: string }> {
  const { subject } = input;
  const state = await reportRecordState(em, subject);
  if (state.filed) {
    throw conflictOf('already_filed', `this ${subject.type} is on file (version ${state.filed.version ?? 1}, SHA-256 ${state.filed.sha256}); download it at GET ${input.download}; a filed report is not rendered again`);
  }
  if (!state.failure && (typeof input.cycleRendering === 'function' ? await input.cycleRendering() : input.cycleRendering)) {
    throw conflictOf('rendering', `the cycle is still rendering this ${subject.type} (it retries a failing renderer for up to a day); it is listed as failed with its reason if it cannot be made`);
  }
  const attempt = state.nextAttempt;
  const workflowId = renderWorkflowId(subject, attempt);
  const args: RenderReportWorkflowInput = { subject, attempt, requestedBy: input.requestedBy };
  const entityType = subject.subjectType;
  await em.transactional(async (tx) => {
    await recordAudit(tx as EntityManager, {
      actor: input.requestedBy,
      action: `${entityType}.report_render_requested`,
      entityType,
      entityId: subject.subjectId,
      after: { report: subject.type, ...(subject.type === 'quarterly-review' ? { quarter: subject.quarter } : {}), attempt, workflowId, lastFailure: state.failure?.reason ?? null },
    });
    try {
      await temporal.workflow.start('renderReportWorkflow', { taskQueue, workflowId, args: [args] });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw conflictOf('already_rendering', `this ${subject.type} is being rendered again already (workflow ${workflowId}); see ${input.statusPath}`);
      }
      throw error;
    }
  });
  return { workflowId, attempt, status: input.statusPath };
}
