import type { AssessmentReportToData } from '../contracts/assessment-report-to.ts';

const COMPANIES = ['济宁安居物业服务有限公司', '任城区和美物业管理有限公司', '运河城物业服务有限公司', '济宁鑫泰物业有限公司', '任兴物业服务中心'];

// Five property-service companies rated by their communities, first-reviewed by the street, graded by the department.
export const assessmentReportTo: AssessmentReportToData = {
  addressee: '济宁市任城区住房和城乡建设局',
  scheme: '红色物业服务评价',
  period: '2026年度',
  region: '济宁市任城区',
  decidedOn: '2026-12-30',
  steps: ['社区党组织评价', '街道党工委初审', '区委组织部评定'],
  grades: [{ name: '优秀', count: 1 }, { name: '良好', count: 2 }, { name: '合格', count: 1 }, { name: '不合格', count: 1 }],
  entries: COMPANIES.map((name, i) => ({
    rank: i + 1, name, unit: `济阳街道运河社区第${i + 1}网格`, totalScore: Math.round((93 - i * 8.5) * 100) / 100,
    grade: ['优秀', '良好', '良好', '合格', '不合格'][i]!,
  })),
  signatures: [{ role: '中共济宁市任城区委组织部', signer: null, date: '2026-12-30', decision: null, seal: true }],
};
