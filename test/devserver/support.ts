// Shared helpers for the devserver suite: the bin path, one workflow bundle per file, replay.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Client } from '@temporalio/client';

const here = path.dirname(fileURLToPath(import.meta.url));
export const devserverBin = path.resolve(here, '../../devserver/bin/devserver');
export const workflowsPath = path.resolve(here, 'workflows/index.ts');
export const activitiesPath = path.resolve(here, 'workflows/activities.ts');

export async function bundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}

const noop = () => undefined;
export const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** Replays the final history of each workflow; throws on any nondeterminism or shape error. */
export async function replayAll(client: Client, workflowBundle: WorkflowBundleWithSourceMap, ids: { workflowId: string; runId?: string }[]): Promise<void> {
  for (const id of ids) {
    const history = await client.workflow.getHandle(id.workflowId, id.runId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle }, history, id.workflowId);
  }
}
