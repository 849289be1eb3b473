// The Shanghai calendar inside the workflow sandbox answers as it does outside: workflows
// (postings, steering, grid matters) close months and set deadlines with it. Before the calendar
// became plain UTC+8 arithmetic, @date-fns/tz's TZDate answered the UTC date in the sandbox
// (23:32Z on 2026-11-29 was already the 30th in Shanghai, but not in a workflow).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { shanghaiDate, shanghaiDateTime, startOfShanghaiDay } from '../../domain/time.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const taskQueue = 'calendar-test';
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await startWorkflowHarness({
    taskQueue, activities: { unused: async () => undefined }, reportActivities: { unused: async () => undefined }, workflowsPath: path.join(here, 'calendar-workflows.ts'),
  });
}, 180_000);
afterAll(async () => harness?.close());

describe('the Shanghai calendar in a workflow', () => {
  it('gives the same dates, times and day starts as outside, on both sides of 16:00 UTC', async () => {
    const instants = ['2026-11-29T23:32:00Z', '2026-11-29T15:59:59.999Z', '2026-11-29T16:00:00Z', '2024-02-28T16:30:00Z', '2026-12-31T20:00:00Z']
      .map((iso) => Date.parse(iso));
    const dates = ['2026-01-01', '2026-06-30', '2024-02-29'];
    const inside = await harness.env.client.workflow.execute('calendarProbe', { taskQueue, workflowId: 'calendar-probe', args: [instants, dates] });
    expect(inside).toEqual({ dates: instants.map(shanghaiDate), times: instants.map(shanghaiDateTime), starts: dates.map(startOfShanghaiDay) });
    expect(inside.dates).toEqual(['2026-11-30', '2026-11-29', '2026-11-30', '2024-02-29', '2027-01-01']);
    expect(inside.times[0]).toBe('2026-11-30 07:32');
    expect(new Date(inside.starts[0]!).toISOString()).toBe('2025-12-31T16:00:00.000Z');
  }, 60_000);
});
