import { describe, expect, it } from '@jest/globals';
import {
  gatePlan,
  resolveSettings,
  scoreEvaluation,
  validateCommitmentSet,
  type CommitmentDraft,
} from '../../../domain/dual-commitment/rules.ts';
import {
  apply,
  initialState,
  pendingAlarms,
  refusal,
  submissionReminders,
  takeDueAlarms,
  type Actor,
  type DualCommitmentState,
} from '../../../domain/dual-commitment/state.ts';
import { DAY_MS, shanghaiDate } from '../../../domain/time.ts';

const item = (over: Partial<CommitmentDraft> = {}): CommitmentDraft => ({
  key: 'p1',
  side: 'party',
  catalogItemCode: 'P-1-1',
  title: '开展政治理论学习',
  content: '每季度组织一次职工政治理论学习',
  target: '全年组织学习4次，覆盖全体党员',
  indicator: '学习次数≥4',
  deadline: '2025-06-30',
  responsiblePerson: { name: '王书记' },
  ...over,
});
const window = { from: '2025-01-01', to: '2025-11-30' };
const catalog = [
  { code: 'P-1-1', side: 'party' as const, area: '思想政治引领' },
  { code: 'E-1-1', side: 'enterprise' as const, area: '工作支持' },
];

describe('validateCommitmentSet', () => {
  it('accepts a set with both sides, concrete targets and deadlines inside the cycle', () => {
    const set = [item(), item({ key: 'e1', side: 'enterprise', catalogItemCode: null, title: '提供活动场所' })];
    expect(validateCommitmentSet(set, window, catalog)).toEqual([]);
  });

  it('names every missing field with its path', () => {
    const problems = validateCommitmentSet([item({ target: ' ', indicator: '', deadline: '2026-01-10', responsiblePerson: { name: '' } })], window, catalog);
    expect(problems).toEqual([
      { field: 'commitments[0].target', rule: 'is required: a concrete target that can be seen' },
      { field: 'commitments[0].indicator', rule: 'is required: how fulfilment is measured' },
      { field: 'commitments[0].deadline', rule: 'must lie inside the cycle, between 2025-01-01 and 2025-11-30' },
      { field: 'commitments[0].responsiblePerson.name', rule: 'is required' },
      { field: 'commitments', rule: 'needs at least one commitment of the enterprise side' },
    ]);
  });

  it('refuses unknown or wrong-side catalog items, impossible dates, duplicates and custom items without a title', () => {
    const problems = validateCommitmentSet(
      [
        item({ catalogItemCode: 'X-9' }),
        item({ key: 'p1', catalogItemCode: 'E-1-1', deadline: '2025-02-30' }),
        item({ key: 'e1', side: 'enterprise', catalogItemCode: null, title: '' }),
      ],
      window,
      catalog,
    );
    expect(problems.map((p) => `${p.field} ${p.rule}`)).toEqual([
      'commitments[0].catalogItemCode is not an item of the cycle catalog',
      'commitments[1].key must be unique within the set',
      'commitments[1].catalogItemCode belongs to the enterprise side',
      'commitments[1].deadline must be a date YYYY-MM-DD',
      'commitments[2].title is required for a custom commitment',
    ]);
  });
});

describe('settings and gate dates', () => {
  it('uses the defaults and turns dates into Shanghai day boundaries', () => {
    const { settings, problems } = resolveSettings(2025, {});
    expect(problems).toEqual([]);
    const plan = gatePlan(2025, settings);
    // 2025-03-31 ends at midnight Shanghai = 16:00 UTC.
    expect(plan.submissionDeadline).toBe('2025-03-31T16:00:00.000Z');
    expect(plan.evaluationStart).toBe('2025-11-30T16:00:00.000Z');
    expect(plan.publicationDays).toBe(7);
    expect(plan.weights).toEqual({ self: 20, staff: 30, organization: 50 });
    expect(shanghaiDate(new Date('2025-03-31T16:30:00Z'))).toBe('2025-04-01');
  });

  it('takes overrides and refuses gates out of order or weights not adding to 100', () => {
    const ok = resolveSettings(2025, { submissionDeadline: '2025-04-15', publicationDays: 10, weights: { self: 10, staff: 40, organization: 50 } });
    expect(ok.problems).toEqual([]);
    expect(ok.settings.submissionDeadline).toBe('2025-04-15');
    const bad = resolveSettings(2025, { practiceEnd: '2025-03-01', weights: { self: 10, staff: 10, organization: 10 }, publicationDays: 0 });
    expect(bad.problems.map((p) => p.field)).toEqual(['settings.publicationDays', 'settings.weights', 'settings.practiceEnd']);
  });
});

