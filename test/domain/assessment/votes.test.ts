// Votes, texts and nominations of assessment schemes: the shipped 最美网格员/楼栋长 and 述职评议
// definitions are accepted, broken vote/text/nomination fields are named, a vote's share is
// its option's score over the best, a voter's second vote is refused (a scorer's second filing
// of manual scores still replaces the first), 述职 texts must answer every 必答题, and a
// nomination needs a reason, is not doubled and a refusal says why.
import { describe, expect, it } from '@jest/globals';
import {
  GRID_WORKER_HALF_YEARLY, MOST_BEAUTIFUL_BUILDING_HEAD as B, MOST_BEAUTIFUL_GRID_WORKER as M, PARTY_SECRETARY_REPORT_REVIEW as R,
} from '../../../domain/assessment/defaults.ts';
import { entriesProblems, schemeProblems, scoredBy, weightedScore, type Filing, type SchemeDefinition } from '../../../domain/assessment/rules.ts';
import { filingRefusal } from '../../../domain/assessment/state.ts';
import { nominateProblem, reviewProblem, type NominationEntry } from '../../../domain/assessment/votes.ts';

const clone = (d: SchemeDefinition): SchemeDefinition => JSON.parse(JSON.stringify(d));
const fieldsOf = (d: SchemeDefinition) => schemeProblems(d).map((p) => p.field).sort();
const report = 'x'.repeat(120);

describe('vote, text and nomination definitions', () => {
  it('accepts the shipped schemes', () => {
    expect(schemeProblems(M)).toEqual([]);
    expect(schemeProblems(B)).toEqual([]);
    expect(schemeProblems(R)).toEqual([]);
  });

  it('names the fields of a broken vote, text and nomination', () => {
    const d = clone(R);
    const text = d.sections[0]!.indicators[0]!;
    const vote = d.sections[1]!.indicators[0]!;
    text.weight = 10;
    text.prompts = ['  '];
    vote.options = [{ label: '好', score: 100 }, { label: '好', score: 120 }];
    vote.voters = ['party_reps', 'residents'];
    d.nomination = { by: ['mayor' as never], days: 0, reviewDays: 5 };
    expect(fieldsOf(d)).toEqual([
      'nomination.by[0]', 'nomination.days', 'sections[0].indicators[0].prompts[0]', 'sections[0].indicators[0].weight',
      'sections[1].indicators[0].options[1].label', 'sections[1].indicators[0].options[1].score', 'sections[1].indicators[0].voters[1]',
    ]);
  });

  it('a text needs the self source', () => {
    const d = clone(R);
    d.sources = [{ kind: 'party_reps', weight: 70 }, { kind: 'department', weight: 30 }];
    expect(fieldsOf(d)).toEqual(['sections[0].indicators[0].rule']);
  });
});

