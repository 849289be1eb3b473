// The shipped schemes, marked as defaults a department replaces (copies and edits as its own):
// the half-yearly review of grid workers (社区网格员半年考核, seed 004: results tied to
// performance pay and 薪酬定级 under 三岗十八级, 评先树优). The indicator texts are our reading;
// the seed names the purpose, not the items.
import type { SchemeDefinition } from './rules.ts';

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
  outputs: { payGrade: { excellent: 1, good: 0, pass: 0, fail: -1 }, honourBands: ['excellent'], honourLimit: 10 },
};

export const SHIPPED_SCHEMES: { key: string; definition: SchemeDefinition }[] = [{ key: GRID_WORKER_SCHEME_KEY, definition: GRID_WORKER_HALF_YEARLY }];
