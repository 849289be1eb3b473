// The report activities (the steps are named in domain/reports/contracts.ts). renderReport
// renders a ReportRequest, stores the PDF content-addressed and, with an ORM, files a ReportFile
// row with the next version for its subject; a report worker runs it on its own task queue
// (reportsTaskQueueFor in workflows/task-queues.ts) with bounded concurrency, so a burst of
// year-end reports waits in Temporal instead of opening pages until memory runs out.
// recordReportRender records a re-render's outcome (renderReportWorkflow) the way the cycle
// records its own: a dual commitments set keeps the first filed SHA-256 (never overwritten),
// and the SHA-256 (or the reason of a failure) goes to the audit log under the person who asked.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ReportFile } from '../domain/entities/report-file.ts';
import { recordAudit } from '../domain/audit/record.ts';
import { documentNumberOf } from '../domain/documents/issuer.ts';
import {
  postingReportKey, quarterOf, renderKeyOf, reportAuditActions, type RenderedReport, type ReportRequest, type RerenderInput, type RerenderOutcome,
} from '../domain/reports/contracts.ts';
import type { ReportMeta } from '../reports/contracts/meta.ts';
import { ReportDataError, ReportTemplateError, UnknownReportTypeError } from '../reports/errors.ts';
import type { ReportStore } from '../reports/store.ts';
import { clockOf, type Clock } from '../domain/clock.ts';

/**
 * Activities a report worker runs at once. Each holds a browser page while printing, so this
 * matches the renderer's page pool (more would only queue inside the process, where Temporal
 * cannot see or time them).
 */
export const reportWorkerConcurrency = (maxConcurrentPages: number) => maxConcurrentPages;

/** What the activity needs from the renderer (reports/renderer.ts). */
export interface ReportRendererPort {
  render(type: string, data: unknown, meta: ReportMeta): Promise<{ pdf: Buffer; sha256: string; bytes: number; pages: number }>;
}

export interface ReportActivityDeps {
  renderer: ReportRendererPort;
  store: ReportStore;
  /** Without an ORM the PDF is rendered and stored but no ReportFile row is written. */
  orm?: MikroORM | null;
  /** The service's clock (domain/clock.ts); defaults to the one bound to the ORM. */
  clock?: Clock;
}

const VERSION_ATTEMPTS = 5;

function currentRequestKey(): string | undefined {
  try {
    const info = activityInfo();
    // Standalone activities (no workflow) have no execution; their activity id is unique enough.
    const execution = info.workflowExecution;
    return execution ? `${execution.workflowId}/${execution.runId}/${info.activityId}` : `activity/${info.activityId}`;
  } catch {
    // Called outside an activity (a script, a test): no key, every call is a new version.
    return undefined;
  }
}

