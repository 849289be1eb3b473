// Re-rendering a report the cycle could not make (the re-render step of
// domain/reports/contracts.ts), for the routes of the cycles whose views offer it (dual
// commitments sets, postings): what is on record about each report, what the view shows about
// it, and starting renderReportWorkflow (workflows/reports.ts) audited in the same transaction
// as the request. The routes check role, jurisdiction and whether the report exists yet.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { recordAudit, type AuditActor } from '../../domain/audit/record.ts';
import { escapeLike } from '../../domain/auth/scope.ts';
import { CommitmentSet } from '../../domain/entities/commitment.ts';
import { ReportFile } from '../../domain/entities/report-file.ts';
import { conflictOf } from '../../domain/errors.ts';
import {
  RERENDER_WORKFLOW_TYPE, postingReportKey, renderKeyOf, reportAuditActions, rerenderWorkflowId, type RerenderInput, type ReportSubject,
} from '../../domain/reports/contracts.ts';

/** SQL condition on audit_entry rows (alias-free) about this report: the cycle's and the re-renders'. */
function aboutReport(subject: ReportSubject): { sql: string; params: unknown[] } {
  if (subject.subjectType === 'commitment_set') return { sql: "entity_id = ? and after->>'report' = ?", params: [subject.subjectId, subject.type] };
  return { sql: "entity_id = ? and after->>'key' = ?", params: [subject.subjectId, postingReportKey(subject)] };
}

export interface ReportRecordState {
  /** The filed PDF (for a set: the one the set keeps; for a posting: the newest version). */
  filed: { sha256: string; reportFileId: string | null; version: number | null } | null;
  /** The newest recorded failure, by the cycle or by a re-render. */
  failure: { reason: string; at: Date; attempt: number | null } | null;
  /** The attempt a re-render asked for now would be (1 + failed re-renders). */
  nextAttempt: number;
}

/** What is on record about one report of one record. */
export async function reportRecordState(em: EntityManager, subject: ReportSubject): Promise<ReportRecordState> {
  const names = reportAuditActions(subject);
  const about = aboutReport(subject);
  const conn = em.getConnection();
  const [failures, attempts] = await Promise.all([
    conn.execute<{ reason: string | null; at: Date; attempt: string | null }[]>(
      `select after->>'reason' reason, at, after->>'attempt' attempt from audit_entry where action = ? and ${about.sql} order by seq desc limit 1`,
      [names.failed, ...about.params],
    ),
    conn.execute<{ n: string }[]>(`select count(*) n from audit_entry where action = ? and after->>'renderKey' = ?`, [names.failed, renderKeyOf(subject)]),
  ]);
  let filed: ReportRecordState['filed'] = null;
  if (subject.subjectType === 'commitment_set') {
    const set = await em.findOne(CommitmentSet, { id: subject.subjectId }, { fields: ['noticeSha256', 'recordSha256'] as never });
    const sha256 = subject.type === 'commitment-notice' ? set?.noticeSha256 : set?.recordSha256;
    if (sha256) {
      const where = { type: subject.type, subjectType: 'commitment_set', subjectId: subject.subjectId, sha256 };
      const file = await em.findOne(ReportFile, where, { orderBy: { version: 'asc' } });
      filed = { sha256, reportFileId: file?.id ?? null, version: file?.version ?? null };
    }
  } else {
    const file = await em.findOne(
      ReportFile,
      {
        type: subject.type,
        subjectType: 'posting',
        subjectId: subject.subjectId,
        $or: [{ requestKey: postingReportKey(subject) }, { requestKey: { $like: `${escapeLike(renderKeyOf(subject))}/%` } }],
      } as never,
      { orderBy: { version: 'desc' } },
    );
    if (file) filed = { sha256: file.sha256, reportFileId: file.id, version: file.version };
  }
  const failure = failures[0];
  return {
    filed,
    failure: failure
      ? { reason: failure.reason ?? 'unknown', at: new Date(failure.at), attempt: failure.attempt === null ? null : Number(failure.attempt) }
      : null,
    nextAttempt: 1 + Number(attempts[0]?.n ?? 0),
  };
}

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
    const { sha256, version } = state.filed;
    return { ...base, status: 'filed', sha256, version, reason: null, failedAt: null, download: links.download(state), render: null };
  }
  const cycleMakingIt = !state.failure && (typeof cycleRendering === 'function' ? await cycleRendering() : cycleRendering);
  const rendering = cycleMakingIt || (await isRunning(temporal, rerenderWorkflowId(subject, state.nextAttempt)));
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
  input: {
    subject: ReportSubject;
    requestedBy: AuditActor & { accountId: string };
    cycleRendering: boolean | (() => Promise<boolean>);
    download: string;
    statusPath: string;
  },
): Promise<{ workflowId: string; attempt: number; status: string }> {
  const { subject } = input;
  const state = await reportRecordState(em, subject);
  if (state.filed) {
    const filed = `version ${state.filed.version ?? 1}, SHA-256 ${state.filed.sha256}`;
    throw conflictOf('already_filed', `this ${subject.type} is on file (${filed}); download it at GET ${input.download}; a filed report is not rendered again`);
  }
  if (!state.failure && (typeof input.cycleRendering === 'function' ? await input.cycleRendering() : input.cycleRendering)) {
    throw conflictOf('rendering', `the cycle is still rendering this ${subject.type} (it retries a failing renderer for up to a day); `
      + 'it is listed as failed with its reason if it cannot be made');
  }
  const attempt = state.nextAttempt;
  const workflowId = rerenderWorkflowId(subject, attempt);
  const args: RerenderInput = { subject, attempt, requestedBy: input.requestedBy };
  const entityType = subject.subjectType;
  await em.transactional(async (tx) => {
    await recordAudit(tx as EntityManager, {
      actor: input.requestedBy,
      action: `${entityType}.report_render_requested`,
      entityType,
      entityId: subject.subjectId,
      after: {
        report: subject.type,
        ...(subject.type === 'quarterly-review' ? { quarter: subject.quarter } : {}),
        attempt,
        workflowId,
        lastFailure: state.failure?.reason ?? null,
      },
    });
    try {
      await temporal.workflow.start(RERENDER_WORKFLOW_TYPE, { taskQueue, workflowId, args: [args] });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw conflictOf('already_rendering', `this ${subject.type} is being rendered again already (workflow ${workflowId}); see ${input.statusPath}`);
      }
      throw error;
    }
  });
  return { workflowId, attempt, status: input.statusPath };
}
