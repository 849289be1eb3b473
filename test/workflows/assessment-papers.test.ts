// The papers of a round (考核评分表, 考核结果通知书) on the devserver with time skipping (activities
// stubbed in memory): three communities are scored by the department, scoring closes early; nothing
// is printed while the sign-off chain is incomplete; once the street and the department have signed,
// a score sheet per assessed is printed before 公示 begins, then the ranking, then a result notice per
// assessed that names 公示's end; a notice the renderer refuses is left out and the round goes on; an
// upheld objection prints the corrected subject's papers again before the round closes. The final
// history is replayed, and a recorded one still replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import {
  answerAssessmentObjection, assessedWorkflowId, assessmentRoundStatus, assessmentRoundWorkflowId, closeAssessmentScoring, fileAssessmentObjection, signOffAssessmentRound,
  submitAssessmentScores, type RoundInput,
} from '../../domain/assessment/contracts.ts';
import { weightedScore, type SchemeDefinition } from '../../domain/assessment/rules.ts';
import type { Filing } from '../../domain/assessment/state.ts';
import type { ReportRequest } from '../../domain/reports/contracts.ts';
import type { WorkflowHarness } from '../support/workflow-harness.ts';
import { recordHistory, replayRecorded, startAssessmentHarness, type Logged } from './assessment-support.ts';

const DAY = 86_400_000;
const HISTORY = 'assessment-papers-v1';
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'assessment-papers-test';
const log: Logged[] = [];
const filings = new Map<string, Filing[]>();
const rendered: { type: string; subjectId: string }[] = [];

const SCHEME: SchemeDefinition = {
  name: '社区年度工作考评', target: { kind: 'unit', unitLevel: 'community' }, cadence: 'yearly',
  sections: [{ key: 'work', name: '年度工作', indicators: [{ key: 'impression', name: '综合印象', weight: 100, rule: 'manual', max: 10 }] }],
  sources: [{ kind: 'department', weight: 100 }],
  deadlines: { scoringDays: 10, reminderDaysBefore: 0, signOffDays: 3 },
  bands: [{ key: 'a', name: '好', minScore: 85 }, { key: 'b', name: '一般', minScore: 0 }],
  signOff: ['street_committee', 'org_department'], publicityDays: 5,
  outputs: { papers: ['score_sheet', 'result_notice'] },
  objections: { answerDays: 2 },
};

