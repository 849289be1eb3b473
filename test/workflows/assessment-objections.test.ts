// A round of a scheme with 公示 objections on the devserver with time skipping (activities
// stubbed in memory): three assessed are scored by the department, scoring is closed early, the
// department signs off; during 公示 an objection is refused for a name outside the round, two
// are filed (one by the assessed, one by a resident); the department upholds one with a corrected
// band (a broken answer and a second answer are refused); the other is left unanswered, so 公示
// does not close on its day: the department is reminded after `answerDays` and again, then
// dismisses it and the round closes, the pay grades and bonuses following the corrected band.
// A filing after 公示's days is refused. The final history is replayed, and a recorded one still replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  answerAssessmentObjection, assessedWorkflowId, assessmentRoundStatus, assessmentRoundWorkflowId, closeAssessmentScoring, fileAssessmentObjection,
  signOffAssessmentRound, submitAssessmentScores, type RoundInput,
} from '../../domain/assessment/contracts.ts';
import { bonusOf, correctedBand, type ObjectionAnswer } from '../../domain/assessment/objections.ts';
import { assignGrades, payGradeMove, weightedScore, type SchemeDefinition } from '../../domain/assessment/rules.ts';
import type { Filing } from '../../domain/assessment/state.ts';
import type { WorkflowHarness } from '../support/workflow-harness.ts';
import { recordHistory, refusalType, replayRecorded, startAssessmentHarness, type Logged } from './assessment-support.ts';

const DAY = 86_400_000;
const HISTORY = 'assessment-round-objections-v1';
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'assessment-objections-test';
const log: Logged[] = [];
const filings = new Map<string, Filing[]>();
const totals = new Map<string, number>();
const results = new Map<string, { band: string; payAfter: number; bonus: number | null }>();
const payGrades = new Map<string, number>([['u1', 5], ['u2', 5], ['u3', 5]]);
const bonuses = new Map<string, number | null>();

/** A yearly review of community units: one checklist, one manual score by the department, 3 bands with a cap, bonuses and objections. */
const REVIEW: SchemeDefinition = {
  name: '社区年度工作考评', target: { kind: 'unit', unitLevel: 'community' }, cadence: 'yearly',
  sections: [{ key: 'work', name: '年度工作', indicators: [
    { key: 'tasks', name: '重点任务完成', weight: 60, rule: 'checklist', items: ['党建阵地', '网格管理', '为民服务'] },
    { key: 'impression', name: '综合印象', weight: 40, rule: 'manual', max: 10 },
  ] }],
  sources: [{ kind: 'department', weight: 100 }],
  deadlines: { scoringDays: 10, reminderDaysBefore: 0, signOffDays: 3 },
  bands: [{ key: 'a', name: '好', minScore: 85, maxShare: 0.34 }, { key: 'b', name: '较好', minScore: 60 }, { key: 'c', name: '一般', minScore: 0 }],
  signOff: ['org_department'], publicityDays: 5,
  outputs: { payGrade: { a: 1, b: 0, c: -1 }, honourBands: ['a'], bonus: { a: 3000, b: 1500, c: 0 } },
  objections: { answerDays: 2 },
};

