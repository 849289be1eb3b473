import type { AssessmentScoreSheetData } from '../contracts/assessment-score-sheet.ts';
import type { AssessmentResultNoticeData } from '../contracts/assessment-result-notice.ts';

// A community's 四率 paper with a long name: one rate 无数据 (left out, the others rescaled), the department scores.
export const assessmentScoreSheet: AssessmentScoreSheetData = {
  scheme: '社区网格员半年考核评价',
  period: '2026年下半年',
  region: '济宁市任城区济阳街道',
  subject: { name: '欧阳慕容·阿卜杜热合曼·买买提依明', unit: '济宁市任城区济阳街道运河社区第三网格（运河花园小区、北湖明珠小区及周边沿街商户）' },
  sources: [{ name: '本人自评', percent: 10, filings: 1 }, { name: '同事互评', percent: 10, filings: 3 }, { name: '群众评议', percent: 20, filings: 1 },
    { name: '上级党组织', percent: 40, filings: 1 }, { name: '组织部门', percent: 20, filings: 1 }],
  sections: [
    { name: '履职尽责', weight: 35, indicators: [
      { name: '网格巡查走访', weight: 20, scaledWeight: 23.53, sourcePoints: [20, 18.67, null, 19, 18], points: 18.77, note: '人工评分，满分20分' },
      { name: '民情台账与信息采集', weight: 15, scaledWeight: 17.65, sourcePoints: [15, 11.25, null, 11.25, 7.5], points: 10.5, note: '清单4项' },
    ] },
    { name: '网格事项办理', weight: 35, indicators: [
      { name: '事项按时办结率', weight: 20, scaledWeight: 23.53, sourcePoints: [null, null, null, null, null], points: 18, note: '按记录计算：27/30（90.0%）' },
      { name: '驻区单位参与率', weight: 15, scaledWeight: null, sourcePoints: [null, null, null, null, null], points: null, note: '无数据（本期无记录，不计入）' },
    ] },
    { name: '群众评价', weight: 15, indicators: [
      { name: '群众满意度', weight: 15, scaledWeight: 17.65, sourcePoints: [null, null, 13.5, null, null], points: 13.5, note: '问卷均分4.6（5分制）' },
    ] },
    { name: '作风纪律', weight: 15, indicators: [
      { name: '遵守工作纪律', weight: 15, scaledWeight: 17.65, sourcePoints: [15, 14, null, 13.5, 12], points: 13.4, note: '人工评分，满分10分' },
    ] },
  ],
  rescaled: '“驻区单位参与率”无数据未计入，其余指标权重按比例折算为100分',
  totalScore: 87.06,
  grade: '良好',
  rank: 2,
  of: 12,
  gradeNote: "总分达到优秀分数线，因优秀等次比例限制（20%）评为良好。",
  decidedOn: '2026-12-28',
  signatures: [
    { role: '中共济宁市任城区济阳街道工作委员会', signer: '党工委副书记', date: '2026-12-24', decision: '同意。', seal: true },
    { role: '中共济宁市任城区委组织部', signer: '组织部干部', date: '2026-12-28', decision: '同意。', seal: true },
  ],
};

export const assessmentResultNotice: AssessmentResultNoticeData = {
  scheme: '社区网格员半年考核评价',
  period: '2026年下半年',
  region: '济宁市任城区济阳街道',
  addressee: '欧阳慕容·阿卜杜热合曼·买买提依明',
  unit: '济宁市任城区济阳街道运河社区第三网格（运河花园小区、北湖明珠小区及周边沿街商户）',
  totalScore: 87.06,
  grade: '良好',
  rank: 2,
  of: 12,
  gradeNote: null,
  payGrade: { before: 6, after: 7 },
  bonusYuan: 3000,
  honoured: true,
  publicity: { days: 5, until: '2027-01-02', objections: { publicUrl: 'https://dangjian.example.cn/public/assessment-objections/1b2c', contact: '中共济宁市任城区委组织部' } },
  issuedOn: '2026-12-28',
};
