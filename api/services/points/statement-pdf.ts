// 积分月结单 PDF: one account's month, rendered by the pointStatement workflow through the
// reports queue (the same pipeline as every report) and read back from the report store. The
// account must be in the caller's communities (404 otherwise, as one that does not exist).
// Rendered once per account, month and state of its ledger: the workflow ID (which is the stored
// report's request key) ends with a digest of the entries the statement prints (up to that month,
// with their statuses), so a second download serves the stored PDF without a workflow, and a month
// whose ledger has moved since (a new credit, a confirmation) is rendered anew.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflictOf } from '../../../domain/errors.ts';
import { parseMonth } from '../../../domain/points/rules.ts';
import {
  POINT_STATEMENT_WORKFLOW, pointStatementWorkflowId, type PointStatementInput, type PointStatementResult,
} from '../../../domain/points/contracts.ts';
import { reportRelativePath } from '../../../reports/store.ts';
import { resultWhenTaken, type WorkflowBounds } from '../../workflow-refusals.ts';
import type { Caller } from './access.ts';
import type { createLedgerService } from './ledger.ts';

/** How long the request waits for the PDF (a cold browser included). */
const RENDER_MS = 120_000;

export function createStatementPdfService(app: FastifyInstance, ledger: ReturnType<typeof createLedgerService>) {
  const { temporal, config } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  return async function statementPdf(caller: Caller, accountId: string, month: string): Promise<{ sha256: string; pdf: Buffer; name: string }> {
    parseMonth(month, 'params.month');
    const { account } = await ledger.account(caller, accountId);
    const name = `point-statement-${month}.pdf`;
    const workflowId = pointStatementWorkflowId(account.id, month, await ledgerDigest(caller.em, account.id, month));
    const [filed] = await caller.em.execute<{ sha256: string }[]>('select sha256 from report_file where request_key = ?', [workflowId]);
    const stored = filed ? await readFile(path.join(config.DATA_DIR, reportRelativePath(filed.sha256))).catch(() => null) : null;
    if (stored) return { sha256: filed!.sha256, pdf: stored, name };

    const input: PointStatementInput = { accountId: account.id, month, requestedBy: caller.principal.accountId };
    const handle = await temporal.workflow.start(POINT_STATEMENT_WORKFLOW, { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] })
      .catch((error) => {
        // Another download of the same statement is rendering it: wait for that one.
        if (error instanceof WorkflowExecutionAlreadyStartedError) return temporal.workflow.getHandle(workflowId);
        throw error;
      });
    const result = await resultWhenTaken<PointStatementResult>(bounds, handle, RENDER_MS);
    if (!result.sha256) throw conflictOf('report_failed', result.problem ?? 'the statement could not be rendered');
    const pdf = await readFile(path.join(config.DATA_DIR, reportRelativePath(result.sha256)));
    return { sha256: result.sha256, pdf, name };
  };
}

/** What the month's statement prints, in short: every entry up to the month's end and its status. */
async function ledgerDigest(em: EntityManager, accountId: string, month: string): Promise<string> {
  const [row] = await em.execute<{ digest: string }[]>(
    `select md5(coalesce(string_agg(e.id::text || ':' || e.status, ',' order by e.id), '')) digest from point_entry e
      where e.account_id = ? and to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYY-MM') <= ?`, [accountId, month]);
  return row!.digest.slice(0, 16);
}