describe('scoreEvaluation', () => {
  const weights = { self: 20, staff: 30, organization: 50 };
  it('weights self, staff and organization scores', () => {
    const result = scoreEvaluation({ selfScores: { party: 90, enterprise: 100 }, staffRatings: [5, 4], itemScores: [80, 90], weights });
    // self 95*0.2 + staff 87.5*0.3 + organization 85*0.5 = 19 + 26.25 + 42.5
    expect(result.total).toBe(87.8);
    expect(result.grade).toBe('良好');
    expect(result.components).toEqual([
      { method: 'self', weightPercent: 20, score: 95 },
      { method: 'staff', weightPercent: 30, score: 87.5 },
      { method: 'organization', weightPercent: 50, score: 85 },
    ]);
  });

  it('shares the weight of an absent survey among the others in proportion', () => {
    const result = scoreEvaluation({ selfScores: { party: 100 }, staffRatings: [], itemScores: [50], weights });
    // self 100 * 20/70 + organization 50 * 50/70 = 28.57 + 35.71
    expect(result.total).toBe(64.3);
    expect(result.grade).toBe('合格');
    expect(result.components[1]).toEqual({ method: 'staff', weightPercent: 0, score: null });
  });

  it('refuses an evaluation without item scores or with out-of-range input', () => {
    expect(() => scoreEvaluation({ selfScores: {}, staffRatings: [], itemScores: [], weights })).toThrow('at least one item');
    expect(() => scoreEvaluation({ selfScores: {}, staffRatings: [6], itemScores: [50], weights })).toThrow('1-5');
  });
});

const actor = (...roles: string[]): Actor => ({ accountId: roles.join('+'), login: roles.join('+'), roles });
const items = [
  { key: 'p1', side: 'party' as const, dueAt: '2025-06-30T16:00:00.000Z' },
  { key: 'e1', side: 'enterprise' as const, dueAt: '2025-07-31T16:00:00.000Z' },
];

