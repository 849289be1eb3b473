import type { CommitmentNoticeData } from '../contracts/commitment-notice.ts';

export const commitmentNotice: CommitmentNoticeData = {
  year: 2024,
  organization: {
    name: '济宁鲁恒机械制造有限公司',
    label: '企业',
    partyOrganization: '中共济宁鲁恒机械制造有限公司支部委员会',
    address: '济宁市任城区经济开发区崇文大道188号',
  },
  publication: { from: '2024-03-11', to: '2024-03-17' },
  partyCommitments: [
    {
      area: '思想政治引领',
      items: [
        { content: '每季度组织一次党的创新理论集中学习', target: '全年学习不少于4次，职工参与率达80%以上', deadline: '2024-12-20' },
        { content: '建立党员先锋岗，亮身份、亮承诺', target: '设立党员先锋岗6个', deadline: '2024-06-30' },
      ],
    },
    {
      area: '助力健康发展',
      items: [
        { content: '组建党员技术攻关小组，解决生产难题', target: '完成技术革新项目2项', deadline: '2024-11-30' },
        { content: '协助企业对接政策，申报“专精特新”资质', target: '提交申报材料并通过区级初审', deadline: '2024-09-30' },
      ],
    },
    {
      area: '建设先进文化',
      items: [{ content: '开展“鲁恒工匠”评选，宣传先进典型', target: '评选工匠10名并在厂区公示', deadline: '2024-10-31' }],
    },
    {
      area: '维护合法权益',
      items: [{ content: '推动签订工资集体协商协议', target: '集体合同签订率100%', deadline: '2024-08-31' }],
    },
    {
      area: '团结凝聚职工',
      items: [{ content: '建立困难职工帮扶台账，节日走访慰问', target: '走访困难职工不少于20户次', deadline: '2024-12-31' }],
    },
    {
      area: '加强自身建设',
      items: [{ content: '规范落实“三会一课”制度', target: '支部委员会每月召开1次，记录完整', deadline: '2024-12-31' }],
    },
  ],
  enterpriseCommitments: [
    {
      area: '工作支持',
      items: [
        { content: '党组织书记列席企业经营管理重要会议', target: '全年列席不少于6次', deadline: '2024-12-31' },
        { content: '将党建工作纳入企业年度发展规划', target: '年度规划中设立党建专章', deadline: '2024-04-30' },
      ],
    },
    {
      area: '活动支持',
      items: [{ content: '支持党员利用工作时间参加组织活动', target: '每月安排半天活动时间', deadline: '2024-12-31' }],
    },
    {
      area: '保障支持',
      items: [
        { content: '提供不少于60平方米的党员活动阵地', target: '阵地挂牌投入使用', deadline: '2024-05-31' },
        { content: '按职工工资总额的0.5%安排党建工作经费', target: '经费足额到位', deadline: '2024-06-30' },
      ],
    },
  ],
  supervision: { contact: '中共济宁经济开发区工作委员会', phone: '0537-2356789' },
  publicUrl: 'https://dangjian.example.cn/public/commitments/pl_3fa2b1c0d4e5',
  signatures: [
    { role: '党组织书记', signer: null, date: null, decision: null },
    { role: '企业出资人（负责人）', signer: null, date: null, decision: null },
  ],
};
