import type { EvaluationRecordData } from '../contracts/evaluation-record.ts';

export const evaluationRecord: EvaluationRecordData = {
  year: 2024,
  recordNumber: '任组备〔2024〕第037号',
  organization: {
    name: '济宁鲁恒机械制造有限公司',
    partyOrganization: '中共济宁鲁恒机械制造有限公司支部委员会',
    partySecretary: '王建国',
    contactPhone: '13805371234',
    staffCount: 326,
    partyMemberCount: 27,
  },
  commitments: { partyTotal: 24, partyFulfilled: 23, enterpriseTotal: 16, enterpriseFulfilled: 16 },
  evaluations: [
    { method: '党组织和企业自评', weightPercent: 20, score: 92 },
    { method: '职工评议', weightPercent: 30, score: 88.5 },
    { method: '上级党组织评价', weightPercent: 50, score: 90 },
  ],
  scoreItems: [
    { item: '承诺事项按期兑现情况', maxScore: 40, score: 37.5, remark: '“专精特新”申报延期1个月' },
    { item: '践诺过程资料完整性', maxScore: 15, score: 14, remark: null },
    { item: '职工满意度', maxScore: 20, score: 17.5, remark: '有效问卷286份' },
    { item: '企业发展成效', maxScore: 15, score: 13.5, remark: '产值同比增长12.6%' },
    { item: '党组织自身建设', maxScore: 10, score: 9.1, remark: null },
  ],
  totalScore: 91.6,
  grade: '优秀',
  summary:
    '该企业党组织和企业双方共作出承诺40项，已兑现39项。党员技术攻关小组完成数控机床改造等革新项目2项，节约成本约86万元；工资集体协商实现全覆盖，职工满意率达93.2%。“专精特新”资质申报因材料补正延期，已于2024年10月通过区级初审。',
  filedOn: '2024-12-26',
  signatures: [
    { role: '企业党组织', signer: '王建国', date: '2024-12-20', decision: '情况属实，申请备案。' },
    { role: '街道党工委', signer: '孙立群', date: '2024-12-23', decision: '经审核，同意评定为优秀等次。' },
    { role: '区委组织部', signer: '陈晓东', date: '2024-12-26', decision: '同意备案。' },
  ],
};
