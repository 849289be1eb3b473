// Whole rounds of the shipped 最美网格员, 最美楼栋长 and 述职评议 schemes on the project's devserver
// with time skipping (activities stubbed in memory, totals by the pure rules). 最美: communities
// and the street nominate (a wrong nominator, a doubled candidate, a reason too short and a late
// nomination are refused), the department accepts or refuses each (a refusal without a reason is
// refused; a review left too long is escalated), the accepted become the subjects, residents vote
// once per code and candidate (five concurrent submissions of one code give one vote), the
// department scores the deeds, the round is graded, signed, shown (公示) and the best are
// awarded. 述职: the assessed file a report answering every 必答题, 党员代表 and the department
// vote once each, the grade follows the mean. Final histories are replayed and recorded ones too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  assessedWorkflowId, assessmentRoundStatus, assessmentRoundWorkflowId, closeAssessmentScoring, nominateAssessmentCandidate, reviewAssessmentNomination,
  signOffAssessmentRound, submitAssessmentScores, type RoundInput,
} from '../../domain/assessment/contracts.ts';
import {
  MOST_BEAUTIFUL_BUILDING_HEAD, MOST_BEAUTIFUL_GRID_WORKER, PARTY_SECRETARY_REPORT_REVIEW as R,
} from '../../domain/assessment/defaults.ts';
import { assignGrades, honourList, weightedScore, type SchemeDefinition } from '../../domain/assessment/rules.ts';
import type { Filing } from '../../domain/assessment/state.ts';
import type { Candidate, NominationEntry } from '../../domain/assessment/votes.ts';
import type { WorkflowHarness } from '../support/workflow-harness.ts';
import { recordHistory, refusalType, replayRecorded, startAssessmentHarness, type Logged } from './assessment-support.ts';

const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'assessment-votes-test';
const log: Logged[] = [];
const filings = new Map<string, Filing[]>();
const recorded = new Map<string, number>();
const totals = new Map<string, Map<string, number>>();
const results = new Map<string, { id: string; band: string; rank: number; honoured: boolean }[]>();

