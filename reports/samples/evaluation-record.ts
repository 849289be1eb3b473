import type { EvaluationRecordData } from '../contracts/evaluation-record.ts';

export const evaluationRecord: EvaluationRecordData = {
  year: 2024,
  recordNumber: '任组备〔2024〕37号',
  organization: {
    name: '济宁鲁恒机械制造有限公司',
    label: '企业',
    partyOrganization: '中共济宁鲁恒机械制造有限公司支部委员会',
    partyOrgType: '党支部',
    partyOrgFoundedOn: '2015-07-01',
    partySecretary: '王建国',
    contactPhone: '13805371234',
    staffCount: 326,
    partyMemberCount: 27,
  },
  commitments: { partyTotal: 24, partyFulfilled: 23, enterpriseTotal: 16, enterpriseFulfilled: 16 },
  evaluations: [
    { method: '党组织和企业自评', weightPercent: 20, score: 92, weighted: 18.4 },
    { method: '职工评议', weightPercent: 30, score: 88.5, weighted: 26.55 },
    { method: '上级党组织评价', weightPercent: 50, score: 90.4, weighted: 45.2 },
  ],
  itemScores: [
    { side: '党组织', item: '每季度组织一次党的创新理论集中学习', status: '已兑现', score: 95, remark: null },
    { side: '党组织', item: '协助企业申报“专精特新”资质', status: '部分兑现', score: 78, remark: '申报延期1个月' },
    { side: '党组织', item: '推动签订工资集体协商协议', status: '已兑现', score: 92, remark: null },
    { side: '企业', item: '提供不少于60平方米的党员活动阵地', status: '已兑现', score: 96, remark: null },
    { side: '企业', item: '按职工工资总额的0.5%安排党建工作经费', status: '已兑现', score: 91, remark: '有效问卷286份' },
  ],
  itemMean: 90.4,
  totalScore: 90.2,
  grade: '优秀',
  summary:
    '该企业党组织和企业双方共作出承诺40项，已兑现39项。党员技术攻关小组完成数控机床改造等革新项目2项，节约成本约86万元；工资集体协商实现全覆盖，职工满意率达93.2%。“专精特新”资质申报因材料补正延期，已于2024年10月通过区级初审。',
  filedOn: '2024-12-26',
  signatures: [
    { role: '评审人', signer: '孙立群', date: '2024-12-23', decision: '经审核，评定为优秀等次。' },
    { role: '中共济宁市任城区委组织部', signer: '陈晓东', date: '2024-12-26', decision: '同意备案。', seal: true },
  ],
};