beforeAll(async () => {
  harness = await startAssessmentHarness({
    taskQueue, log,
    activities: (at) => ({
      recordAssessmentFiling: async (input: { subjectId: string; filing: Filing }) => {
        filings.set(input.subjectId, [...(filings.get(input.subjectId) ?? []), input.filing]);
      },
      scoreAssessedSubject: async (input: { subjectId: string; definition: SchemeDefinition }) => {
        const { total } = weightedScore(input.definition, filings.get(input.subjectId) ?? [], {});
        totals.set(input.subjectId, total);
        return { total };
      },
      gradeAssessmentRound: async (input: { definition: SchemeDefinition }) => {
        for (const p of assignGrades(input.definition, [...totals].map(([id, total]) => ({ id, name: id, total })))) {
          results.set(p.id, { band: p.band, payAfter: payGradeMove(input.definition, p.band, payGrades.get(p.id)!).after, bonus: bonusOf(input.definition, p.band) });
        }
        return { graded: totals.size };
      },
      acceptAssessmentObjection: (input: Record<string, unknown>) => at('acceptAssessmentObjection', input),
      answerAssessmentObjection: async (input: { answer: ObjectionAnswer; definition: SchemeDefinition }) => {
        await at('answerAssessmentObjection', input);
        const subject = input.answer.objectionId === 'o1' ? 'u2' : 'u3';
        if (input.answer.decision === 'upheld') {
          const band = correctedBand(input.definition.bands, input.answer, results.get(subject)!.band);
          results.set(subject, { band, payAfter: payGradeMove(input.definition, band, payGrades.get(subject)!).after, bonus: bonusOf(input.definition, band) });
        }
      },
      closeAssessmentRound: async (input: Record<string, unknown>) => {
        await at('closeAssessmentRound', input);
        for (const [id, r] of results) {
          payGrades.set(id, r.payAfter);
          bonuses.set(id, r.bonus);
        }
      },
    }),
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('assessment round with 公示 objections', () => {
  it('holds 公示 open while an objection is unanswered, reminds the department, and applies the upheld correction', async () => {
    const roundId = 'round-objections';
    const input: RoundInput = { roundId, definition: REVIEW, subjects: ['u1', 'u2', 'u3'].map((id) => ({ subjectId: id, accountId: null })) };
    const round = await env.client.workflow.start('assessmentRound', { taskQueue, workflowId: assessmentRoundWorkflowId(roundId), args: [input] });
    await env.sleep(60_000);
    const objection = (objectionId: string, subjectId: string) => round.executeUpdate(fileAssessmentObjection,
      { args: [{ objectionId, subjectId, filer: 'resident', accountId: null }] });
    expect(await refusalType(objection('o0', 'u1'))).toBe('WrongStage');
    const marks: Record<string, [number[], number]> = { u1: [[0, 1, 2], 10], u2: [[0, 1, 2], 9], u3: [[0, 1], 6] };
    for (const [id, [ticked, points]] of Object.entries(marks)) {
      await env.client.workflow.getHandle(assessedWorkflowId(roundId, id)).executeUpdate(submitAssessmentScores,
        { args: [{ source: 'department', accountId: 'd1', entries: { tasks: { ticked }, impression: { points } } }] });
    }
    await round.executeUpdate(closeAssessmentScoring, { args: [{ accountId: 'd1' }] });
    await env.sleep(60_000);
    // u1 100 and u2 96 both reach 好, but the cap (34% of 3 → 1) keeps u2 at 较好; u3 64 is 较好.
    expect([...results].map(([id, r]) => `${id}:${r.band}`).sort()).toEqual(['u1:a', 'u2:b', 'u3:b']);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'd1' }] });
    await env.sleep(60_000);
    const opened = log.filter((l) => l.name === 'recordAssessmentStage' && l.input.stage === 'publicity')[0]!.at;

    expect(await refusalType(objection('ox', 'nobody'))).toBe('Invalid');
    await round.executeUpdate(fileAssessmentObjection, { args: [{ objectionId: 'o1', subjectId: 'u2', filer: 'subject', accountId: null }] });
    await objection('o2', 'u3');
    const answer = (a: Omit<ObjectionAnswer, 'accountId'>) => round.executeUpdate(answerAssessmentObjection, { args: [{ ...a, accountId: 'd1' }] });
    expect(await refusalType(answer({ objectionId: 'o1', decision: 'upheld', reason: '经复核' }))).toBe('Invalid');
    const answered = await answer({ objectionId: 'o1', decision: 'upheld', reason: '经复核，加分项漏计，调整为好', correctedBand: 'a' });
    expect(answered.objections.map((o) => `${o.id}:${o.open}`)).toEqual(['o1:false', 'o2:true']);
    expect(await refusalType(answer({ objectionId: 'o1', decision: 'dismissed', reason: '再答' }))).toBe('WrongStage');

    // 公示's 5 days pass with o2 open: no close; the department is reminded 2 days after filing and again 2 days later.
    await env.sleep(5 * DAY);
    expect(await refusalType(objection('o3', 'u1'))).toBe('WrongStage');
    expect(log.some((l) => l.name === 'closeAssessmentRound')).toBe(false);
    const reminders = log.filter((l) => l.name === 'remindAssessment' && l.input.kind === 'objection');
    expect(reminders.map((r) => Math.round((r.at - opened) / DAY))).toEqual([2, 4]);
    expect((await round.query(assessmentRoundStatus)).stage).toBe('publicity');
    await answer({ objectionId: 'o2', decision: 'dismissed', reason: '经核实，评分无误' });
    const result = await round.result();
    expect(result).toMatchObject({ roundId, assessed: 3 });
    const closed = log.find((l) => l.name === 'closeAssessmentRound')!;
    expect(closed.at - opened).toBeGreaterThan(5 * DAY);
    // u2 upheld to 好: one grade up and the 好 bonus; u3 stays 较好.
    expect(Object.fromEntries(payGrades)).toEqual({ u1: 6, u2: 6, u3: 5 });
    expect(Object.fromEntries(bonuses)).toEqual({ u1: 3000, u2: 3000, u3: 1500 });
    await harness.replay(assessmentRoundWorkflowId(roundId));
    await recordHistory(HISTORY, round);
  }, 180_000);

  it('still replays the recorded history of a round with objections', async () => {
    expect((await replayRecorded(harness, HISTORY)).updates).toEqual(['closeAssessmentScoring', 'signOffAssessmentRound', 'fileAssessmentObjection', 'fileAssessmentObjection',
      'answerAssessmentObjection', 'answerAssessmentObjection']);
  }, 60_000);
});
