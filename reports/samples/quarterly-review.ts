import type { QuarterlyReviewData } from '../contracts/quarterly-review.ts';

export const quarterlyReview: QuarterlyReviewData = {
  period: { index: 2, from: '2024-06-01', to: '2024-08-31' },
  secretary: {
    name: '李振华',
    dispatchingUnit: '济宁市财政局',
    community: '运河社区',
    street: '济阳街道',
    postedFrom: '2024-03-01',
    postedTo: '2025-02-28',
  },
  attendance: [
    { month: '2024-06', presentDays: 23, requiredDays: 22 },
    { month: '2024-07', presentDays: 22, requiredDays: 22 },
    { month: '2024-08', presentDays: 21, requiredDays: 22 },
  ],
  selfAssessment: [
    '本季度，我坚持吃住在社区，围绕“党建引领基层治理”主线，带领社区“两委”成员走访居民户386户，收集急难愁盼问题47件，已办结43件，办结率91.5%。',
    '针对老旧小区雨季积水问题，协调派出单位和区住建部门争取改造资金28万元，完成排水管网改造1.2公里。8月份因参加市委组织部集中培训，在岗天数少1天，已向街道党工委报备。',
  ],
  achievements: ['牵头成立运河社区“红色物业”联盟，吸纳物业企业3家', '开展“双报到”活动12次，在职党员参与216人次', '结对帮扶困难家庭5户，落实临时救助资金1.8万元'],
  residentsRating: { respondents: 120, satisfactionPercent: 95.8 },
  visits: [{ date: '2024-08-16', visitor: '郑广明', position: '市财政局党组书记、局长', purpose: '走访慰问并调研社区排水改造项目' }],
  scores: [
    { source: '晒绩自评', weightPercent: 20, score: 93 },
    { source: '群众测评', weightPercent: 40, score: 95.8 },
    { source: '组织考评', weightPercent: 40, score: 91 },
  ],
  totalScore: 93.3,
  grade: '好',
  organizationReview:
    '该同志本季度在社区工作情况良好，工作思路清晰，善于整合派出单位资源解决群众实际问题，群众认可度高。下一步要在发展社区集体经济、培养后备干部方面持续用力。',
  signatures: [
    { role: '第一书记本人', signer: null, date: null, decision: null },
    { role: '中共济宁市任城区运河社区委员会', signer: '马桂芬', date: '2024-09-09', decision: '情况属实。', seal: true },
    { role: '中共济宁市任城区济阳街道工作委员会', signer: '孙立群', date: '2024-09-12', decision: '同意评定为“好”等次。', seal: true },
  ],
};