export function createReportActivities(deps: ReportActivityDeps) {
  const clock = deps.clock ?? clockOf(deps.orm?.em);
  async function existingFor(requestKey: string | undefined): Promise<ReportFile | null> {
    if (!deps.orm || !requestKey) return null;
    return (deps.orm.em.fork() as EntityManager).findOne(ReportFile, { requestKey });
  }

  /** Inserts the next version; two renders of one subject at once race on the unique key and the loser takes the next number. */
  type Rendered = { sha256: string; bytes: number; pages: number };
  async function fileVersion(input: ReportRequest, requestKey: string | undefined, rendered: Rendered): Promise<ReportFile> {
    const orm = deps.orm as MikroORM;
    for (let attempt = 1; ; attempt += 1) {
      const em = orm.em.fork() as EntityManager;
      try {
        return await em.transactional(async (tx) => {
          const [row] = await tx.execute<{ next: number }[]>(
            'select coalesce(max(version), 0) + 1 as next from report_file where type = ? and subject_type = ? and subject_id = ?',
            [input.type, input.subjectType, input.subjectId],
          );
          const file = tx.create(ReportFile, {
            id: randomUUID(),
            type: input.type,
            subjectType: input.subjectType,
            subjectId: input.subjectId,
            cycleId: input.cycleId ?? null,
            version: Number(row?.next ?? 1),
            sha256: rendered.sha256,
            bytes: rendered.bytes,
            pages: rendered.pages,
            createdBy: input.createdBy,
            requestKey: requestKey ?? null,
            createdAt: clock.now(),
          });
          await tx.flush();
          return file;
        });
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        // The same request already filed (a retry racing itself): that row is the answer.
        const filed = await existingFor(requestKey);
        if (filed) return filed;
        if (attempt >= VERSION_ATTEMPTS) throw error;
      }
    }
  }

  return {
    async renderReport(input: ReportRequest): Promise<RenderedReport> {
      const requestKey = input.requestKey ?? currentRequestKey();
      const filed = await existingFor(requestKey);
      if (filed && (await deps.store.exists(filed.sha256))) {
        const storagePath = deps.store.relativePath(filed.sha256);
        return { sha256: filed.sha256, bytes: filed.bytes, pages: filed.pages, storagePath, reportFileId: filed.id, version: filed.version };
      }
      let rendered;
      try {
        rendered = await deps.renderer.render(input.type, input.data, input.meta);
      } catch (error) {
        // Bad data or a broken template fails the same way on every attempt: do not retry it.
        if (error instanceof ReportDataError || error instanceof UnknownReportTypeError || error instanceof ReportTemplateError) {
          throw ApplicationFailure.nonRetryable(error.message, error.name, { code: error.code, path: error instanceof ReportDataError ? error.path : null });
        }
        throw error;
      }
      const stored = await deps.store.put(rendered.pdf, rendered.sha256);
      const file = deps.orm ? await fileVersion(input, requestKey, rendered) : null;
      return {
        sha256: stored.sha256,
        bytes: stored.bytes,
        pages: rendered.pages,
        storagePath: stored.relativePath,
        reportFileId: file?.id ?? null,
        version: file?.version ?? null,
      };
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;

export function createReportRerenderActivities(deps: { orm: MikroORM }) {
  return {
    /** Records a re-render's outcome once (keyed by its workflow ID), under the person who asked. */
    async recordReportRender(input: RerenderInput & { workflowId: string; outcome: RerenderOutcome }): Promise<void> {
      const { subject, outcome } = input;
      const names = reportAuditActions(subject);
      await (deps.orm.em.fork() as EntityManager).transactional(async (tx) => {
        const [done] = await tx.execute<{ n: string }[]>(
          "select count(*) n from audit_entry where entity_type = ? and entity_id = ? and action in (?, ?) and after->>'workflowId' = ?",
          [names.entityType, subject.subjectId, names.filed, names.failed, input.workflowId],
        );
        if (Number(done?.n ?? 0) > 0) return;
        const about = {
          report: subject.type,
          ...(subject.subjectType === 'posting' ? { key: postingReportKey(subject), quarter: quarterOf(subject) } : {}),
          renderKey: renderKeyOf(subject),
          attempt: input.attempt,
          workflowId: input.workflowId,
        };
        const audit = { actor: input.requestedBy, entityType: names.entityType, entityId: subject.subjectId };
        if (outcome.status === 'stored') {
          if (subject.subjectType === 'commitment_set') {
            // Like the cycle's recordReport: the set keeps the first PDF filed, never overwritten.
            const column = subject.type === 'commitment-notice' ? 'notice_sha256' : 'record_sha256';
            await tx.execute(`update commitment_set set ${column} = ? where id = ? and ${column} is null`, [outcome.sha256, subject.subjectId]);
          }
          // The record's document number (allocated when the cycle first filed it); a notice has none.
          const numbered = subject.subjectType === 'commitment_set' && subject.type !== 'commitment-notice';
          const documentNumber = numbered ? await documentNumberOf(tx, subject.type, `commitment_set/${subject.subjectId}`) : null;
          const after = { ...about, sha256: outcome.sha256, documentNumber, reportFileId: outcome.reportFileId, version: outcome.version };
          await recordAudit(tx, { ...audit, action: names.filed, after });
        } else {
          await recordAudit(tx, { ...audit, action: names.failed, after: { ...about, reason: outcome.reason.slice(0, 1000) } });
        }
      });
    },
  };
}

export type ReportRerenderActivities = ReturnType<typeof createReportRerenderActivities>;
