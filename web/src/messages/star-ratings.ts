// Words of the star-rating pages (星级评定).
export const phaseNames: Record<string, string> = {
  idle: '等待本年度开始',
  self_assessment: '企业自评',
  preliminary_review: '街道/社区初审',
  scoring: '考核组评分',
  approval: '部务会审定',
  publication: '公示',
  awarded: '已授星',
  not_rated: '未评定',
  review_self_report: '年度自查',
  review_decision: '复审决定',
  reviewed: '已复审',
  ended: '已终止',
};
export const roundKindNames: Record<string, string> = { rating: '评定年（两年一评）', review: '复审年（一年一审）' };
export const triggerNames: Record<string, string> = { rating: '评定', annual_review: '年度复审', immediate_review: '立即复审', ended: '终止评定', annual: '年度复审', immediate: '立即复审' };
export const outcomeNames: Record<string, string> = {
  awarded: '授星', kept: '保持', lowered: '降星', raised: '升星', revoked: '撤销星级', not_rated: '未评定', ended: '终止',
};
export const preliminaryNames: Record<string, string> = { pass: '通过', return: '退回修改', reject: '不予推荐' };
export const sourceNames: Record<string, string> = { evaluator: '考核组评分', dual_commitment: '双向承诺结果', staff_survey: '职工满意度', missing: '缺少数据' };

export const starSettingNames: Record<string, string> = {
  selfAssessmentDue: '自评截止（月-日）',
  preliminaryDue: '初审截止（月-日）',
  scoringDue: '评分截止（月-日）',
  recordsDue: '年度记录截止（月-日）',
  publicationDays: '公示天数',
  reviewSelfReportDue: '年度自查截止（月-日）',
  reviewDecisionDue: '复审决定截止（月-日）',
  immediateReviewDays: '立即复审决定期限（天）',
  allowRaiseOnReview: '复审时允许升星',
  trackingCap: '日常跟踪加减分上限',
  plaqueValidYears: '牌匾有效期（年）',
  publicObjectionsPerHour: '每小时公开异议上限',
  thresholds: '星级分数线',
  eventTypes: '日常跟踪事件类型',
};

export const st = {
  list: '星级评定',
  scoringList: '星级评分任务',
  preliminaryList: '星级初审',
  mine: '我的星级评定',
  organization: '组织',
  unit: '所在街道/社区',
  kind: '类型',
  year: '年度',
  phase: '环节',
  stars: '现有星级',
  proposed: '拟定星级',
  total: '总分',
  due: '截止日期',
  allStreets: '全部街道',
  allPhases: '全部环节',
  allStars: '全部星级',
  allKinds: '全部类型',
  allYears: '最新年度',
  searchName: '按名称查找',
  open: '打开',
  scoreIt: '评分',
  enrolment: '纳入评定',
  settings: '评定设置',
  dashboard: '星级看板',
  ended: '已终止',
  overdue: '已逾期',
  exportSlot: '导出 Excel',
};

export const starMenu = {
  list: '星级评定',
  dashboard: '星级看板',
  enrolment: '纳入评定',
  settings: '评定设置',
  incentives: '激励措施',
  preliminary: '星级初审',
  scoring: '星级评分',
  mine: '星级评定',
};
