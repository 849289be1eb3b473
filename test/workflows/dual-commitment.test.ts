// The dual commitments workflow on the project's devserver with time skipping: the four
// gates, refusals from the update validators, reminders and escalations on timers, the
// publication window closing by itself, and the recorded histories that must still replay;
// every final history is replayed. The notice failure and the 四双 variant are in
// dual-commitment-variants.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { type WorkflowHarness } from '../support/workflow-harness.ts';
import type { GatePlan } from '../../domain/dual-commitment/rules.ts';
import { type ItemSummary } from '../../domain/dual-commitment/state.ts';
import { dualCommitment } from '../../workflows/dual-commitment.ts';
import {
  countersignEvaluation,
  dualCommitmentStatus,
  dualCommitmentWorkflowId,
  fileItemStatus,
  reviewCommitmentSet,
  scoreCommitments,
  signOffEvaluation,
  submitCommitmentSet,
  submitSelfEvaluation,
} from '../../domain/dual-commitment/contracts.ts';
import { DAY_MS } from '../../domain/time.ts';
import { actor, calls, filed, planFrom, refusalType, scores, startDualCommitmentHarness } from './dual-commitment-support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const taskQueue = 'dual-commitment-test';
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startDualCommitmentHarness(taskQueue);
  env = harness.env;
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

const replay = (workflowId: string) => harness.replay(workflowId);

