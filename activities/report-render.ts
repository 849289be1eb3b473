// Rendering a report again after the cycle could not make it (renderReportWorkflow): which
// report of which record, the workflow ID of each attempt, what is on record about it (filed,
// failed with a reason, still to make), and the activity that records a re-render's outcome
// the way the cycle records its own: the PDF is filed as a new ReportFile version by the shared
// renderReport activity, a dual commitments set keeps the first filed SHA-256 (never
// overwritten), and the SHA-256 (or the reason of a failure) goes to the audit log under the
// person who asked.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, type AuditActor } from '../domain/audit/record.ts';
import { CommitmentSet } from '../domain/entities/commitment.ts';
import { ReportFile } from '../domain/entities/report-file.ts';
import { escapeLike } from '../domain/auth/scope.ts';
import { postingWorkflowId } from '../domain/posting/contracts.ts';
import type { CommitmentReportType } from '../domain/dual-commitment/contracts.ts';
import { documentNumberOf } from '../domain/documents/issuer.ts';

/** One report of one record that can be rendered again. */
export type ReportSubject =
  | { subjectType: 'commitment_set'; subjectId: string; type: CommitmentReportType }
  | { subjectType: 'posting'; subjectId: string; type: 'final-assessment' }
  | { subjectType: 'posting'; subjectId: string; type: 'quarterly-review'; quarter: number };

export interface RenderReportWorkflowInput {
  subject: ReportSubject;
  attempt: number;
  requestedBy: AuditActor & { accountId: string };
}

export type RenderOutcome =
  | { status: 'stored'; sha256: string; reportFileId: string | null; version: number | null }
  | { status: 'failed'; reason: string };

export interface RenderReportWorkflowResult {
  subject: ReportSubject;
  attempt: number;
  outcome: RenderOutcome;
}

const quarterOf = (subject: ReportSubject) => (subject.type === 'quarterly-review' ? subject.quarter : null);

/** Names one report of one record: report-render/<subjectType>/<subjectId>/<type>[-q<quarter>]. */
export function renderKeyOf(subject: ReportSubject): string {
  const quarter = quarterOf(subject);
  return `report-render/${subject.subjectType}/${subject.subjectId}/${subject.type}${quarter ? `-q${quarter}` : ''}`;
}

/**
 * The workflow ID of one attempt: a second request while an attempt runs (a double click) finds
 * it running and is refused; the next attempt gets a new ID once this one has failed.
 */
export const renderWorkflowId = (subject: ReportSubject, attempt: number) => `${renderKeyOf(subject)}/${attempt}`;

/** The business key under which the posting workflows file a posting's report. */
export function postingReportKey(subject: ReportSubject & { subjectType: 'posting' }): string {
  return subject.type === 'quarterly-review' ? `${postingWorkflowId(subject.subjectId)}/quarterly-review/${subject.quarter}` : `${postingWorkflowId(subject.subjectId)}/final-assessment`;
}

const auditNames = (subject: ReportSubject) =>
  subject.subjectType === 'commitment_set'
    ? { entityType: 'commitment_set', filed: 'commitment_set.report_filed', failed: 'commitment_set.report_failed' }
    : { entityType: 'posting', filed: 'posting.report_filed', failed: 'posting.report_failed' };

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
  const names = auditNames(subject);
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
      const file = await em.findOne(ReportFile, { type: subject.type, subjectType: 'commitment_set', subjectId: subject.subjectId, sha256 }, { orderBy: { version: 'asc' } });
      filed = { sha256, reportFileId: file?.id ?? null, version: file?.version ?? null };
    }
  } else {
    const file = await em.findOne(
      ReportFile,
      { type: subject.type, subjectType: 'posting', subjectId: subject.subjectId, $or: [{ requestKey: postingReportKey(subject) }, { requestKey: { $like: `${escapeLike(renderKeyOf(subject))}/%` } }] } as never,
      { orderBy: { version: 'desc' } },
    );
    if (file) filed = { sha256: file.sha256, reportFileId: file.id, version: file.version };
  }
  const failure = failures[0];
  return {
    filed,
    failure: failure ? { reason: failure.reason ?? 'unknown', at: new Date(failure.at), attempt: failure.attempt === null ? null : Number(failure.attempt) } : null,
    nextAttempt: 1 + Number(attempts[0]?.n ?? 0),
  };
}

export function createReportRenderActivities(deps: { orm: MikroORM }) {
  return {
    /** Records a re-render's outcome once (keyed by its workflow ID), under the person who asked. */
    async recordReportRender(input: RenderReportWorkflowInput & { workflowId: string; outcome: RenderOutcome }): Promise<void> {
      const { subject, outcome } = input;
      const names = auditNames(subject);
      await (deps.orm.em.fork() as EntityManager).transactional(async (tx) => {
        const [done] = await tx.execute<{ n: string }[]>(
          "select count(*) n from audit_entry where action in (?, ?) and entity_id = ? and after->>'workflowId' = ?",
          [names.filed, names.failed, subject.subjectId, input.workflowId],
        );
        if (Number(done?.n ?? 0) > 0) return;
        const about = {
          report: subject.type,
          ...(subject.subjectType === 'posting' ? { key: postingReportKey(subject), quarter: quarterOf(subject) } : {}),
          renderKey: renderKeyOf(subject),
          attempt: input.attempt,
          workflowId: input.workflowId,
        };
        if (outcome.status === 'stored') {
          if (subject.subjectType === 'commitment_set') {
            // Like the cycle's recordReport: the set keeps the first PDF filed, never overwritten.
            const column = subject.type === 'commitment-notice' ? 'notice_sha256' : 'record_sha256';
            await tx.execute(`update commitment_set set ${column} = ? where id = ? and ${column} is null`, [outcome.sha256, subject.subjectId]);
          }
          await recordAudit(tx, {
            actor: input.requestedBy,
            action: names.filed,
            entityType: names.entityType,
            entityId: subject.subjectId,
            after: {
              ...about,
              sha256: outcome.sha256,
              documentNumber: subject.subjectType === 'commitment_set' && subject.type !== 'commitment-notice' ? await documentNumberOf(tx, subject.type, `commitment_set/${subject.subjectId}`) : null,
              reportFileId: outcome.reportFileId,
              version: outcome.version,
            },
          });
        } else {
          await recordAudit(tx, { actor: input.requestedBy, action: names.failed, entityType: names.entityType, entityId: subject.subjectId, after: { ...about, reason: outcome.reason.slice(0, 1000) } });
        }
      });
    },
  };
}

export type ReportRenderActivities = ReturnType<typeof createReportRenderActivities>;
