import type { FactualEvaluationData } from '../contracts/factual-evaluation.ts';

export const factualEvaluation: FactualEvaluationData = {
  year: 2024,
  documentNumber: '任组评〔2024〕12号',
  unit: { name: '济宁市任城区税务局', partyOrganization: '中共济宁市任城区税务局委员会', address: '济宁市任城区济阳大道88号' },
  evaluatingOrganization: '中共济宁市任城区济阳街道工作委员会',
  superior: { name: '中共济宁市税务局委员会', contact: '0537-2345678' },
  commitments: [
    { side: '街道党工委', title: '每年召开一次驻区单位党建联席会议', deadline: '2024-06-30', status: '已兑现' },
    { side: '街道党工委', title: '为驻区单位党员到社区报到提供服务岗位', deadline: '2024-09-30', status: '已兑现' },
    { side: '驻区单位', title: '组织在职党员到社区报到参与志愿服务', deadline: '2024-11-30', status: '已兑现' },
    { side: '驻区单位', title: '开展“税收政策进社区”咨询服务', deadline: '2024-10-31', status: '部分兑现（因场地调整顺延一次）' },
  ],
  counts: { total: 4, fulfilled: 3, partly: 1, notFulfilled: 0 },
  evaluation: [
    '该单位党委全年参加街道党建联席会议2次，围绕辖区营商环境提出意见建议3条，均被采纳。',
    '组织在职党员46名到社区报到，累计参与志愿服务180余人次；“税收政策进社区”咨询开展3次，服务居民和个体工商户200余人次。',
  ],
  writtenOn: '2024-12-18',
  signatures: [
    { role: '中共济宁市任城区济阳街道工作委员会', signer: '孙立群', date: '2024-12-18', decision: '情况属实。', seal: true },
    { role: '中共济宁市任城区委组织部', signer: '陈晓东', date: '2024-12-24', decision: '同意，报送上级党组织。', seal: true },
  ],
};