beforeAll(async () => {
  harness = await startAssessmentHarness({
    taskQueue, log,
    activities: (at) => ({
      recordAssessmentFiling: async (input: { subjectId: string; filing: Filing }) => {
        const key = `${input.subjectId}/${input.filing.source}:${input.filing.accountId}`;
        recorded.set(key, (recorded.get(key) ?? 0) + 1);
        const list = (filings.get(input.subjectId) ?? []).filter((f) => !(f.source === input.filing.source && f.accountId === input.filing.accountId));
        filings.set(input.subjectId, [...list, input.filing]);
      },
      recordAssessmentNomination: (input: Record<string, unknown>) => at('recordAssessmentNomination', input),
      admitAssessmentNominees: async (input: { roundId: string; nominations: NominationEntry[] }) => {
        await at('admitAssessmentNominees', input);
        return input.nominations.map((n) => ({ subjectId: `s-${n.candidate.accountId ?? n.candidate.name}`, accountId: n.candidate.accountId }));
      },
      scoreAssessedSubject: async (input: { roundId: string; subjectId: string; definition: SchemeDefinition }) => {
        const { total } = weightedScore(input.definition, filings.get(input.subjectId) ?? [], {});
        totals.set(input.roundId, (totals.get(input.roundId) ?? new Map()).set(input.subjectId, total));
        return { total };
      },
      gradeAssessmentRound: async (input: { roundId: string; definition: SchemeDefinition }) => {
        await at('gradeAssessmentRound', input);
        const placed = assignGrades(input.definition, [...totals.get(input.roundId)!].map(([id, total]) => ({ id, name: id, total })));
        const honoured = new Set(honourList(input.definition, placed).map((p) => p.id));
        results.set(input.roundId, placed.map((p) => ({ id: p.id, band: p.band, rank: p.rank, honoured: honoured.has(p.id) })));
        return { graded: placed.length };
      },
    }),
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const start = (roundId: string, definition: SchemeDefinition, subjects: RoundInput['subjects'] = []) =>
  env.client.workflow.start('assessmentRound', { taskQueue, workflowId: assessmentRoundWorkflowId(roundId), args: [{ roundId, definition, subjects }] });
const fileFor = (roundId: string) => (id: string, f: Filing) =>
  env.client.workflow.getHandle(assessedWorkflowId(roundId, id)).executeUpdate(submitAssessmentScores, { args: [f] });
const stagesOf = (roundId: string) => log.filter((l) => l.name === 'recordAssessmentStage' && l.input.roundId === roundId).map((l) => l.input.stage);
async function keep(name: string, round: WorkflowHandle) {
  await harness.replay(round.workflowId);
  await recordHistory(name, round);
}

/** Nominations through review to admitted subjects; returns the round's handle (at scoring) and when it started. */
async function nominateAndReview(roundId: string, d: SchemeDefinition, candidates: Candidate[]) {
  const t0 = await env.currentTimeMs();
  const round = await start(roundId, d);
  await env.sleep(DAY);
  const nominate = (by: 'community_committee' | 'street_committee' | 'residents', accountId: string, candidate: Candidate, reason = '扎根网格，热心服务群众') =>
    round.executeUpdate(nominateAssessmentCandidate, { args: [{ by: { kind: by, accountId }, candidate, reason }] });
  expect(await refusalType(nominate('residents', 'code-1', candidates[0]!))).toBe('WrongRole');
  expect(await refusalType(nominate('community_committee', 'c1', candidates[0]!, '好'))).toBe('Invalid');
  for (const [i, c] of candidates.entries()) await nominate(i % 2 ? 'community_committee' : d.nomination!.by.at(-1)!, `n${i % 2}`, c);
  expect(await refusalType(nominate('community_committee', 'c9', candidates[0]!))).toBe('AlreadyNominated');
  // The department may decide while nominations are open.
  await round.executeUpdate(reviewAssessmentNomination, { args: [{ nominationId: 'n1', decision: 'accept', accountId: 'd1' }] });
  await env.sleep(d.nomination!.days * DAY - DAY + 60_000);
  expect(await refusalType(nominate('community_committee', 'c1', { accountId: 'late', unitId: 'g9', name: '迟到者' }))).toBe('WrongStage');
  expect(await refusalType(round.executeUpdate(closeAssessmentScoring, { args: [{ accountId: 'd1' }] }))).toBe('WrongStage');
  const last = `n${candidates.length}`;
  expect(await refusalType(round.executeUpdate(reviewAssessmentNomination, { args: [{ nominationId: last, decision: 'refuse', accountId: 'd1' }] }))).toBe('Invalid');
  for (let i = 2; i < candidates.length; i++) {
    await round.executeUpdate(reviewAssessmentNomination, { args: [{ nominationId: `n${i}`, decision: 'accept', accountId: 'd1' }] });
  }
  // The last one waits past the review period: the department is reminded, then refuses it with a reason.
  await env.sleep(d.nomination!.reviewDays * DAY + 60_000);
  const reminders = log.filter((l) => l.name === 'remindAssessment' && l.input.roundId === roundId).map((l) => l.input.kind);
  expect(reminders).toEqual(['review']);
  const state = await round.executeUpdate(reviewAssessmentNomination, { args: [{ nominationId: last, decision: 'refuse', reason: '不在本辖区', accountId: 'd1' }] });
  expect(state.nominations!.map((n) => n.status)).toEqual([...candidates.slice(0, -1).map(() => 'accepted'), 'refused']);
  await env.sleep(60_000);
  expect((await round.query(assessmentRoundStatus)).stage).toBe('scoring');
  const admitted = log.find((l) => l.name === 'admitAssessmentNominees' && l.input.roundId === roundId)!;
  expect(Math.round((admitted.at - t0) / DAY)).toBe(d.nomination!.days + d.nomination!.reviewDays);
  return { round, t0 };
}

/** Residents vote (codes 1…n, one each: 好 0, 较好 1, 一般 2, 差 3); the department scores the deeds; scoring closes, signs, 公示, closes. */
async function voteAndAward(roundId: string, round: WorkflowHandle, marks: Record<string, { votes: number[]; deeds: number }>) {
  const file = fileFor(roundId);
  for (const [id, m] of Object.entries(marks)) {
    for (const [k, choice] of m.votes.entries()) await file(id, { source: 'residents', accountId: `code-${k + 1}`, entries: { residents_vote: { choice } } });
    await file(id, { source: 'department', accountId: 'd1', entries: { deeds: { points: m.deeds } } });
  }
  await round.executeUpdate(closeAssessmentScoring, { args: [{ accountId: 'd1' }] });
  await env.sleep(60_000);
  await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'd1' }] });
  await env.sleep(5 * DAY + 60_000);
  expect(await round.result()).toEqual({ roundId, assessed: Object.keys(marks).length, signedBy: ['d1'] });
  expect(stagesOf(roundId)).toEqual(['review', 'grading', 'sign_off', 'publicity', 'publicity']);
  return results.get(roundId)!;
}

