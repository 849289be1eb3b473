// A whole half-yearly round of the shipped 网格员 scheme on the project's devserver with time
// skipping (activities stubbed in memory, the totals computed by the pure rules): four grid
// workers are scored by themselves, a peer, residents' survey results, the community and the
// department; refusals come back at once (a score over the max, scoring someone else as "self",
// a sign-off out of turn or before grading); a reminder goes out 3 days before the deadline,
// scoring closes on day 14, the round is graded with the top band capped, the street and the
// department sign off (the department after an escalation), the ranking is printed, 公示 runs
// 5 days and pay grades move. Final histories are replayed, and a recorded one still replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  assessedWorkflowId, assessmentRoundWorkflowId, closeAssessmentScoring, signOffAssessmentRound, submitAssessmentScores, type RoundInput,
} from '../../domain/assessment/contracts.ts';
import { GRID_WORKER_HALF_YEARLY as G } from '../../domain/assessment/defaults.ts';
import { assignGrades, payGradeMove, weightedScore, type Entry, type SchemeDefinition } from '../../domain/assessment/rules.ts';
import type { Filing } from '../../domain/assessment/state.ts';
import type { WorkflowHarness } from '../support/workflow-harness.ts';
import { recordHistory, refusalType, replayRecorded, startAssessmentHarness, type Logged } from './assessment-support.ts';

const DAY = 86_400_000;
const HISTORY = 'assessment-round-v1';
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'assessment-test';
const log: Logged[] = [];
const filings = new Map<string, Filing[]>();
const totals = new Map<string, number>();
const results: { id: string; band: string; rank: number; payAfter: number }[] = [];
const payGrades = new Map<string, number>([['g1', 7], ['g2', 18], ['g3', 5], ['g4', 1], ['g5', 9]]);
const rates = { grid_matters_closed_in_time: 0.9, grid_matters_satisfied: 1 };

