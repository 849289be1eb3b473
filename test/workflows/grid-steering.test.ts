// The steering task workflow (月调度、季督导) on the project's devserver with time skipping,
// activities stubbed: a task set now and due next January reports its first month (a month to
// come and a second report of the same month are refused), is reminded before the next month ends
// and flagged overdue (escalated) when it ends unreported, still takes that month late; a
// quarterly finding is reminded and escalated past its rectification deadline, then rectified;
// closing is refused until the task reports 100% with nothing open; the run continues as new in
// January and the task closes in the new run. Both runs' histories replay, and so does the history
// recorded in test/workflows/histories (a history of this code as first landed).
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import type { SteeringStepInput } from '../../activities/grid-steering.ts';
import {
  addSteeringFinding, closeSteeringTask, fileSteeringReport, gridSteeringWorkflowId, rectifySteeringFinding, type GridSteeringInput,
} from '../../domain/grid-steering/contracts.ts';
import { findingOverdueAt, findingRemindAt, reportMonths, reportOverdueAt, reportRemindAt } from '../../domain/grid-steering/rules.ts';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../domain/time.ts';
import { gridSteeringTask } from '../../workflows/grid-steering.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';

const HOUR = 3_600_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const RECORDED = path.join(here, 'histories/grid-steering-v1.json');
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'grid-steering-test';
const steps: SteeringStepInput[] = [];
const owner = { accountId: 'acc-street', login: 'street' };
const dept = { accountId: 'acc-dept', login: 'dept' };

beforeAll(async () => {
  harness = await startWorkflowHarness({
    taskQueue,
    activities: { recordSteeringStep: async (input: SteeringStepInput) => void steps.push(input) },
    reportActivities: { renderReport: async () => { throw new Error('no reports here'); } },
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}
/** Timers fire at their instant, give or take the worker's milliseconds. */
const expectNear = (at: number, expected: number) => expect(Math.abs(at - expected)).toBeLessThan(1_000);
const sleepUntil = async (at: number) => env.sleep(Math.max(0, at - (await env.currentTimeMs())));

describe('gridSteeringTask workflow', () => {
  it('reminds, flags overdue months and findings to the supervisor, continues as new in January and closes when done', async () => {
    const t0 = await env.currentTimeMs();
    const today = shanghaiDate(t0);
    const nextYear = Number(today.slice(0, 4)) + 1;
    const months = reportMonths(today, `${nextYear}-01-31`);
    const [m0, m1] = months as [string, string];
    const january = months.at(-1)!;
    const taskId = 'task-1';
    const workflowId = gridSteeringWorkflowId(taskId);
    const input: GridSteeringInput = { taskId, months };
    const handle = await env.client.workflow.start(gridSteeringTask, { taskQueue, workflowId, args: [input] });
    const firstRun = handle.firstExecutionRunId;
    const report = (month: string, progress: number) =>
      handle.executeUpdate(fileSteeringReport, { args: [{ actor: owner, month, progress, content: `${month}进度${progress}%` }] });

    // 月调度: next January is not due yet; this month is, once.
    expect(await refusalType(report(january, 10))).toBe('NotDue');
    expect(await refusalType(report('2020-01', 10))).toBe('NotDue');
    expect(await refusalType(report(m0, 101))).toBe('Invalid');
    expect((await report(m0, 10)).filed).toEqual([m0]);
    expect(await refusalType(report(m0, 20))).toBe('AlreadyReported');

    // 季督导: a finding due in ten days (a deadline already past is refused).
    const finding = (findingId: string, rectifyBy: string) =>
      handle.executeUpdate(addSteeringFinding, { args: [{ actor: dept, findingId, finding: '居民意见征询滞后', rectifyBy }] });
    expect(await refusalType(finding('f-0', addDays(today, -1)))).toBe('Invalid');
    const rectifyBy = addDays(today, 10);
    expect((await finding('f-1', rectifyBy)).findings).toMatchObject([{ id: 'f-1', rectifyBy, rectified: false }]);

    // Nobody reports the next month: reminded three days before it ends, flagged overdue when it ends; the finding likewise.
    await sleepUntil(reportOverdueAt(m1) + HOUR);
    const of = (kind: string, key: string) => steps.find((s) => s.step === kind && (s.detail.month === key || s.detail.findingId === key));
    expectNear(of('report_reminded', m1)!.at, reportRemindAt(m1));
    expectNear(of('report_overdue', m1)!.at, reportOverdueAt(m1));
    expect(of('report_overdue', m1)!.state.overdue).toContain(m1);
    expectNear(of('finding_reminded', 'f-1')!.at, findingRemindAt(rectifyBy));
    expectNear(of('finding_overdue', 'f-1')!.at, findingOverdueAt(rectifyBy));
    expect(of('report_overdue', m0)).toBeUndefined();

    // The month is still taken late, and marked so; the finding is rectified once.
    expect((await report(m1, 40)).filedLate).toEqual([m1]);
    const rectify = () => handle.executeUpdate(rectifySteeringFinding, { args: [{ actor: owner, findingId: 'f-1', rectification: '已完成意见征询' }] });
    expect((await rectify()).findings[0]!.rectified).toBe(true);
    expect(await refusalType(rectify())).toBe('AlreadyRectified');
    const close = () => handle.executeUpdate(closeSteeringTask, { args: [{ actor: dept, note: '验收合格' }] });
    expect(await refusalType(close())).toBe('WrongPhase');

    // January: the year's run continued as new, carrying the state; the task reports 100% and closes.
    await sleepUntil(startOfShanghaiDay(`${nextYear}-01-01`) + HOUR);
    const described = await handle.describe();
    expect(described.runId).not.toBe(firstRun);
    expect((await report(january, 100)).filed).toEqual([m0, m1, january]);
    const closed = await close();
    expect(closed).toMatchObject({ status: 'closed', progress: 100 });
    const result = await handle.result();
    // Every month but the first and January was flagged overdue (one of them filed late).
    expect(result).toEqual({ status: 'closed', filed: 3, overdue: months.length - 2, findings: 1 });
    expect(steps.filter((s) => s.step === 'started')).toHaveLength(1);
    expect(steps.at(-1)).toMatchObject({ step: 'closed', detail: { note: '验收合格' } });

    await harness.replay(workflowId, firstRun);
    await harness.replay(workflowId);
    if (process.env.RECORD_HISTORIES) {
      const history = await env.client.workflow.getHandle(workflowId, firstRun).fetchHistory();
      await writeFile(RECORDED, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
    }
  }, 180_000);

  it('still replays the history recorded when the workflow landed', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(RECORDED, 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, 'grid-steering-v1');
    const updates = history.events!.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name).filter(Boolean);
    expect(updates).toEqual(['fileSteeringReport', 'addSteeringFinding']);
    // Its run ended by continuing as new when the year turned (recorded on 2026-11-30, Shanghai).
    expect(history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  }, 60_000);
});
