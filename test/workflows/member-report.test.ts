// 双报到's workflow on the project's devserver with time skipping: a member confirmed in one
// year is checked at the end of every month (00:00 Asia/Shanghai on the 1st), the year rolls over
// into a new run (continue-as-new), and the workflow ends once the registration no longer
// stands. Every run's history replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MemberReportActivities } from '../../activities/member-report.ts';
import type { CheckMonthInput } from '../../domain/member-report/contracts.ts';
import { MEMBER_REPORT_WORKFLOW, memberReportWorkflowId } from '../../domain/member-report/contracts.ts';
import { monthEndsAt } from '../../domain/member-report/rules.ts';
import { shanghaiDate } from '../../domain/time.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';

const taskQueue = 'member-report-test';
let harness: WorkflowHarness;
const checks: { month: string; at: number }[] = [];
/** The month from which the registration no longer stands. */
let endsFrom = '9999-12';

const activities: MemberReportActivities = {
  async checkMemberMonth(input: CheckMonthInput) {
    checks.push({ month: input.month, at: await harness.env.currentTimeMs() });
    if (input.month >= endsFrom) return { active: false, served: 0, flagged: false };
    return { active: true, served: input.month.endsWith('-02') ? 0 : 1, flagged: input.month.endsWith('-02') };
  },
};

beforeAll(async () => {
  harness = await startWorkflowHarness({ taskQueue, activities, reportActivities: { unused: async () => undefined } });
}, 120_000);
afterAll(async () => harness?.close());

describe('member report workflow', () => {
  it('checks each month once it is over, rolls into the next year as a new run, and ends when the registration stops', async () => {
    const { env } = harness;
    const today = shanghaiDate(await env.currentTimeMs());
    const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    endsFrom = `${year + 1}-03`;
    const registrationId = 'reg-1';
    const handle = await env.client.workflow.start(MEMBER_REPORT_WORKFLOW, {
      taskQueue, workflowId: memberReportWorkflowId(registrationId), args: [{ registrationId, year, fromMonth: month }],
    });
    const runIds = [handle.firstExecutionRunId];
    await handle.result();
    const expected: string[] = [];
    for (let m = month; m <= 12; m++) expected.push(`${year}-${String(m).padStart(2, '0')}`);
    expected.push(`${year + 1}-01`, `${year + 1}-02`, `${year + 1}-03`);
    expect(checks.map((c) => c.month)).toEqual(expected);
    // Each check ran once its month was over, not before.
    for (const c of checks) {
      const [y, m] = c.month.split('-').map(Number) as [number, number];
      expect(c.at).toBeGreaterThanOrEqual(monthEndsAt(y, m));
      expect(c.at).toBeLessThan(monthEndsAt(y, m) + 3600_000);
    }
    const last = await env.client.workflow.getHandle(memberReportWorkflowId(registrationId)).describe();
    expect(last.status.name).toBe('COMPLETED');
    runIds.push(last.runId);
    expect(new Set(runIds).size).toBe(2);
    for (const runId of runIds) await harness.replay(memberReportWorkflowId(registrationId), runId);
  }, 120_000);
});