beforeAll(async () => {
  harness = await startAssessmentHarness({
    taskQueue, log,
    activities: (at) => ({
      recordAssessmentFiling: async (input: { subjectId: string; filing: Filing }) => {
        await at('recordAssessmentFiling', input);
        const list = (filings.get(input.subjectId) ?? []).filter((f) => !(f.source === input.filing.source && f.accountId === input.filing.accountId));
        filings.set(input.subjectId, [...list, input.filing]);
      },
      scoreAssessedSubject: async (input: { subjectId: string; definition: SchemeDefinition }) => {
        const { total } = weightedScore(input.definition, filings.get(input.subjectId) ?? [], rates);
        totals.set(input.subjectId, total);
        return { total };
      },
      gradeAssessmentRound: async (input: { roundId: string; definition: SchemeDefinition }) => {
        await at('gradeAssessmentRound', input);
        for (const p of assignGrades(input.definition, [...totals].map(([id, total]) => ({ id, name: id, total })))) {
          results.push({ id: p.id, band: p.band, rank: p.rank, payAfter: payGradeMove(input.definition, p.band, payGrades.get(p.id)!).after });
        }
        return { graded: totals.size };
      },
      // The shipped scheme prints a score sheet and a result notice per assessed (outputs.papers): the default stubs.
      closeAssessmentRound: async (input: Record<string, unknown>) => {
        await at('closeAssessmentRound', input);
        for (const r of results) payGrades.set(r.id, r.payAfter);
      },
    }),
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const people = (p: number, ticked: number[], d: number): Record<string, Entry> => ({ patrol: { points: p }, service: { ticked }, discipline: { points: d } });

describe('assessment round driven by the shipped half-yearly 网格员 scheme', () => {
  it('runs scoring, grading with the cap, sign-off with an escalation, 公示 and pay moves', async () => {
    const roundId = 'round-2026h2';
    const subjects = ['g1', 'g2', 'g3', 'g4', 'g5'].map((id) => ({ subjectId: id, accountId: `acc-${id}` }));
    const input: RoundInput = { roundId, definition: G, subjects };
    const t0 = await env.currentTimeMs();
    const round = await env.client.workflow.start('assessmentRound', { taskQueue, workflowId: assessmentRoundWorkflowId(roundId), args: [input] });
    await env.sleep(DAY);
    const worker = (id: string) => env.client.workflow.getHandle(assessedWorkflowId(roundId, id));
    const file = (id: string, f: Filing) => worker(id).executeUpdate(submitAssessmentScores, { args: [f] });

    expect(await refusalType(file('g1', { source: 'supervisor', accountId: 'c1', entries: people(21, [0], 9) }))).toBe('Invalid');
    expect(await refusalType(file('g1', { source: 'self', accountId: 'acc-g2', entries: people(20, [0], 9) }))).toBe('WrongRole');
    expect(await refusalType(round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'street_committee', accountId: 's1' }] }))).toBe('WrongStage');
    // g1 excellent everywhere; g2 nearly; g3 middling; g4 poor. Residents' survey means entered for all.
    const marks: Record<string, [number, number[], number, number]> = {
      g1: [20, [0, 1, 2, 3], 10, 5], g2: [19, [0, 1, 2, 3], 10, 4.8], g3: [15, [0, 1], 8, 4], g4: [8, [0], 5, 2], g5: [15, [0, 1], 8, 4],
    };
    for (const [id, [p, t, d, mean]] of Object.entries(marks)) {
      for (const source of ['self', 'supervisor', 'department'] as const) {
        await file(id, { source, accountId: source === 'self' ? `acc-${id}` : `${source}-1`, entries: people(p, t, d) });
      }
      await file(id, { source: 'peers', accountId: id === 'g1' ? 'acc-g2' : 'acc-g1', entries: people(p, t, d) });
      await file(id, { source: 'residents', accountId: 'dept-1', entries: { residents_view: { mean } } });
    }
    // A filing again replaces the earlier one: the community lowers g1's patrol score.
    const after = await file('g1', { source: 'supervisor', accountId: 'supervisor-1', entries: people(19, [0, 1, 2, 3], 10) });
    expect(after.filed).toHaveLength(5);

    await env.sleep(11 * DAY - (await env.currentTimeMs() - t0) + 60_000);
    const reminder = log.find((l) => l.name === 'remindAssessment');
    expect(reminder && Math.round((reminder.at - t0) / DAY)).toBe(11);
    await env.sleep(3 * DAY + 60_000);
    // Day 14: scoring closed; the assessed workflows have finished and take no filing (the API answers 409 scoring_closed).
    await expect(file('g3', { source: 'self', accountId: 'acc-g3', entries: people(20, [0, 1, 2, 3], 10) })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await refusalType(round.executeUpdate(closeAssessmentScoring, { args: [{ accountId: 'd' }] }))).toBe('WrongStage');
    const graded = log.find((l) => l.name === 'gradeAssessmentRound')!;
    expect(Math.round((graded.at - t0) / DAY)).toBe(14);
    // Cap 20% of 5 → one 优秀: g2 reached 90 too but is 良好 (capped); g3 and g5 tie and share rank 3.
    expect(totals.get('g2')).toBeGreaterThanOrEqual(90);
    expect(results.map((r) => `${r.id}:${r.rank}:${r.band}`)).toEqual(['g1:1:excellent', 'g2:2:good', 'g3:3:pass', 'g5:3:pass', 'g4:5:fail']);

    expect(await refusalType(round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'd1' }] }))).toBe('WrongRole');
    const signed = await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'street_committee', accountId: 's1' }] });
    expect(signed).toMatchObject({ stage: 'sign_off', signOffStep: 1 });
    await env.sleep(5 * DAY + 60_000);
    expect(log.filter((l) => l.name === 'remindAssessment').map((l) => l.input.role)).toEqual([null, 'org_department']);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'd1' }] });
    const result = await round.result();
    expect(result).toEqual({ roundId, assessed: 5, signedBy: ['s1', 'd1'] });
    const stages = log.filter((l) => l.name === 'recordAssessmentStage').map((l) => `${l.input.stage}:${l.input.rankingSha256 ? 'pdf' : '-'}`);
    expect(stages).toEqual(['grading:-', 'sign_off:-', 'publicity:-', 'publicity:pdf']);
    const closed = log.find((l) => l.name === 'closeAssessmentRound')!;
    const publicity = log.filter((l) => l.name === 'recordAssessmentStage').at(-1)!;
    expect(Math.round((closed.at - publicity.at) / DAY)).toBe(5);
    // 三岗十八级: excellent moves up one, good and pass keep the grade, fail moves down one (never below 1).
    expect(Object.fromEntries(payGrades)).toEqual({ g1: 8, g2: 18, g3: 5, g4: 1, g5: 9 });
    // A score sheet and a result notice printed for each of the five, and recorded.
    const papers = log.filter((l) => l.name === 'recordAssessmentPapers')
      .flatMap((l) => (l.input.papers as { subjectId: string }[]).map((p) => `${l.input.kind}:${p.subjectId}`));
    expect(papers.sort()).toEqual(['g1', 'g2', 'g3', 'g4', 'g5'].flatMap((g) => [`result_notice:${g}`, `score_sheet:${g}`]).sort());
    await harness.replay(assessmentRoundWorkflowId(roundId));
    await harness.replay(assessedWorkflowId(roundId, 'g1'));
    await recordHistory(HISTORY, round);
  }, 180_000);

  it('still replays the recorded history of a whole round', async () => {
    expect((await replayRecorded(harness, HISTORY)).updates).toEqual(['signOffAssessmentRound', 'signOffAssessmentRound']);
  }, 60_000);
});
