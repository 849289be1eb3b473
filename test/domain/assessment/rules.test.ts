// The pure rules of assessment schemes: a definition's field errors, the weighted total from
// several sources, grades under the top band's cap (ties straddling the cap go down together),
// ranking, 三岗十八级 pay-grade moves bounded to 1–18, and the refusals behind the validators.
import { describe, expect, it } from '@jest/globals';
import { GRID_WORKER_HALF_YEARLY as G } from '../../../domain/assessment/defaults.ts';
import {
  assignGrades, honourList, payGradeMove, rank, schemeProblems, weightedScore, type Filing, type SchemeDefinition,
} from '../../../domain/assessment/rules.ts';
import { filingRefusal, signOffRefusal, initialRoundState } from '../../../domain/assessment/state.ts';

const clone = (): SchemeDefinition => JSON.parse(JSON.stringify(G));
const fieldsOf = (d: SchemeDefinition) => schemeProblems(d).map((p) => p.field);

describe('scheme definition', () => {
  it('accepts the shipped half-yearly grid-worker scheme', () => {
    expect(schemeProblems(G)).toEqual([]);
  });

  it('names the field of every broken rule', () => {
    const d = clone();
    d.sections[0]!.indicators[0]!.weight = 30; // weights now add to 110
    d.sections[0]!.indicators[0]!.max = 0;
    d.sections[1]!.indicators[0]!.rateSource = 'nowhere' as never;
    d.sources[0]!.weight = 5; // sources add to 95
    d.bands[1]!.minScore = 95; // above the top band
    d.bands[2]!.maxShare = 0.5; // a cap below the top
    d.outputs.payGrade = { excellent: 1, best: 2 };
    d.deadlines.reminderDaysBefore = 20;
    expect(fieldsOf(d).sort()).toEqual([
      'bands[1].minScore', 'bands[2].maxShare', 'deadlines.reminderDaysBefore', 'outputs.payGrade.best', 'sections',
      'sections[0].indicators[0].max', 'sections[1].indicators[0].rateSource', 'sources',
    ].sort());
    expect(schemeProblems(d).find((p) => p.field === 'sections')!.rule).toMatch(/add up to 100/);
  });

  it('refuses a survey question without the residents source and a duplicate indicator key', () => {
    const d = clone();
    d.sources = [{ kind: 'department', weight: 100 }];
    d.sections[3]!.indicators[0]!.key = 'patrol';
    expect(fieldsOf(d)).toEqual(expect.arrayContaining(['sections[2].indicators[0].rule', 'sections[3].indicators[0].key']));
  });
});

describe('weighted score', () => {
  const full: Filing['entries'] = { patrol: { points: 20 }, service: { ticked: [0, 1, 2, 3] }, discipline: { points: 10 } };
  it('is 100 when every source gives full marks and the rates are 1', () => {
    const filings: Filing[] = ['self', 'peers', 'supervisor', 'department'].map((s) => ({ source: s as Filing['source'], entries: full }));
    filings.push({ source: 'residents', entries: { residents_view: { mean: 5 } } });
    expect(weightedScore(G, filings, { grid_matters_closed_in_time: 1, grid_matters_satisfied: 1 }).total).toBe(100);
  });

  it('weighs sources, averages several peers, leaves out sources that filed nothing', () => {
    const half = { patrol: { points: 10 }, service: { ticked: [0, 1] }, discipline: { points: 5 } };
    const filings: Filing[] = [
      { source: 'supervisor', entries: full }, // weight 40 → 1
      { source: 'peers', entries: half }, { source: 'peers', entries: full }, // weight 10 → 0.75
      { source: 'residents', entries: { residents_view: { mean: 3 } } }, // 0.5
    ];
    // manual/checklist share = (40×1 + 10×0.75) / 50 = 0.95 over weights 20+15+15 = 50 → 47.5
    // survey 0.5 × 15 = 7.5; rates 0.5 × 20 + 0.8 × 15 = 22
    const { total, byIndicator } = weightedScore(G, filings, { grid_matters_closed_in_time: 0.5, grid_matters_satisfied: 0.8 });
    expect(byIndicator).toEqual({ patrol: 19, service: 14.25, in_time: 10, satisfied: 12, residents_view: 7.5, discipline: 14.25 });
    expect(total).toBe(77);
  });
});

