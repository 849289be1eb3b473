import type { FinalAssessmentData } from '../contracts/final-assessment.ts';

export const finalAssessment: FinalAssessmentData = {
  secretary: {
    name: '李振华',
    gender: '男',
    birthMonth: '1986-05',
    politicalStatus: '中共党员',
    dispatchingUnit: '济宁市财政局',
    originalPosition: '预算科副科长',
    community: '运河社区',
    street: '济阳街道',
    postedFrom: '2024-03-01',
    postedTo: '2025-02-28',
  },
  attendance: { presentDays: 268, requiredDays: 264 },
  support: { insuranceYuan: 1000000, workFundsYuan: 30000, headVisits: 5 },
  quarterlyResults: [
    { period: '派驻第一季度（2024年3月1日至2024年5月31日）', score: 88.5, grade: '较好' },
    { period: '派驻第二季度（2024年6月1日至2024年8月31日）', score: 91.2, grade: '好' },
    { period: '派驻第三季度（2024年9月1日至2024年11月30日）', score: 93.3, grade: '好' },
    { period: '派驻第四季度（2024年12月1日至2025年2月28日）', score: 94.1, grade: '好' },
    { period: '年终考核', score: 93.9, grade: '优秀' },
  ],
  achievements: [
    '争取派出单位和上级部门资金46万元，完成老旧小区排水管网改造1.2公里、新建口袋公园1处',
    '牵头成立“红色物业”联盟，社区物业服务满意率由72%提升至91%',
    '推动在职党员“双报到”常态化，组织志愿服务48次，结对帮扶困难家庭5户',
    '培养社区后备干部3名，其中1名进入社区“两委”班子',
  ],
  deductions: [{ period: '2024年8月', reason: '在社区工作21天，少于要求的22天', points: 1 }],
  scoreItems: [
    { item: '在社区工作（全年不少于264天）', maxScore: 15, score: 15, remark: '在岗268天' },
    { item: '建强基层组织', maxScore: 20, score: 18.5, remark: null },
    { item: '推动社区治理和为民服务', maxScore: 25, score: 23.5, remark: '办结民生事项152件' },
    { item: '派出单位支持保障', maxScore: 10, score: 10, remark: '保险、经费均足额到位' },
    { item: '群众测评', maxScore: 20, score: 18.8, remark: '满意率94.0%' },
    { item: '廉洁自律和遵规守纪', maxScore: 10, score: 10, remark: null },
  ],
  totalScore: 95.8,
  grade: '优秀',
  remark: '经联合考核，该同志任期考核等次为优秀，建议派出单位在评先树优、提拔使用时优先考虑。',
  signatures: [
    { role: '中共济宁市任城区济阳街道工作委员会', signer: '孙立群', date: '2025-03-03', decision: '该同志任职期间表现突出，建议评定为优秀。', seal: true },
    { role: '派出单位党组织', signer: '郑广明', date: '2025-03-04', decision: '同意街道党工委意见。', seal: true },
    { role: '中共济宁市任城区委组织部', signer: '陈晓东', date: '2025-03-06', decision: '同意评定为优秀等次。', seal: true },
  ],
};
