// 积分月结单 PDF: one account's month, rendered by the pointStatement workflow through the
// reports queue (the same pipeline as every report) and read back from the report store. The
// account must be in the caller's communities (404 otherwise, as one that does not exist).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
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
    const input: PointStatementInput = { accountId: account.id, month, requestedBy: caller.principal.accountId };
    const handle = await temporal.workflow.start(POINT_STATEMENT_WORKFLOW, {
      taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: pointStatementWorkflowId(account.id, month, randomUUID()), args: [input],
    });
    const result = await resultWhenTaken<PointStatementResult>(bounds, handle, RENDER_MS);
    if (!result.sha256) throw conflictOf('report_failed', result.problem ?? 'the statement could not be rendered');
    const pdf = await readFile(path.join(config.DATA_DIR, reportRelativePath(result.sha256)));
    return { sha256: result.sha256, pdf, name: `point-statement-${month}.pdf` };
  };
}
