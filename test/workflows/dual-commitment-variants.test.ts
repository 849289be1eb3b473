// The dual commitments workflow on the project's devserver with time skipping, off the main
// road: a notice PDF that cannot be made, and the 四双 variant of a resident unit; every final
// history is replayed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowHarness } from '../support/workflow-harness.ts';
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
  writeFactualEvaluation,
} from '../../domain/dual-commitment/contracts.ts';
import { DAY_MS } from '../../domain/time.ts';
import { actor, badNoticeData, calls, filed, planFrom, refusalType, scores, startDualCommitmentHarness } from './dual-commitment-support.ts';

const taskQueue = 'dual-commitment-variants-test';
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

describe('dualCommitment workflow, off the main road', () => {

  it('goes on through the cycle when the notice PDF cannot be made, and says so', async () => {
    calls.length = 0;
    const start = await env.currentTimeMs();
    const plan = planFrom(start);
    badNoticeData.add('set-3');
    const workflowId = dualCommitmentWorkflowId('org-3', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-3', cycleId: 'cycle-1', organizationId: 'org-3', year: plan.year, plan }],
    });
    const items: ItemSummary[] = [{ key: 'p1', side: 'party', dueAt: new Date(start + 30 * DAY_MS).toISOString() }];
    await handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('enterprise_party_org'), version: 1, items }] });
    await handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('street_committee'), version: 1, decision: 'approve', comments: '' }] });
    await env.sleep(8 * DAY_MS);
    let status = await handle.query(dualCommitmentStatus);
    expect(status.gate).toBe('practice');
    expect(status.reports['commitment-notice']).toMatchObject({ status: 'failed', sha256: null });
    expect(status.reports['commitment-notice']?.problem).toContain('partyCommitments');
    const failures = calls.filter((c) => c.name === 'recordReportFailure');
    expect(failures.map((c) => c.input.type)).toEqual(['commitment-notice']);
    // Refused bad data is not retried.
    expect(calls.filter((c) => c.name === 'renderReport' && c.input.type === 'commitment-notice')).toHaveLength(1);

    await handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled', ...filed }] });
    await env.sleep(55 * DAY_MS);
    status = await handle.query(dualCommitmentStatus);
    expect(status.gate).toBe('evaluate');
    await handle.executeUpdate(scoreCommitments, { args: [{ actor: actor('evaluator'), scores }] });
    await handle.executeUpdate(signOffEvaluation, { args: [{ actor: actor('evaluator') }] });
    await handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('org_department') }] });
    expect(await handle.result()).toEqual({ outcome: 'filed', totalScore: 88.5, grade: '良好', recordSha256: 'r'.repeat(64) });
    await replay(workflowId);
  }, 180_000);

  it('runs the 四双 variant of a resident unit: street/community review, no score, a 写实评价 countersigned and sent', async () => {
    calls.length = 0;
    const start = await env.currentTimeMs();
    const plan = planFrom(start);
    const workflowId = dualCommitmentWorkflowId('unit-1', plan.year);
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue,
      workflowId,
      args: [{ setId: 'set-r1', cycleId: 'cycle-1', organizationId: 'unit-1', year: plan.year, plan, variant: 'resident_unit' }],
    });
    const items: ItemSummary[] = [
      { key: 'p1', side: 'party', dueAt: new Date(start + 30 * DAY_MS).toISOString() },
      { key: 'u1', side: 'enterprise', dueAt: new Date(start + 40 * DAY_MS).toISOString() },
    ];
    await handle.executeUpdate(submitCommitmentSet, { args: [{ actor: actor('enterprise_party_org'), version: 1, items }] });
    // The reviewer is the street or community Party organization, not an evaluator.
    expect(await refusalType(handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('evaluator'), version: 1, decision: 'approve', comments: '' }] }))).toBe('WrongRole');
    await handle.executeUpdate(reviewCommitmentSet, { args: [{ actor: actor('community_committee'), version: 1, decision: 'approve', comments: '' }] });
    await env.sleep(8 * DAY_MS);
    expect((await handle.query(dualCommitmentStatus)).gate).toBe('practice');
    // The street/community files its own side's items; the unit files its side.
    expect(await refusalType(handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled', ...filed }] }))).toBe('WrongRole');
    await handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('community_committee'), itemKey: 'p1', status: 'fulfilled', ...filed }] });
    await handle.executeUpdate(fileItemStatus, { args: [{ actor: actor('enterprise_rep'), itemKey: 'u1', status: 'partly', ...filed }] });
    expect(await refusalType(handle.executeUpdate(writeFactualEvaluation, { args: [{ actor: actor('community_committee'), text: '提前写' }] }))).toBe('WrongGate');
    await env.sleep(55 * DAY_MS);
    let status = await handle.query(dualCommitmentStatus);
    expect(status.gate).toBe('evaluate');
    expect(status.variant).toBe('resident_unit');

    // No score in the variant; the 写实评价 is written once, by the right role, with a text.
    expect(await refusalType(handle.executeUpdate(scoreCommitments, { args: [{ actor: actor('evaluator'), scores }] }))).toBe('WrongState');
    expect(await refusalType(handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('org_department') }] }))).toBe('WrongState');
    expect(await refusalType(handle.executeUpdate(writeFactualEvaluation, { args: [{ actor: actor('evaluator'), text: '积极参与' }] }))).toBe('WrongRole');
    expect(await refusalType(handle.executeUpdate(writeFactualEvaluation, { args: [{ actor: actor('street_committee'), text: '  ' }] }))).toBe('Invalid');
    status = await handle.executeUpdate(writeFactualEvaluation, {
      args: [{ actor: actor('street_committee'), text: '全年参加联席会议2次，在职党员报到率100%。', itemStatuses: [{ itemKey: 'u1', status: 'partly', ...filed }], superior: { name: '中共市税务局委员会', contact: '0537-2345678' } }],
    });
    expect(status.factualEvaluatedBy).toBe('acc-street_committee');
    expect(await refusalType(handle.executeUpdate(writeFactualEvaluation, { args: [{ actor: actor('community_committee'), text: '再写' }] }))).toBe('AlreadyDecided');
    await handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('org_department') }] });
    expect(await refusalType(handle.executeUpdate(countersignEvaluation, { args: [{ actor: actor('org_department') }] }))).toBe('AlreadyDecided');
    expect(await handle.result()).toEqual({ outcome: 'filed', totalScore: null, grade: null, recordSha256: 'f'.repeat(64) });

    const mine = calls.filter((c) => c.input.setId === 'set-r1' || (c.input as { subjectId?: string }).subjectId === 'set-r1');
    expect(mine.find((c) => c.name === 'recordFactualEvaluation')?.input).toMatchObject({ text: '全年参加联席会议2次，在职党员报到率100%。', superior: { name: '中共市税务局委员会' } });
    expect(mine.some((c) => c.name === 'fileEvaluationRecord' || c.name === 'recordSignOff' && c.input.step === 'evaluator')).toBe(false);
    expect(mine.filter((c) => c.name === 'fileFactualEvaluation')).toHaveLength(1);
    expect(mine.filter((c) => c.name === 'renderReport').map((c) => c.input.type)).toEqual(['commitment-notice', 'factual-evaluation']);
    expect(mine.filter((c) => c.name === 'recordReport').map((c) => c.input.type)).toEqual(['commitment-notice', 'factual-evaluation']);
    await replay(workflowId);
  }, 180_000);
});
