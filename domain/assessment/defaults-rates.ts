// Shipped schemes of the rates lane (issue 19), marked as defaults a department copies and edits:
// - 四率评价 of communities and of streets (seed 001, 长春): the four rates counted from the records
//   (activities/assessment-rates.ts), each also open to counts gathered offline (线上线下相结合);
// - 红色物业 property-service rating (seeds 000, 001): communities rate the property-service companies of
//   their compounds, the street holds the first review (初审) of each rating, the department grades, and the
//   results are reported to the regulator (住建/房管). Indicator texts and weights are our reading.
import type { SchemeDefinition } from './rules.ts';

export const FOUR_RATES_COMMUNITY_KEY = 'four_rates_community';
export const FOUR_RATES_STREET_KEY = 'four_rates_street';
export const PROPERTY_SERVICE_KEY = 'property_service_rating';

const fourRates = (unitLevel: 'community' | 'street'): SchemeDefinition => ({
  name: unitLevel === 'community' ? '社区党组织“四率评价”' : '街道党工委“四率评价”',
  target: { kind: 'unit', unitLevel },
  cadence: 'yearly',
  sections: [
    { key: 'service', name: '服务能力和服务品质', indicators: [
      { key: 'satisfaction', name: '群众满意率', weight: 30, rule: 'rate', rateSource: 'party_org_satisfaction', offline: true }] },
    { key: 'coordination', name: '统筹能力和区域互联互动', indicators: [
      { key: 'participation', name: '驻区单位参与率', weight: 25, rule: 'rate', rateSource: 'resident_units_participating', offline: true }] },
    { key: 'compounds', name: '小区治理精细化', indicators: [
      { key: 'self_governance', name: '小区（楼院）自治率', weight: 25, rule: 'rate', rateSource: 'compounds_self_governed', offline: true }] },
    { key: 'two_new', name: '“两新”组织党建工作成效', indicators: [
      { key: 'owner_support', name: '出资人（负责人）支持度', weight: 20, rule: 'rate', rateSource: 'owner_support', offline: true }] },
  ],
  // The rates are counted, not scored: the department is the one source (it enters the offline counts).
  sources: [{ kind: 'department', weight: 100 }],
  deadlines: { scoringDays: 20, reminderDaysBefore: 5, signOffDays: 7 },
  bands: [
    { key: 'good', name: '好', minScore: 90, maxShare: 0.3 },
    { key: 'fairly_good', name: '较好', minScore: 80 },
    { key: 'average', name: '一般', minScore: 60 },
    { key: 'poor', name: '差', minScore: 0 },
  ],
  signOff: unitLevel === 'community' ? ['street_committee', 'org_department'] : ['org_department'],
  publicityDays: 5,
  outputs: { honourBands: ['good'], papers: ['score_sheet', 'result_notice'] },
});

export const FOUR_RATES_COMMUNITY = fourRates('community');
export const FOUR_RATES_STREET = fourRates('street');

export const PROPERTY_SERVICE_RATING: SchemeDefinition = {
  name: '“红色物业”服务评价',
  target: { kind: 'organization', orgKind: 'property_service' },
  cadence: 'yearly',
  sections: [
    { key: 'party', name: '党建引领', indicators: [
      { key: 'party_building', name: '党的组织和工作覆盖', weight: 20, rule: 'checklist',
        items: ['建立物业企业党组织或选派党建指导员', '项目负责人到社区报到', '参加社区党组织联席会议', '公开承诺为民服务项目'] }] },
    { key: 'service', name: '物业服务', indicators: [
      { key: 'service_quality', name: '服务质量与规范', weight: 35, rule: 'manual', max: 40 },
      { key: 'disputes', name: '矛盾纠纷化解', weight: 20, rule: 'manual', max: 20 }] },
    { key: 'residents', name: '群众评价', indicators: [
      { key: 'matters_satisfied', name: '网格事项群众满意率', weight: 25, rule: 'rate', rateSource: 'grid_matters_satisfied' }] },
  ],
  sources: [{ kind: 'supervisor', weight: 100 }],
  deadlines: { scoringDays: 30, reminderDaysBefore: 7, signOffDays: 7 },
  bands: [
    { key: 'excellent', name: '优秀', minScore: 90, maxShare: 0.2 },
    { key: 'good', name: '良好', minScore: 80 },
    { key: 'pass', name: '合格', minScore: 60 },
    { key: 'fail', name: '不合格', minScore: 0 },
  ],
  signOff: ['org_department'],
  publicityDays: 5,
  outputs: { honourBands: ['excellent'], reportTo: '区住房和城乡建设局（物业监管）', papers: ['score_sheet', 'result_notice'] },
  firstReview: { role: 'street_committee', source: 'supervisor' },
};

export const RATES_SHIPPED_SCHEMES: { key: string; definition: SchemeDefinition }[] = [
  { key: FOUR_RATES_COMMUNITY_KEY, definition: FOUR_RATES_COMMUNITY },
  { key: FOUR_RATES_STREET_KEY, definition: FOUR_RATES_STREET },
  { key: PROPERTY_SERVICE_KEY, definition: PROPERTY_SERVICE_RATING },
];