beforeAll(async () => {
  harness = await startAssessmentHarness({
    taskQueue, log,
    activities: (at) => ({
      recordAssessmentFiling: async (input: { subjectId: string; filing: Filing }) => {
        filings.set(input.subjectId, [...(filings.get(input.subjectId) ?? []), input.filing]);
      },
      scoreAssessedSubject: async (input: { subjectId: string; definition: SchemeDefinition }) => ({
        total: weightedScore(input.definition, filings.get(input.subjectId) ?? [], {}).total }),
      gradeAssessmentRound: async () => ({ graded: 3 }),
      acceptAssessmentObjection: async () => undefined,
      answerAssessmentObjection: (input: Record<string, unknown>) => at('answerAssessmentObjection', input),
    }),
    renderReport: async (request: ReportRequest) => {
      rendered.push({ type: request.type, subjectId: request.subjectId });
      // The renderer refuses u3's notice (bad data fails the same on every attempt): it is left out, the round goes on.
      if (request.type === 'assessment-result-notice' && request.subjectId === 'u3') throw ApplicationFailure.nonRetryable('no grade', 'ReportDataError');
      const n = rendered.length.toString(16).padStart(2, '0');
      return { sha256: n.repeat(32), bytes: 1, pages: 1, storagePath: 'x', reportFileId: null, version: 1 };
    },
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const papersOf = (kind: string) => log.filter((l) => l.name === 'recordAssessmentPapers' && l.input.kind === kind)
  .flatMap((l) => (l.input.papers as { subjectId: string }[]).map((p) => p.subjectId));

describe('the papers of an assessment round', () => {
  it('prints score sheets at sign-off, notices at 公示, and again for a result an objection corrected', async () => {
    const roundId = 'round-papers';
    const input: RoundInput = { roundId, definition: SCHEME, subjects: ['u1', 'u2', 'u3'].map((id) => ({ subjectId: id, accountId: null })) };
    const round = await env.client.workflow.start('assessmentRound', { taskQueue, workflowId: assessmentRoundWorkflowId(roundId), args: [input] });
    await env.sleep(60_000);
    for (const [id, points] of [['u1', 10], ['u2', 8], ['u3', 5]] as const) {
      await env.client.workflow.getHandle(assessedWorkflowId(roundId, id)).executeUpdate(submitAssessmentScores,
        { args: [{ source: 'department', accountId: 'd1', entries: { impression: { points } } }] });
    }
    await round.executeUpdate(closeAssessmentScoring, { args: [{ accountId: 'd1' }] });
    // Grading runs first: the chain's first step is taken once the round waits for it.
    for (let i = 0; i < 100 && (await round.query(assessmentRoundStatus)).stage !== 'sign_off'; i++) await env.sleep(60_000);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'street_committee', accountId: 's1' }] });
    await env.sleep(DAY);
    // The chain is not complete: nothing is printed yet.
    expect(log.filter((l) => l.name === 'prepareAssessmentPaper')).toEqual([]);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'd1' }] });
    await env.sleep(60_000);

    const order = log.map((l) => (l.name === 'prepareAssessmentPaper' ? `${l.input.kind}:${l.input.subjectId}`
      : l.name === 'recordAssessmentStage' ? `stage:${l.input.stage}` : l.name)).filter((n) => !n.startsWith('recordAssessmentSignOff'));
    const publicity = order.indexOf('stage:publicity');
    // Score sheets of all three before 公示 begins; the ranking, then the notices after.
    expect(order.slice(0, publicity).filter((n) => n.startsWith('score_sheet')).sort()).toEqual(['score_sheet:u1', 'score_sheet:u2', 'score_sheet:u3']);
    expect(order.indexOf('prepareAssessmentRanking')).toBeGreaterThan(publicity);
    expect(order.slice(order.indexOf('prepareAssessmentRanking')).filter((n) => n.startsWith('result_notice')).sort())
      .toEqual(['result_notice:u1', 'result_notice:u2', 'result_notice:u3']);
    expect(papersOf('score_sheet').sort()).toEqual(['u1', 'u2', 'u3']);
    // u3's notice could not be printed: it is not recorded (the page offers none), the others are.
    expect(papersOf('result_notice').sort()).toEqual(['u1', 'u2']);
    // The notices name 公示's end: 5 days from when it began.
    const opened = log.find((l) => l.name === 'recordAssessmentStage' && l.input.stage === 'publicity')!;
    const notice = log.find((l) => l.name === 'prepareAssessmentPaper' && l.input.kind === 'result_notice')!;
    expect(Math.round((notice.input.publicityEndsAt - opened.at) / DAY)).toBe(5);
    expect(log.find((l) => l.name === 'prepareAssessmentPaper' && l.input.kind === 'score_sheet')!.input.publicityEndsAt).toBeNull();

    await round.executeUpdate(fileAssessmentObjection, { args: [{ objectionId: 'o1', subjectId: 'u2', filer: 'subject', accountId: null }] });
    await round.executeUpdate(answerAssessmentObjection, { args: [{ objectionId: 'o1', accountId: 'd1', decision: 'upheld', reason: '漏计加分', correctedBand: 'a' }] });
    expect(await round.result()).toMatchObject({ roundId, assessed: 3 });
    // After 公示: u2's papers printed again (both kinds), before the round closed; nobody else's.
    const closed = log.findIndex((l) => l.name === 'closeAssessmentRound');
    const answered = log.findIndex((l) => l.name === 'answerAssessmentObjection');
    const reprinted = log.slice(answered, closed).filter((l) => l.name === 'prepareAssessmentPaper').map((l) => `${l.input.kind}:${l.input.subjectId}`);
    expect(reprinted).toEqual(['score_sheet:u2', 'result_notice:u2']);
    expect(papersOf('score_sheet').sort()).toEqual(['u1', 'u2', 'u2', 'u3']);
    // Each paper rendered once per printing (no retries double a version): 3 sheets, 3 notices (one refused), 2 again, and the ranking.
    expect(rendered.filter((r) => r.type !== 'assessment-ranking')).toHaveLength(8);
    await harness.replay(assessmentRoundWorkflowId(roundId));
    await recordHistory(HISTORY, round);
  }, 180_000);

  it('still replays the recorded history of a round with papers', async () => {
    const { activities } = await replayRecorded(harness, HISTORY);
    expect(activities.filter((a) => a === 'prepareAssessmentPaper')).toHaveLength(8);
  }, 60_000);
});
