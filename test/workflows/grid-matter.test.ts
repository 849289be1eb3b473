// The grid matter workflow on the project's devserver with time skipping, activities stubbed:
// a matter nobody answers climbs 小区党支部 → 社区党委 → 街道党工委 → 县级党委 with a reminder
// before each deadline, is answered at the top and rated; one is reopened once, then climbs on
// a second unsatisfied rating and closes satisfied (crediting points); a duplicate is merged;
// an answer nobody rates closes by itself. Every final history is replayed, and so are the
// histories recorded before the steps became local activities (histories/grid-matter-*-v1.json)
// and before an update's own step did (-v2.json), and since (-v3.json; filed: a matter the filing dispatched).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { MatterStepInput } from '../../activities/grid-matter.ts';
import {
  absorbGridMatter, acceptGridMatter, answerGridMatter, gridMatterWorkflowId, mergeGridMatter, rateGridMatter, type GridMatterInput,
} from '../../domain/grid-matter/contracts.ts';
import type { MatterPlan } from '../../domain/grid-matter/rules.ts';
import { gridMatter } from '../../workflows/grid-matter.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';

const HOUR = 3_600_000;
const here = path.dirname(fileURLToPath(import.meta.url));
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'grid-matter-test';
const steps: (MatterStepInput & { recordedAt: number })[] = [];
const credits: string[] = [];

const plan: MatterPlan = { startLevel: 0, deadlinesMs: [24 * HOUR, 48 * HOUR, 72 * HOUR, 96 * HOUR], reminderBeforeMs: 6 * HOUR, ratingWindowMs: 7 * 24 * HOUR };
const worker = { accountId: 'acc-grid', login: 'grid' };

