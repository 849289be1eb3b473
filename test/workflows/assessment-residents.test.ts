// A whole round whose residents answer through one-time codes (issue 19), with time skipping and the real activities:
// the department issues slips for both grid workers and scores its indicator; residents answer with the slips' codes on
// the public API (w1 three times, w2 once); nobody closes scoring: at the scheme's deadline (14 days, a reminder 3 days
// before) the round workflow closes it, each assessed workflow's scoring activity stops the answers and computes the
// residents' means and votes from them; the department signs, 公示 runs its 5 days and the round closes. The totals
// follow the answers; an answer after the deadline is refused. The assessed's history is recorded and replays.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { startCycleHarness, httpCaller, type CycleHarness } from '../support/cycle-harness.ts';
import { issueSlips, seedResidentsDistrict, startResidentsRound, type Json } from '../support/residents-round.ts';
import { createAssessmentActivities } from '../../activities/assessment.ts';
import { assessedWorkflowId, assessmentRoundWorkflowId } from '../../domain/assessment/contracts.ts';

const DAY = 86_400_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const HISTORY = path.join(here, 'histories/assessment-residents-v1.json');
let harness: CycleHarness;
let env: TestWorkflowEnvironment;
const tokens: Record<string, string> = {};
let district = '';

beforeAll(async () => {
  harness = await startCycleHarness((app) => createAssessmentActivities({ orm: app.orm }));
  env = harness.env;
  ({ district } = await seedResidentsDistrict(harness.app, tokens, 'W'));
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(harness.app, (l) => tokens[l])(login, method, url, payload);
async function until(read: () => Promise<Json>, ok: (v: Json) => boolean, what: string, ms = 60_000): Promise<Json> {
  let v: Json = {};
  for (const end = Date.now() + ms; Date.now() < end;) {
    v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
}
const roundOf = async (id: string) => (await call('dept', 'GET', `/assessment-rounds/${id}`)).body as Json;

describe('a round whose residents answer with codes, closed by its deadline', () => {
  it('computes the residents\' share from the answers when the deadline closes scoring, and replays', async () => {
    const round = await startResidentsRound(harness.app, tokens, district);
    const id = round.id as string;
    const subjects = Object.fromEntries((round.subjects as Json[]).map((s) => [s.name, s.id as string]));
    const { codes } = await issueSlips(harness.app, tokens, id, 2);
    const pub = `/public/assessment-residents/${id}`;
    const answer = (code: string, rating: number, vote: string) => call(null, 'POST', pub, { code, answers: { residents_view: rating, residents_vote: vote } });
    expect((await answer(codes.w1![0]!, 5, '好')).status).toBe(201);
    expect((await answer(codes.w1![1]!, 3, '一般')).status).toBe(201);
    expect((await answer(codes.w2![0]!, 1, '差')).status).toBe(201);
    for (const [name, patrol] of [['w1', 16], ['w2', 20]] as const) {
      expect((await call('dept', 'POST', `/assessment-rounds/${id}/subjects/${subjects[name]}/scores`, { source: 'department', scores: { patrol: { points: patrol } } })).status).toBe(200);
    }
    await env.sleep(15 * DAY);
    const graded = await until(() => roundOf(id), (r) => r.stage === 'sign_off', 'grading at the deadline');
    // w1: 30 × 16/20 + 40 × (mean 4 → 0.75) + 30 × (1 + 0.6)/2 = 24 + 30 + 24 = 78 (合格); w2: 30 + 0 + 0 = 30 (不合格).
    expect(graded.subjects.map((s: Json) => `${s.name}:${s.total}:${s.bandName}`)).toEqual(['w1:78:合格', 'w2:30:不合格']);
    const late = await answer(codes.w2![1]!, 5, '好');
    expect([late.status, (late.body as Json).error]).toEqual([409, 'residents_closed']);
    const rates = (await call('dept', 'GET', `/assessment-rounds/${id}/residents`)).body as Json;
    expect(rates.subjects.map((s: Json) => `${s.name}:${s.answered}/${s.issued}:${s.responseRate}`)).toEqual(['w1:2/2:100', 'w2:1/2:50']);

    expect((await call('dept', 'POST', `/assessment-rounds/${id}/sign-offs`)).status).toBe(200);
    await until(() => roundOf(id), (r) => r.stage === 'publicity', 'publicity');
    await env.sleep(6 * DAY);
    await until(() => roundOf(id), (r) => r.stage === 'closed', 'closing', 90_000);
    await harness.replay(assessmentRoundWorkflowId(id));
    await harness.replay(assessedWorkflowId(id, subjects.w1!));
    if (process.env.RECORD_HISTORIES) {
      await writeFile(HISTORY, historyToJSON(await env.client.workflow.getHandle(assessedWorkflowId(id, subjects.w1!)).fetchHistory()));
    }
  }, 300_000);

  it('still replays the recorded assessed workflow of such a round', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(HISTORY, 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, 'assessment-residents-v1');
  }, 60_000);
});
