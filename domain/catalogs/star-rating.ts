// The shipped default star-rating indicator system "三维一体" (seed 001): political
// leadership, helping development, and the enterprise's image. Weights add up to 100; each
// indicator scores 0..maxPoints and the total maps to a star level by the thresholds.
import type { StarRatingCatalog } from './schemas.ts';

export const defaultStarRatingCatalog: StarRatingCatalog = {
  notice: '默认指标体系，请各地替换',
  dimensions: [
    {
      code: 'D1',
      name: '政治引领',
      indicators: [
        { code: 'D1-1', name: '凝聚思想共识', weight: 10, maxPoints: 10, sources: ['organization'], scoringRule: '按季度开展政治理论学习和形势政策宣讲得4分；建立职工思想动态分析制度得3分；引导职工参与重大活动得3分。缺一项扣相应分值。' },
        { code: 'D1-2', name: '维护职工权益', weight: 10, maxPoints: 10, sources: ['organization', 'staff'], scoringRule: '劳动合同签订率和社保缴纳率均达100%得5分；建立诉求反馈机制且办结率≥90%得3分；无群体性劳资纠纷得2分。' },
        { code: 'D1-3', name: '建设先进文化', weight: 10, maxPoints: 10, sources: ['organization'], scoringRule: '企业文化建设有载体、有活动得4分；年度文体活动≥4次得3分；选树先进典型得3分。' },
        { code: 'D1-4', name: '组织自身建设', weight: 10, maxPoints: 10, sources: ['organization'], scoringRule: '“三会一课”等制度落实得4分；按期换届、班子健全得3分；党员发展管理规范、台账齐全得3分。' },
      ],
    },
    {
      code: 'D2',
      name: '助力发展',
      indicators: [
        { code: 'D2-1', name: '双向承诺', weight: 18, maxPoints: 18, sources: ['self', 'staff', 'organization'], scoringRule: '按承诺事项完成率计分：完成率×18；逾期未完成的事项每项扣1分；经评议认定未履行的事项每项扣2分。' },
        { code: 'D2-2', name: '双亮行动', weight: 12, maxPoints: 12, sources: ['organization', 'staff'], scoringRule: '党员亮身份、亮承诺覆盖率100%得6分；设立党员先锋岗、责任区得3分；党员在攻坚项目中发挥作用有实例得3分。' },
      ],
    },
    {
      code: 'D3',
      name: '企业形象',
      indicators: [
        { code: 'D3-1', name: '职工满意度', weight: 10, maxPoints: 10, sources: ['staff'], scoringRule: '按职工满意度测评结果计分：满意率×10。' },
        { code: 'D3-2', name: '企业信誉度', weight: 10, maxPoints: 10, sources: ['organization'], scoringRule: '无严重失信记录、无重大安全生产和环保事故得10分；有一般失信记录每条扣3分；列入严重失信名单不得分。' },
        { code: 'D3-3', name: '社会认可度', weight: 10, maxPoints: 10, sources: ['resident', 'organization'], scoringRule: '参与公益慈善和社区共建得4分；获得县级以上表彰得3分；群众测评满意率×3。' },
      ],
    },
  ],
  // A total at or above `minScore` earns `stars` (五星 highest); below the lowest, no star.
  starThresholds: [
    { stars: 5, minScore: 90, label: '五星' },
    { stars: 4, minScore: 80, label: '四星' },
    { stars: 3, minScore: 70, label: '三星' },
    { stars: 2, minScore: 60, label: '二星' },
    { stars: 1, minScore: 50, label: '一星' },
  ],
  rhythm: '一年一审、两年一评、日常跟踪管理',
};