describe('state machine', () => {
  const approved = (): DualCommitmentState => {
    const s = initialState();
    apply(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 1, items });
    apply(s, { kind: 'review', actor: actor('community_committee'), version: 1, decision: 'approve', comments: '' });
    return s;
  };

  it('runs submit, return, resubmit, approve and refuses out-of-turn actions', () => {
    const s = initialState();
    expect(refusal(s, { kind: 'submit', actor: actor('evaluator'), version: 1, items })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'review', actor: actor('community_committee'), version: 1, decision: 'approve', comments: '' })?.type).toBe('WrongState');
    apply(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 1, items });
    expect(refusal(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 2, items })?.type).toBe('WrongState');
    expect(refusal(s, { kind: 'review', actor: actor('enterprise_rep'), version: 1, decision: 'approve', comments: '' })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'review', actor: actor('community_committee'), version: 1, decision: 'return', comments: ' ' })?.type).toBe('Invalid');
    apply(s, { kind: 'review', actor: actor('community_committee'), version: 1, decision: 'return', comments: '目标不具体' });
    expect(s.setStatus).toBe('returned');
    expect(refusal(s, { kind: 'review', actor: actor('community_committee'), version: 1, decision: 'approve', comments: '' })?.type).toBe('AlreadyDecided');
    expect(refusal(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 1, items })?.type).toBe('StaleVersion');
    apply(s, { kind: 'submit', actor: actor('enterprise_party_org'), version: 2, items });
    expect(refusal(s, { kind: 'review', actor: actor('street_committee'), version: 1, decision: 'approve', comments: '' })?.type).toBe('StaleVersion');
    apply(s, { kind: 'review', actor: actor('street_committee'), version: 2, decision: 'approve', comments: '' });
    expect(s).toMatchObject({ setStatus: 'approved', approvedVersion: 2, items: [{ key: 'p1', filed: null }, { key: 'e1', filed: null }] });
    expect(refusal(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 3, items })?.type).toBe('AlreadyDecided');
  });

  it('lets each side file only its own items, in practice only', () => {
    const s = approved();
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled' })?.type).toBe('WrongGate');
    s.gate = 'practice';
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('enterprise_rep'), itemKey: 'p1', status: 'fulfilled' })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('enterprise_rep'), itemKey: 'zz', status: 'fulfilled' })?.type).toBe('UnknownItem');
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled' })).toBeNull();
  });

  it('keeps filed statuses when a change is approved during practice, and the old version when it is returned', () => {
    const s = approved();
    s.gate = 'practice';
    apply(s, { kind: 'fileItemStatus', actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled' });
    apply(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 2, items: [...items, { key: 'e2', side: 'enterprise', dueAt: '2025-09-30T16:00:00.000Z' }] });
    apply(s, { kind: 'review', actor: actor('evaluator'), version: 2, decision: 'return', comments: '不同意' });
    expect(s).toMatchObject({ setStatus: 'approved', approvedVersion: 1 });
    apply(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 3, items: [...items, { key: 'e2', side: 'enterprise', dueAt: '2025-09-30T16:00:00.000Z' }] });
    apply(s, { kind: 'review', actor: actor('evaluator'), version: 3, decision: 'approve', comments: '' });
    expect(s.approvedVersion).toBe(3);
    expect(s.items.map((i) => [i.key, i.filed])).toEqual([['p1', 'fulfilled'], ['e1', null], ['e2', null]]);
  });

  it('requires scoring before sign-off, sign-off before countersign, and refuses doing either twice', () => {
    const s = approved();
    s.gate = 'evaluate';
    const evaluator = actor('evaluator');
    const department = actor('org_department');
    expect(refusal(s, { kind: 'signOff', actor: evaluator })?.type).toBe('WrongState');
    expect(refusal(s, { kind: 'score', actor: department })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'selfEvaluate', actor: actor('enterprise_rep'), side: 'party' })?.type).toBe('WrongRole');
    apply(s, { kind: 'score', actor: evaluator });
    expect(refusal(s, { kind: 'countersign', actor: department })?.type).toBe('WrongState');
    apply(s, { kind: 'signOff', actor: evaluator });
    expect(refusal(s, { kind: 'signOff', actor: evaluator })?.type).toBe('AlreadyDecided');
    expect(refusal(s, { kind: 'countersign', actor: evaluator })?.type).toBe('WrongRole');
    apply(s, { kind: 'countersign', actor: department });
    expect(refusal(s, { kind: 'countersign', actor: department })?.type).toBe('AlreadyDecided');
  });
});

describe('alarms', () => {
  const state = () => initialState().items.concat(items.map((i) => ({ ...i, filed: null })));
  it('reminds 14 and 3 days before each deadline and escalates at it', () => {
    const pending = pendingAlarms(state(), [14, 3], new Set());
    expect(pending.map((a) => a.id)).toEqual(['remind:p1:14', 'remind:p1:3', 'escalate:p1', 'remind:e1:14', 'remind:e1:3', 'escalate:e1']);
    expect(pending[0]!.at).toBe(Date.parse(items[0]!.dueAt) - 14 * DAY_MS);
  });

  it('collapses reminders that fell due together and prefers the escalation once overdue', () => {
    const pending = pendingAlarms(state(), [14, 3], new Set());
    const fiveDaysBefore = Date.parse(items[0]!.dueAt) - 5 * DAY_MS;
    expect(takeDueAlarms(pending, fiveDaysBefore)).toEqual({ send: [pending[0]], handled: ['remind:p1:14'] });
    const afterDue = Date.parse(items[0]!.dueAt) + 1;
    const due = takeDueAlarms(pending, afterDue);
    expect(due.send.map((a) => a.id)).toEqual(['escalate:p1']);
    expect(due.handled).toEqual(['remind:p1:14', 'remind:p1:3', 'escalate:p1']);
    expect(pendingAlarms(state(), [14, 3], new Set(due.handled))[0]!.id).toBe('remind:e1:14');
  });

  it('leaves filed items alone and plans only future submission reminders', () => {
    const filed = state().map((i) => ({ ...i, filed: 'fulfilled' as const }));
    expect(pendingAlarms(filed, [14, 3], new Set())).toEqual([]);
    const deadline = '2025-03-31T16:00:00.000Z';
    expect(submissionReminders(deadline, [7, 1], Date.parse(deadline) - 3 * DAY_MS).map((r) => r.daysBefore)).toEqual([1]);
  });
});
