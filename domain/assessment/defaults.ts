// The shipped schemes, marked as defaults a department replaces (copies and edits as its own):
// the half-yearly review of grid workers (社区网格员半年考核, seed 004: results tied to
// performance pay and 薪酬定级 under 三岗十八级, 评先树优). The indicator texts are our reading;
// the seed names the purpose, not the items.
import type { SchemeDefinition } from './rules.ts';
import { RATES_SHIPPED_SCHEMES } from './defaults-rates.ts';

export const GRID_WORKER_SCHEME_KEY = 'grid_worker_half_yearly';

export const GRID_WORKER_HALF_YEARLY: SchemeDefinition = {
  name: '社区网格员半年考核评价',
  target: { kind: 'role', role: 'community_committee', unitLevel: 'grid' },
  cadence: 'half_yearly',
  sections: [
    {
      key: 'duty', name: '履职尽责',
      indicators: [
        { key: 'patrol', name: '网格巡查与信息采集', weight: 20, rule: 'manual', max: 20 },
        { key: 'service', name: '为民服务与走访', weight: 15, rule: 'checklist',
          items: ['每月走访网格内困难户', '建立网格居民台账', '组织双报到党员服务', '参加社区例会'] },
      ],
    },
    {
      key: 'matters', name: '网格事项办理',
      indicators: [
        { key: 'in_time', name: '事项按时办结率', weight: 20, rule: 'rate', rateSource: 'grid_matters_closed_in_time' },
        { key: 'satisfied', name: '事项群众满意率', weight: 15, rule: 'rate', rateSource: 'grid_matters_satisfied' },
      ],
    },
    {
      key: 'residents', name: '群众评价',
      indicators: [{ key: 'residents_view', name: '居民满意度', weight: 15, rule: 'survey', question: '您对本网格网格员的工作是否满意？' }],
    },
    {
      key: 'conduct', name: '作风纪律',
      indicators: [{ key: 'discipline', name: '遵守工作纪律', weight: 15, rule: 'manual', max: 10 }],
    },
  ],
  sources: [
    { kind: 'self', weight: 10 },
    { kind: 'peers', weight: 10 },
    { kind: 'residents', weight: 20 },
    { kind: 'supervisor', weight: 40 },
    { kind: 'department', weight: 20 },
  ],
  deadlines: { scoringDays: 14, reminderDaysBefore: 3, signOffDays: 5 },
  bands: [
    { key: 'excellent', name: '优秀', minScore: 90, maxShare: 0.2 },
    { key: 'good', name: '良好', minScore: 80 },
    { key: 'pass', name: '合格', minScore: 60 },
    { key: 'fail', name: '不合格', minScore: 0 },
  ],
  signOff: ['street_committee', 'org_department'],
  publicityDays: 5,
  outputs: { payGrade: { excellent: 1, good: 0, pass: 0, fail: -1 }, honourBands: ['excellent'], honourLimit: 10, papers: ['score_sheet', 'result_notice'] },
};

const GRADES = [{ label: '好', score: 100 }, { label: '较好', score: 80 }, { label: '一般', score: 60 }, { label: '差', score: 0 }];

/**
 * 最美网格员 (seed 004, every year): communities and streets nominate grid workers with their deeds, the department reviews the
 * nominations, residents vote on the public page (one vote per code and candidate), the department scores the deeds, the
 * results are signed and shown (公示), the best ten by ranking are awarded.
 */
export const MOST_BEAUTIFUL_GRID_WORKER: SchemeDefinition = {
  name: '最美网格员评选',
  target: { kind: 'role', role: 'community_committee', unitLevel: 'grid' },
  cadence: 'yearly',
  nomination: { by: ['community_committee', 'street_committee'], days: 10, reviewDays: 5, perNominator: 3 },
  sections: [
    { key: 'deeds', name: '先进事迹', indicators: [{ key: 'deeds', name: '事迹评审', weight: 40, rule: 'manual', max: 100 }] },
    { key: 'votes', name: '群众投票', indicators: [{ key: 'residents_vote', name: '群众投票', weight: 60, rule: 'vote', options: GRADES, voters: ['residents'] }] },
  ],
  sources: [{ kind: 'residents', weight: 60 }, { kind: 'department', weight: 40 }],
  deadlines: { scoringDays: 10, reminderDaysBefore: 2, signOffDays: 5 },
  bands: [
    { key: 'excellent', name: '优秀', minScore: 85 },
    { key: 'good', name: '良好', minScore: 70 },
    { key: 'shortlisted', name: '入围', minScore: 0 },
  ],
  signOff: ['org_department'],
  publicityDays: 5,
  outputs: { honourBands: ['excellent', 'good', 'shortlisted'], honourLimit: 10, papers: ['score_sheet', 'result_notice'] },
};

/** 最美楼栋长 (seed 004): as 最美网格员, for building heads named by their community (people without accounts, in a grid). */
export const MOST_BEAUTIFUL_BUILDING_HEAD: SchemeDefinition = {
  ...MOST_BEAUTIFUL_GRID_WORKER,
  name: '最美楼栋长评选',
  target: { kind: 'unit', unitLevel: 'grid' },
  nomination: { by: ['community_committee'], days: 10, reviewDays: 5, perNominator: 5 },
};

/**
 * Year-end 述职评议 of community Party secretaries (seed 004): each files a 述职 report answering the county's 必答题, 党员代表
 * and the department vote 好/较好/一般/差, the grade follows the mean. The questions are our placeholders for the county's.
 */
export const PARTY_SECRETARY_REPORT_REVIEW: SchemeDefinition = {
  name: '社区党组织书记年终述职评议',
  target: { kind: 'role', role: 'community_committee', unitLevel: 'community' },
  cadence: 'yearly',
  sections: [
    {
      key: 'report', name: '述职报告',
      indicators: [{
        key: 'report', name: '述职报告', weight: 0, rule: 'text', minLength: 100,
        prompts: ['本年度抓基层党建工作的主要举措和成效', '网格化治理与为民服务中存在的突出问题', '下一年度工作思路和整改措施'],
      }],
    },
    { key: 'review', name: '民主评议', indicators: [{ key: 'overall', name: '综合评议', weight: 100, rule: 'vote', options: GRADES, voters: ['party_reps', 'department'] }] },
  ],
  sources: [{ kind: 'self', weight: 10 }, { kind: 'party_reps', weight: 60 }, { kind: 'department', weight: 30 }],
  deadlines: { scoringDays: 15, reminderDaysBefore: 3, signOffDays: 5 },
  bands: [
    { key: 'good', name: '好', minScore: 90 },
    { key: 'fairly_good', name: '较好', minScore: 75 },
    { key: 'average', name: '一般', minScore: 60 },
    { key: 'poor', name: '差', minScore: 0 },
  ],
  signOff: ['org_department'],
  publicityDays: 5,
  outputs: { papers: ['score_sheet', 'result_notice'] },
};

export const SHIPPED_SCHEMES: { key: string; definition: SchemeDefinition }[] = [
  { key: GRID_WORKER_SCHEME_KEY, definition: GRID_WORKER_HALF_YEARLY },
  { key: 'most_beautiful_grid_worker', definition: MOST_BEAUTIFUL_GRID_WORKER },
  { key: 'most_beautiful_building_head', definition: MOST_BEAUTIFUL_BUILDING_HEAD },
  { key: 'party_secretary_report_review', definition: PARTY_SECRETARY_REPORT_REVIEW },
  ...RATES_SHIPPED_SCHEMES,
];