describe('shipped schemes with votes, nominations and texts', () => {
  it('最美网格员: nomination, review, resident votes never doubled, deeds, 公示, award', async () => {
    const roundId = 'beauty-2026';
    const candidates = ['a1', 'a2', 'a3', 'a4'].map((id) => ({ accountId: id, unitId: `grid-${id}`, name: `网格员${id}` }));
    const { round } = await nominateAndReview(roundId, MOST_BEAUTIFUL_GRID_WORKER, candidates);
    const file = fileFor(roundId);
    // One code sends its vote five times at once (a double tap, two phones): one vote is taken, four are refused.
    const tries = await Promise.allSettled([0, 1, 2, 3, 4].map(() => file('s-a1', { source: 'residents', accountId: 'code-0', entries: { residents_vote: { choice: 0 } } })));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    const refused = tries.filter((t): t is PromiseRejectedResult => t.status === 'rejected');
    expect(refused.map((t) => ((t.reason as WorkflowUpdateFailedError).cause as unknown as { type: string }).type))
      .toEqual(['AlreadyVoted', 'AlreadyVoted', 'AlreadyVoted', 'AlreadyVoted']);
    expect(recorded.get('s-a1/residents:code-0')).toBe(1);
    expect(await refusalType(file('s-a2', { source: 'residents', accountId: 'code-0', entries: { residents_vote: { choice: 9 } } }))).toBe('Invalid');
    // a1: the code-0 vote above (好) and four more; a2 mixed; a3 poor.
    const awarded = await voteAndAward(roundId, round, {
      's-a1': { votes: [0, 0, 0, 0, 1].slice(1), deeds: 95 }, 's-a2': { votes: [1, 1, 2, 0], deeds: 80 }, 's-a3': { votes: [3, 2, 3, 3], deeds: 60 },
    });
    // a1: 60 × (1+1+1+1+0.8)/5 + 40 × 0.95 = 95.6; a2: 60 × 0.8 + 32 = 80; a3: 60 × 0.15 + 24 = 33.
    expect(Object.fromEntries(totals.get(roundId)!)).toEqual({ 's-a1': 95.6, 's-a2': 80, 's-a3': 33 });
    expect(awarded.map((r) => `${r.id}:${r.rank}:${r.band}:${r.honoured}`)).toEqual(['s-a1:1:excellent:true', 's-a2:2:good:true', 's-a3:3:shortlisted:true']);
    await keep('assessment-most-beautiful-grid-worker-v1', round);
  }, 180_000);

  it('最美楼栋长: building heads named by their community, without accounts', async () => {
    const roundId = 'heads-2026';
    const candidates = ['李大姐', '王大爷', '赵阿姨'].map((name) => ({ accountId: null, unitId: 'grid-7', name }));
    const { round } = await nominateAndReview(roundId, MOST_BEAUTIFUL_BUILDING_HEAD, candidates);
    const awarded = await voteAndAward(roundId, round, { 's-李大姐': { votes: [0, 0, 1], deeds: 90 }, 's-王大爷': { votes: [1, 1, 2], deeds: 85 } });
    expect(awarded.map((r) => `${r.id}:${r.rank}:${r.band}`)).toEqual(['s-李大姐:1:excellent', 's-王大爷:2:good']);
    await keep('assessment-most-beautiful-building-head-v1', round);
  }, 180_000);

  it('述职评议: reports answering every 必答题, votes by 党员代表 and the department once each, grades 好/较好/一般/差', async () => {
    const roundId = 'report-2026';
    const subjects = ['p1', 'p2', 'p3'].map((id) => ({ subjectId: id, accountId: `acc-${id}` }));
    const t0 = await env.currentTimeMs();
    const round = await start(roundId, R, subjects);
    await env.sleep(DAY);
    const file = fileFor(roundId);
    const text = '本年度围绕基层党建和网格化治理开展工作，'.repeat(6);
    expect(await refusalType(file('p1', { source: 'self', accountId: 'acc-p1', entries: { report: { text, answers: ['抓党建', '问题'] } } }))).toBe('Invalid');
    expect(await refusalType(file('p1', { source: 'self', accountId: 'acc-p2', entries: { report: { text, answers: ['一', '二', '三'] } } }))).toBe('WrongRole');
    for (const id of ['p1', 'p2', 'p3']) {
      await file(id, { source: 'self', accountId: `acc-${id}`, entries: { report: { text, answers: ['抓党建促治理', '矛盾化解不及时', '完善网格队伍'] } } });
    }
    // A report may be filed again (it replaces the first); a vote may not.
    await file('p1', { source: 'self', accountId: 'acc-p1', entries: { report: { text: `${text}补充。`, answers: ['一', '二', '三'] } } });
    const votes: Record<string, number[]> = { p1: [0, 0, 0, 0, 1], p2: [1, 1, 0, 1, 2], p3: [2, 2, 2, 1, 2] };
    for (const [id, choices] of Object.entries(votes)) {
      for (const [k, choice] of choices.entries()) await file(id, { source: 'party_reps', accountId: `rep-${k}`, entries: { overall: { choice } } });
      await file(id, { source: 'department', accountId: 'd1', entries: { overall: { choice: choices[0]! } } });
    }
    expect(await refusalType(file('p2', { source: 'party_reps', accountId: 'rep-0', entries: { overall: { choice: 0 } } }))).toBe('AlreadyVoted');
    expect(await refusalType(file('p2', { source: 'party_reps', accountId: 'rep-9', entries: { report: { text, answers: ['一', '二', '三'] } } }))).toBe('Invalid');
    await env.sleep(15 * DAY - (await env.currentTimeMs() - t0) + 60_000);
    expect(log.filter((l) => l.name === 'remindAssessment' && l.input.roundId === roundId).map((l) => Math.round((l.at - t0) / DAY))).toEqual([12]);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'd1' }] });
    await env.sleep(5 * DAY + 60_000);
    expect(await round.result()).toEqual({ roundId, assessed: 3, signedBy: ['d1'] });
    // p1: reps (1×4 + 0.8)/5 = 0.96, dept 1 → (60×0.96 + 30)/90 = 97.33 好; p2: reps 0.8, dept 0.8 → 80 较好; p3: reps 0.64, dept 0.6 → 62.67 一般.
    expect(Object.fromEntries(totals.get(roundId)!)).toEqual({ p1: 97.33, p2: 80, p3: 62.67 });
    expect(results.get(roundId)!.map((r) => `${r.id}:${r.band}`)).toEqual(['p1:good', 'p2:fairly_good', 'p3:average']);
    expect(filings.get('p1')!.find((f) => f.source === 'self')!.entries.report).toMatchObject({ text: `${text}补充。` });
    await keep('assessment-report-review-v1', round);
  }, 180_000);

  it.each(['assessment-most-beautiful-grid-worker-v1', 'assessment-most-beautiful-building-head-v1', 'assessment-report-review-v1'])(
    'still replays the recorded history %s', async (name) => {
      await replayRecorded(harness, name);
    }, 60_000);
});