describe('grades, ranking and pay', () => {
  const people = (totals: number[]) => totals.map((t, i) => ({ id: `p${i}`, name: `网格员${String.fromCharCode(65 + i)}`, total: t }));

  it('ranks equal totals alike and orders them by name', () => {
    expect(rank(people([80, 95, 80, 70])).map((x) => `${x.name}:${x.rank}`)).toEqual(['网格员B:1', '网格员A:2', '网格员C:2', '网格员D:4']);
  });

  it('caps the top band at 20% and moves the rest to the next band', () => {
    const placed = assignGrades(G, people([99, 97, 95, 93, 91, 85, 82, 70, 65, 40]));
    expect(placed.map((p) => p.band)).toEqual(['excellent', 'excellent', 'good', 'good', 'good', 'good', 'good', 'pass', 'pass', 'fail']);
    expect(placed.filter((p) => p.capped).map((p) => p.total)).toEqual([95, 93, 91]);
  });

  it('moves a whole tie down when it straddles the cap', () => {
    const placed = assignGrades(G, people([99, 95, 95, 70, 70, 70, 70, 70, 70, 70]));
    expect(placed.slice(0, 3).map((p) => p.band)).toEqual(['excellent', 'good', 'good']);
  });

  it('moves pay grades by band within 1–18 and lists the honours', () => {
    expect(payGradeMove(G, 'excellent', 7)).toEqual({ after: 8, step: 1 });
    expect(payGradeMove(G, 'excellent', 18)).toEqual({ after: 18, step: 0 });
    expect(payGradeMove(G, 'fail', 1)).toEqual({ after: 1, step: 0 });
    expect(payGradeMove(G, 'fail', 5)).toEqual({ after: 4, step: -1 });
    expect(payGradeMove(G, 'good', 5)).toEqual({ after: 5, step: 0 });
    const placed = assignGrades(G, people([99, 97, 95, 60, 50]));
    expect(honourList(G, placed).map((p) => p.total)).toEqual([99]);
  });
});

describe('refusals', () => {
  const open = { open: true, filed: [], revision: 0 };
  const entries = { patrol: { points: 18 }, service: { ticked: [0] }, discipline: { points: 9 } };
  it('refuses a score over the indicator\'s max, self-scoring for someone else, and scoring after close', () => {
    const over = filingRefusal(G, open, 'acc1', { source: 'supervisor', accountId: 'sup', entries: { ...entries, patrol: { points: 21 } } });
    expect(over).toMatchObject({ type: 'Invalid', details: [{ field: 'scores.patrol', rule: 'must be at most 20' }] });
    expect(filingRefusal(G, open, 'acc1', { source: 'self', accountId: 'acc2', entries })?.type).toBe('WrongRole');
    expect(filingRefusal(G, { ...open, open: false }, 'acc1', { source: 'self', accountId: 'acc1', entries })?.type).toBe('WrongStage');
    expect(filingRefusal(G, open, 'acc1', { source: 'self', accountId: 'acc1', entries })).toBeNull();
  });

  it('takes sign-offs in the chain\'s order only at the sign-off stage', () => {
    const s = initialRoundState();
    expect(signOffRefusal(G, s, { role: 'street_committee', accountId: 'a' })?.type).toBe('WrongStage');
    s.stage = 'sign_off';
    expect(signOffRefusal(G, s, { role: 'org_department', accountId: 'a' })?.type).toBe('WrongRole');
    expect(signOffRefusal(G, s, { role: 'street_committee', accountId: 'a' })).toBeNull();
  });
});