describe('scoring by votes', () => {
  it('the share is the mean of the chosen options over the best option, source-weighted', () => {
    // 党员代表 (60): 好, 较好, 差 → (1 + 0.8 + 0) / 3 = 0.6; department (30): 好 → 1; (60×0.6 + 30×1) / 90 = 0.7333
    const filings: Filing[] = [
      { source: 'party_reps' as const, entries: { overall: { choice: 0 } } }, { source: 'party_reps' as const, entries: { overall: { choice: 1 } } },
      { source: 'party_reps' as const, entries: { overall: { choice: 3 } } }, { source: 'department' as const, entries: { overall: { choice: 0 } } },
      { source: 'self' as const, entries: { report: { text: report, answers: ['a', 'b', 'c'] } } },
    ];
    expect(weightedScore(R, filings, {})).toMatchObject({ total: 73.33, byIndicator: { report: 0, overall: 73.33 } });
  });

  it('who votes is the indicator\'s sources; 党员代表 score nothing else', () => {
    const vote = R.sections[1]!.indicators[0]!;
    expect(['self', 'party_reps', 'department', 'residents'].map((s) => scoredBy(vote, s as never))).toEqual([false, true, true, false]);
    expect(scoredBy(GRID_WORKER_HALF_YEARLY.sections[0]!.indicators[0]!, 'party_reps')).toBe(false);
    expect(entriesProblems(R, 'party_reps', { overall: { choice: 4 } })).toEqual([{ field: 'scores.overall.choice', rule: 'must choose an option 0–3' }]);
  });

  it('a voter votes once for a subject, a manual score may be filed again', () => {
    const state = { open: true, filed: ['residents:code-1', 'department:d1'], revision: 2 };
    expect(filingRefusal(M, state, null, { source: 'residents', accountId: 'code-1', entries: { residents_vote: { choice: 0 } } })?.type).toBe('AlreadyVoted');
    expect(filingRefusal(M, state, null, { source: 'residents', accountId: 'code-2', entries: { residents_vote: { choice: 0 } } })).toBeNull();
    expect(filingRefusal(M, state, null, { source: 'department', accountId: 'd1', entries: { deeds: { points: 90 } } })).toBeNull();
  });

  it('述职: every required question is answered and the report is long enough', () => {
    const problems = entriesProblems(R, 'self', { report: { text: '太短', answers: ['做了很多', ' '] } });
    expect(problems.map((p) => p.field)).toEqual(['scores.report.text', 'scores.report.answers']);
    const gap = entriesProblems(R, 'self', { report: { text: report, answers: ['做了很多', ' ', '继续'] } });
    expect(gap).toEqual([{ field: 'scores.report.answers[1]', rule: 'must be answered (1 to 5000 characters)' }]);
    expect(entriesProblems(R, 'self', { report: { text: report, answers: ['一', '二', '三'] } })).toEqual([]);
  });
});

describe('nominations', () => {
  const n = M.nomination!;
  const entry = (id: string, accountId: string, by = 'c1'): NominationEntry => ({
    id, by: { kind: 'community_committee', accountId: by }, candidate: { accountId, unitId: 'u1', name: accountId }, reason: '事迹突出，群众认可',
    status: 'pending', decisionReason: null,
  });
  const list = [entry('n1', 'a1'), entry('n2', 'a2'), entry('n3', 'a3')];

  it('needs a nominator the scheme names and a reason; a candidate is nominated once; three per nominator', () => {
    const a = (accountId: string, over: Record<string, unknown> = {}) => ({ by: { kind: 'community_committee' as const, accountId: 'c2' },
      candidate: { accountId, unitId: 'u1', name: accountId }, reason: '带头化解矛盾纠纷', ...over });
    expect(nominateProblem(n, list, a('a9', { by: { kind: 'residents', accountId: 'x' } }))?.type).toBe('WrongRole');
    expect(nominateProblem(n, list, a('a9', { reason: '好' }))?.details).toEqual([{ field: 'reason', rule: 'must be 5 to 500 characters' }]);
    expect(nominateProblem(n, list, a('a2'))?.type).toBe('AlreadyNominated');
    expect(nominateProblem(n, list, { ...a('a9'), by: { kind: 'community_committee', accountId: 'c1' } })?.details?.[0]?.field).toBe('candidate');
    expect(nominateProblem(n, list, a('a9'))).toBeNull();
    // Two building heads of one grid without accounts are two candidates; the same name twice is one.
    const named = [{ ...entry('n1', 'x'), candidate: { accountId: null, unitId: 'g1', name: '李大姐' } }];
    const head = (name: string) => ({ by: { kind: 'community_committee' as const, accountId: 'c2' }, candidate: { accountId: null, unitId: 'g1', name }, reason: '热心楼道事务' });
    expect(nominateProblem(B.nomination!, named, head('王大爷'))).toBeNull();
    expect(nominateProblem(B.nomination!, named, head('李大姐'))?.type).toBe('AlreadyNominated');
  });

  it('a refusal says why; an unknown nomination is refused', () => {
    expect(reviewProblem(list, { nominationId: 'n2', decision: 'refuse', accountId: 'd' })?.details?.[0]?.field).toBe('reason');
    expect(reviewProblem(list, { nominationId: 'n9', decision: 'accept', accountId: 'd' })?.type).toBe('Unknown');
    expect(reviewProblem(list, { nominationId: 'n2', decision: 'refuse', reason: '事迹材料不实', accountId: 'd' })).toBeNull();
  });
});