describe('dualCommitment workflow', () => {
  it('runs 定诺 → 亮诺 → 践诺 → 评诺 with refusals, reminders, escalation and the window closing itself', async () => {
    const start = await env.currentTimeMs();
    const plan = planFrom(start);
    const workflowId = dualCommitmentWorkflowId('org-1', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-1', cycleId: 'cycle-1', organizationId: 'org-1', year: plan.year, plan }],
    });
    const items: ItemSummary[] = [
      { key: 'p1', side: 'party', dueAt: new Date(start + 30 * DAY_MS).toISOString() },
      { key: 'e1', side: 'enterprise', dueAt: new Date(start + 40 * DAY_MS).toISOString() },
    ];

    // 定诺: wrong role, then submit, return, stale resubmit, resubmit, approve; a second decision is refused.
    expect(await refusalType(handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('evaluator'), version: 1, items }] }))).toBe('WrongRole');
    await handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('enterprise_rep'), version: 1, items }] });
    expect(await refusalType(handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('enterprise_rep'), version: 1, decision: 'approve', comments: '' }] }))).toBe('WrongRole');
    const returned = await handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('community_committee'), version: 1, decision: 'return', comments: '目标不够具体' }] });
    expect(returned.setStatus).toBe('returned');
    expect(await refusalType(handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('enterprise_rep'), version: 1, items }] }))).toBe('StaleVersion');
    await handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('enterprise_party_org'), version: 2, items }] });
    expect(await refusalType(handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled', ...filed }] }))).toBe('WrongGate');
    await handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('community_committee'), version: 2, decision: 'approve', comments: '' }] });
    expect(await refusalType(handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('street_committee'), version: 2, decision: 'approve', comments: '' }] }))).toBe('AlreadyDecided');

    // 亮诺 → 践诺: after 8 skipped days the window has closed by itself.
    await env.sleep(8 * DAY_MS);
    let status = await handle.query(dualCommitmentStatus);
    expect(status.gate).toBe('practice');
    expect(status.publication?.closed).toBe(true);
    expect(calls.filter((c) => c.name === 'closePublication')).toHaveLength(1);
    const published = calls.find((c) => c.name === 'publishCommitments')!;
    expect(published.input).toMatchObject({ setId: 'set-1', version: 2 });

    // p1 is filed before its deadline; e1 is not, so it is reminded at 14 and 3 days and escalated.
    await handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled', ...filed }] });
    expect(await refusalType(handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('enterprise_party_org'), itemKey: 'e1', status: 'fulfilled', ...filed }] }))).toBe('WrongRole');
    // The accepted filing was recorded by the workflow's activity before the update answered; the refused one was not.
    expect(calls.filter((c) => c.name === 'recordItemStatus').map((c) => c.input)).toEqual([
      { setId: 'set-1', actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled', ...filed },
    ]);
    await env.sleep(55 * DAY_MS);
    status = await handle.query(dualCommitmentStatus);
    expect(status.gate).toBe('evaluate');
    const reminders = calls.filter((c) => c.name === 'sendReminder' && c.input.subject === 'item');
    expect(reminders.map((c) => [c.input.itemKey, c.input.daysBefore])).toEqual([
      ['e1', 14],
      ['e1', 3],
    ]);
    const e1Due = start + 40 * DAY_MS;
    expect(reminders[0]!.at).toBeGreaterThanOrEqual(e1Due - 14 * DAY_MS);
    expect(reminders[0]!.at).toBeLessThan(e1Due - 13 * DAY_MS);
    const escalations = calls.filter((c) => c.name === 'escalate');
    expect(escalations.map((c) => c.input.itemKey)).toEqual(['e1']);
    expect(escalations[0]!.at).toBeGreaterThanOrEqual(e1Due);
    expect(calls.filter((c) => c.name === 'sendReminder' && c.input.subject === 'submission')).toEqual([]);

    // 评诺: sign-off needs scores; the evaluator signs once; the department countersigns once.
    await handle.executeUpdate(submitSelfEvaluation, { args: [{ actor: actor('enterprise_party_org'), side: 'party', score: 90, summary: '完成' }] });
    expect(await refusalType(handle.executeUpdate(signOffEvaluation, { args: [{ actor: actor('evaluator') }] }))).toBe('WrongState');
    expect(await refusalType(handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('org_department') }] }))).toBe('WrongState');
    await handle.executeUpdate(scoreCommitments, { args: [{ actor: actor('evaluator'), scores }] });
    await handle.executeUpdate(signOffEvaluation, { args: [{ actor: actor('evaluator') }] });
    expect(await refusalType(handle.executeUpdate(signOffEvaluation, { args: [{ actor: actor('evaluator') }] }))).toBe('AlreadyDecided');
    expect(await refusalType(handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('evaluator') }] }))).toBe('WrongRole');
    await handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('org_department') }] });
    expect(await handle.result()).toEqual({ outcome: 'filed', totalScore: 88.5, grade: '良好', recordSha256: 'r'.repeat(64) });
    expect(calls.filter((c) => c.name === 'recordSignOff').map((c) => c.input.step)).toEqual(['evaluator', 'department']);
    expect(calls.filter((c) => c.name === 'recordSelfEvaluation').map((c) => c.input)).toEqual([{ setId: 'set-1', actor: actor('enterprise_party_org'), side: 'party', score: 90, summary: '完成' }]);
    expect(calls.filter((c) => c.name === 'recordScores').map((c) => c.input)).toEqual([{ setId: 'set-1', actor: actor('evaluator'), scores }]);
    // Both PDFs went through the reports queue and were filed on the set.
    expect(calls.filter((c) => c.name === 'recordReport').map((c) => [c.input.type, (c.input.report as { sha256: string }).sha256])).toEqual([
      ['commitment-notice', 'n'.repeat(64)],
      ['evaluation-record', 'r'.repeat(64)],
    ]);
    // The evaluation window passed unsigned for 19 days but not to its end: no evaluation escalation.
    expect(calls.filter((c) => c.name === 'escalate' && c.input.subject === 'evaluation')).toEqual([]);
    await replay(workflowId);
  }, 180_000);

  it('waits for a publication window that outlasts practice, then goes to 评诺 (no spinning task)', async () => {
    const start = await env.currentTimeMs();
    const plan = { ...planFrom(start), publicationDays: 7, practiceEnd: new Date(start + 2 * DAY_MS).toISOString(), evaluationStart: new Date(start + 3 * DAY_MS).toISOString() };
    const workflowId = dualCommitmentWorkflowId('org-window', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-window', cycleId: 'cycle-1', organizationId: 'org-window', year: plan.year, plan }],
    });
    const items: ItemSummary[] = [{ key: 'p1', side: 'party', dueAt: new Date(start + 2 * DAY_MS).toISOString() }];
    await handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('enterprise_rep'), version: 1, items }] });
    await handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('community_committee'), version: 1, decision: 'approve', comments: '' }] });
    await env.sleep(4 * DAY_MS);
    expect((await handle.query(dualCommitmentStatus)).gate).toBe('show');
    await env.sleep(4 * DAY_MS);
    const status = await handle.query(dualCommitmentStatus);
    expect(status.gate).toBe('evaluate');
    expect(calls.filter((c) => c.name === 'closePublication' && c.input.setId === 'set-window')).toHaveLength(1);
    await handle.terminate('test done');
    await replay(workflowId);
  }, 180_000);

  it('reminds before the submission deadline, escalates weekly after it, and gives up at the end of the evaluation window', async () => {
    calls.length = 0;
    const start = await env.currentTimeMs();
    const plan = planFrom(start);
    const workflowId = dualCommitmentWorkflowId('org-2', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-2', cycleId: 'cycle-1', organizationId: 'org-2', year: plan.year, plan }],
    });
    // A second start of the same business key is refused, not duplicated.
    await expect(
      env.client.workflow.start(dualCommitment, { taskQueue, workflowId, args: [{ setId: 'set-2', cycleId: 'cycle-1', organizationId: 'org-2', year: plan.year, plan }] }),
    ).rejects.toThrow(/already started|AlreadyStarted/i);
    expect(await handle.result()).toEqual({ outcome: 'never_approved', totalScore: null, grade: null, recordSha256: null });
    const mine = calls.filter((c) => c.input.setId === 'set-2');
    expect(mine.filter((c) => c.name === 'sendReminder').map((c) => c.input.daysBefore)).toEqual([7, 1]);
    const escalations = mine.filter((c) => c.name === 'escalate');
    // Deadline at day 10, then weekly until day 80: days 10, 17, ..., 73.
    expect(escalations).toHaveLength(10);
    expect(escalations[0]!.at).toBeGreaterThanOrEqual(start + 10 * DAY_MS);
    expect(mine.some((c) => c.name === 'publishCommitments')).toBe(false);
    await replay(workflowId);
  }, 180_000);

  it('escalates a cycle started 35 weeks after its submission deadline once, then weekly from then on, never catching up', async () => {
    calls.length = 0;
    const start = await env.currentTimeMs();
    const plan: GatePlan = {
      ...planFrom(start),
      cycleStart: new Date(start - 300 * DAY_MS).toISOString(),
      submissionDeadline: new Date(start - 35 * 7 * DAY_MS).toISOString(),
      practiceEnd: new Date(start + 40 * DAY_MS).toISOString(),
      evaluationStart: new Date(start + 41 * DAY_MS).toISOString(),
      evaluationEnd: new Date(start + 50 * DAY_MS).toISOString(),
    };
    const workflowId = dualCommitmentWorkflowId('org-late', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-late', cycleId: 'cycle-late', organizationId: 'org-late', year: plan.year, plan }],
    });
    // One escalation at once (35 weeks are past), none for the weeks already gone; no reminder
    // for a deadline that has passed.
    await env.sleep(DAY_MS);
    const mine = () => calls.filter((c) => c.input.setId === 'set-late');
    expect(mine().filter((c) => c.name === 'escalate')).toHaveLength(1);
    expect(mine().filter((c) => c.name === 'sendReminder')).toEqual([]);
    expect((await handle.query(dualCommitmentStatus)).escalations).toHaveLength(1);
    // The next one a full week after the first, not on the deadline's old weekly beat.
    await env.sleep(5 * DAY_MS);
    expect(mine().filter((c) => c.name === 'escalate')).toHaveLength(1);
    await env.sleep(2 * DAY_MS);
    const escalations = mine().filter((c) => c.name === 'escalate');
    expect(escalations).toHaveLength(2);
    expect(escalations[1]!.at - escalations[0]!.at).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(escalations[1]!.at - escalations[0]!.at).toBeLessThan(8 * DAY_MS);
    // Never approved: weekly until the end of the evaluation window (day 50): days 0, 7, ..., 49.
    expect(await handle.result()).toEqual({ outcome: 'never_approved', totalScore: null, grade: null, recordSha256: null });
    expect(mine().filter((c) => c.name === 'escalate')).toHaveLength(8);
    await replay(workflowId);
  }, 180_000);

  it('sends the reminder already due at once when a cycle starts 3 days before its submission deadline, then the 1-day one', async () => {
    calls.length = 0;
    const start = await env.currentTimeMs();
    const plan: GatePlan = { ...planFrom(start), submissionDeadline: new Date(start + 3 * DAY_MS).toISOString() };
    const workflowId = dualCommitmentWorkflowId('org-window', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-window', cycleId: 'cycle-window', organizationId: 'org-window', year: plan.year, plan }],
    });
    const reminders = () => calls.filter((c) => c.input.setId === 'set-window' && c.name === 'sendReminder');
    await env.sleep(DAY_MS);
    // One reminder at once (its text counts the days really left, from the workflow clock), not one per reminder day passed.
    expect(reminders().map((c) => c.input.daysBefore)).toEqual([7]);
    expect(reminders()[0]!.input.now).toBeGreaterThanOrEqual(start);
    expect(reminders()[0]!.input.now).toBeLessThan(start + DAY_MS);
    await env.sleep(1.5 * DAY_MS);
    expect(reminders().map((c) => c.input.daysBefore)).toEqual([7, 1]);
    await env.sleep(DAY_MS);
    expect(calls.filter((c) => c.input.setId === 'set-window' && c.name === 'escalate')).toHaveLength(1);
    await handle.terminate('test done');
    await replay(workflowId);
  }, 180_000);

  it('still replays a history recorded before late escalations fired once (the catch-up of the old code)', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(here, 'histories/dual-commitment-late-start-v1.json'), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, 'dual-commitment-late-start-v1');
    // The recorded run is the storm the patch stops: many escalations in its first task.
    const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'escalate');
    expect(scheduled.length).toBeGreaterThan(20);
  }, 60_000);

  it('still replays a history recorded while the API wrote the filed item status, self-evaluation and scores itself', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(here, 'histories/dual-commitment-filings-v1.json'), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, 'dual-commitment-filings-v1');
    // The recorded run took the three updates without any activity recording them.
    const updates = history.events!.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name).filter(Boolean);
    expect(updates).toEqual(expect.arrayContaining(['fileItemStatus', 'submitSelfEvaluation', 'scoreCommitments']));
    const scheduled = history.events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled).not.toContain('recordItemStatus');
  }, 60_000);
});