beforeAll(async () => {
  harness = await startWorkflowHarness({
    taskQueue,
    activities: {
      recordMatterStep: async (input: MatterStepInput) => {
        steps.push({ ...input, recordedAt: await env.currentTimeMs() });
        // Since grid-matter-local-update-steps the closing rating's step credits the points itself.
        if (input.credit) credits.push(input.matterId);
      },
      creditResidentPoints: async (input: { matterId: string }) => {
        credits.push(input.matterId);
        return 'credited';
      },
    },
    reportActivities: { renderReport: async () => { throw new Error('no reports here'); } },
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const start = (number: string, dispatchedAt?: number) => {
  const input: GridMatterInput = { matterId: `id-${number}`, number, plan, ...(dispatchedAt === undefined ? {} : { dispatchedAt }) };
  return env.client.workflow.start(gridMatter, { taskQueue, workflowId: gridMatterWorkflowId(number), args: [input] });
};
/** What the matter's history holds: workflow tasks completed, activities scheduled, markers (local activities and the patch). */
async function costOf(number: string) {
  const events = (await env.client.workflow.getHandle(gridMatterWorkflowId(number)).fetchHistory()).events ?? [];
  return {
    tasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  };
}
/** RECORD_HISTORIES=v3 npm test -- test/workflows/grid-matter.test.ts writes the final histories as histories/grid-matter-<name>-v3.json. */
async function recordHistory(number: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await env.client.workflow.getHandle(gridMatterWorkflowId(number)).fetchHistory();
  await writeFile(path.join(here, `histories/grid-matter-${name}-${process.env.RECORD_HISTORIES}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
}
const stepsOf = (number: string) => steps.filter((s) => s.number === number);
const trail = (number: string) => stepsOf(number).map((s) => `${s.step}@${s.state.level}`);

async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

describe('gridMatter workflow', () => {
  it('climbs the four levels when nobody answers, reminding before each deadline, and is answered at the top', async () => {
    const t0 = await env.currentTimeMs();
    const handle = await start('GM-CLIMB');
    // 24 h at the grid, 48 h at the community, 72 h at the street: 144 h later it is with the county, 96 h more and it is overdue there.
    await env.sleep(145 * HOUR);
    expect(trail('GM-CLIMB')).toEqual(['dispatched@0', 'reminded@0', 'climbed@1', 'reminded@1', 'climbed@2', 'reminded@2', 'climbed@3']);
    const climbs = stepsOf('GM-CLIMB').filter((s) => s.step === 'climbed');
    expect(climbs.map((s) => Math.round((s.at - t0) / HOUR))).toEqual([24, 72, 144]);
    expect(stepsOf('GM-CLIMB').filter((s) => s.step === 'reminded').map((s) => Math.round((s.at - t0) / HOUR))).toEqual([18, 66, 138]);
    await env.sleep(96 * HOUR);
    expect(trail('GM-CLIMB').slice(-2)).toEqual(['reminded@3', 'overdue_at_top@3']);
    // Rating before any answer is refused; the county accepts and answers, the reporter is satisfied.
    expect(await refusalType(handle.executeUpdate(rateGridMatter, { args: [{ rating: 'satisfied', comment: null }] }))).toBe('WrongPhase');
    const accepted = await handle.executeUpdate(acceptGridMatter, { args: [{ actor: worker }] });
    expect(accepted.status).toBe('accepted');
    expect(await refusalType(handle.executeUpdate(acceptGridMatter, { args: [{ actor: worker }] }))).toBe('WrongPhase');
    expect(await refusalType(handle.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '  ', photoIds: [] }] }))).toBe('Invalid');
    await handle.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '县住建局已督促物业修复', photoIds: [] }] });
    const rated = await handle.executeUpdate(rateGridMatter, { args: [{ rating: 'satisfied', comment: '谢谢' }] });
    expect(rated).toMatchObject({ status: 'closed', level: 3, climbs: 3, lastOutcome: 'closed' });
    expect(await handle.result()).toEqual({ outcome: 'closed', rating: 'satisfied', level: 3, climbs: 3 });
    expect(credits).toContain('id-GM-CLIMB');
    await harness.replay(gridMatterWorkflowId('GM-CLIMB'));
    await recordHistory('GM-CLIMB', 'climb');
    // Every step ran inside a workflow task: dispatch, 4 reminders, 3 climbs, the overdue at the top, accept, answer, and the rating with its credit.
    expect(await costOf('GM-CLIMB')).toMatchObject({ activities: 0, localActivities: 12 });
  }, 120_000);

  it('reopens once on an unsatisfied rating, then climbs a level on the second, and closes satisfied', async () => {
    const handle = await start('GM-REOPEN');
    await env.sleep(HOUR);
    await handle.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '已清运', photoIds: [] }] });
    let s = await handle.executeUpdate(rateGridMatter, { args: [{ rating: 'unsatisfied', comment: '没有清理干净' }] });
    expect(s).toMatchObject({ status: 'open', level: 0, reopened: 1, lastOutcome: 'reopened' });
    // A rating is taken once per answer.
    expect(await refusalType(handle.executeUpdate(rateGridMatter, { args: [{ rating: 'satisfied', comment: null }] }))).toBe('WrongPhase');
    await handle.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '再次清运', photoIds: [] }] });
    s = await handle.executeUpdate(rateGridMatter, { args: [{ rating: 'unsatisfied', comment: null }] });
    expect(s).toMatchObject({ status: 'open', level: 1, climbs: 1, lastOutcome: 'climbed' });
    // The community has its own deadline from now: 48 h.
    expect(s.deadlineAt - (await env.currentTimeMs())).toBeGreaterThan(47 * HOUR);
    await handle.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '社区协调环卫所彻底清理', photoIds: [] }] });
    s = await handle.executeUpdate(rateGridMatter, { args: [{ rating: 'satisfied', comment: null }] });
    expect(await handle.result()).toEqual({ outcome: 'closed', rating: 'satisfied', level: 1, climbs: 1 });
    expect(trail('GM-REOPEN')).toEqual(['dispatched@0', 'answered@0', 'rated@0', 'answered@0', 'rated@1', 'answered@1', 'rated@1']);
    await harness.replay(gridMatterWorkflowId('GM-REOPEN'));
    await recordHistory('GM-REOPEN', 'reopen');
    // The dispatch and the 6 steps the updates took are local activities (markers, no task of their own), the last one crediting the points;
    // each update is one workflow task (accepted and completed together), the start one more.
    expect(credits.filter((id) => id === 'id-GM-REOPEN')).toHaveLength(1);
    expect(await costOf('GM-REOPEN')).toMatchObject({ tasks: 7, activities: 0, localActivities: 7 });
  }, 120_000);

  it('merges a duplicate into the matter that stays, and closes an answer nobody rates', async () => {
    const kept = await start('GM-KEPT');
    const dup = await start('GM-DUP');
    expect(await refusalType(dup.executeUpdate(mergeGridMatter, { args: [{ actor: worker, into: 'GM-DUP', intoId: 'id-GM-DUP' }] }))).toBe('Invalid');
    const merged = await dup.executeUpdate(mergeGridMatter, { args: [{ actor: worker, into: 'GM-KEPT', intoId: 'id-GM-KEPT' }] });
    expect(merged).toMatchObject({ status: 'merged', mergedInto: 'GM-KEPT' });
    await kept.executeUpdate(absorbGridMatter, { args: [{ duplicate: 'GM-DUP' }] });
    expect(await dup.result()).toMatchObject({ outcome: 'merged' });
    await kept.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '已处理', photoIds: [] }] });
    // A merge of an answered matter is refused: it waits for its rating.
    const other = await start('GM-OTHER');
    expect(await refusalType(kept.executeUpdate(mergeGridMatter, { args: [{ actor: worker, into: 'GM-OTHER', intoId: 'id-GM-OTHER' }] }))).toBe('WrongPhase');
    await env.sleep(7 * 24 * HOUR + HOUR);
    expect(await kept.result()).toEqual({ outcome: 'closed', rating: null, level: 0, climbs: 0 });
    // (Time skips while the test waits on results, so a reminder may have gone out before the answer.)
    expect(trail('GM-KEPT').filter((t) => !t.startsWith('reminded'))).toEqual(['dispatched@0', 'absorbed@0', 'answered@0', 'closed_unrated@0']);
    expect(stepsOf('GM-KEPT').find((x) => x.step === 'answered')!.state.duplicates).toEqual(['GM-DUP']);
    expect(credits).not.toContain('id-GM-KEPT');
    await other.terminate('test over');
    await harness.replay(gridMatterWorkflowId('GM-KEPT'));
    await harness.replay(gridMatterWorkflowId('GM-DUP'));
    await recordHistory('GM-KEPT', 'kept');
  }, 120_000);

  it('leaves the dispatch to the filing that wrote it (dispatchedAt): no first step, deadlines counted from the filing', async () => {
    // Filed two hours before its workflow started (a slow start): the reminder is due 18 h after the filing, 16 h after the start.
    const t0 = await env.currentTimeMs();
    const handle = await start('GM-FILED', t0 - 2 * HOUR);
    await env.sleep(17 * HOUR);
    expect(trail('GM-FILED')).toEqual(['reminded@0']);
    expect(Math.round((stepsOf('GM-FILED')[0]!.at - t0) / HOUR)).toBe(16);
    expect(stepsOf('GM-FILED')[0]!.state).toMatchObject({ revision: 1, deadlineAt: t0 + 22 * HOUR });
    await handle.executeUpdate(acceptGridMatter, { args: [{ actor: worker }] });
    await handle.executeUpdate(answerGridMatter, { args: [{ actor: worker, text: '已修复', photoIds: [] }] });
    expect(await handle.executeUpdate(rateGridMatter, { args: [{ rating: 'satisfied', comment: null }] })).toMatchObject({ status: 'closed' });
    expect(await handle.result()).toEqual({ outcome: 'closed', rating: 'satisfied', level: 0, climbs: 0 });
    expect(trail('GM-FILED')).toEqual(['reminded@0', 'accepted@0', 'answered@0', 'rated@0']);
    await harness.replay(gridMatterWorkflowId('GM-FILED'));
    await recordHistory('GM-FILED', 'filed');
    // The start's task records nothing: one task each for the start, the reminder and the three updates, four local activities.
    expect(await costOf('GM-FILED')).toMatchObject({ tasks: 5, activities: 0, localActivities: 4 });
  }, 120_000);

  it.each(['climb', 'reopen', 'kept'])('still replays the %s history recorded when each step was an activity of its own', async (name) => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(here, `histories/grid-matter-${name}-v1.json`), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, `grid-matter-${name}-v1`);
    expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordMatterStep')).toBe(true);
  }, 60_000);

  it.each(['climb', 'reopen', 'kept'])('still replays the %s history recorded when only an update\'s own step was an activity', async (name) => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(here, `histories/grid-matter-${name}-v2.json`), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, `grid-matter-${name}-v2`);
    const events = history.events!;
    expect(events.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordMatterStep')).toBe(true);
    expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toBe(true);
  }, 60_000);

  it.each(['climb', 'reopen', 'kept', 'filed'])('replays the %s history recorded with every step local (filed: dispatched by its report)', async (name) => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(here, `histories/grid-matter-${name}-v3.json`), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, `grid-matter-${name}-v3`);
    expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  }, 60_000);
});
