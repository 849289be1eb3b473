import type { YearEndRankingData } from '../contracts/year-end-ranking.ts';

// 32 first secretaries (Dafang had 32, seed 003): two pages, the benchmark's report.
const PEOPLE: Array<[string, string, string, string]> = [
  ['李振华', '运河社区', '济阳街道', '济宁市财政局'],
  ['陈雪梅', '南池社区', '济阳街道', '济宁医学院'],
  ['周建军', '东关社区', '古槐街道', '济宁市公安局任城分局'],
  ['吴春燕', '红星社区', '古槐街道', '济宁市教育局'],
  ['郑宏伟', '西苑社区', '仙营街道', '济宁市自然资源和规划局'],
  ['王海涛', '竹竿巷社区', '济阳街道', '济宁市住房和城乡建设局'],
  ['冯晓丽', '杨柳社区', '南张街道', '济宁市卫生健康委员会'],
  ['褚明远', '前营社区', '唐口街道', '济宁市农业农村局'],
  ['卫志强', '北湖社区', '许庄街道', '济宁市水务局'],
  ['蒋文静', '金城社区', '观音阁街道', '中国工商银行济宁分行'],
  ['沈国栋', '兴唐社区', '唐口街道', '济宁市商务局'],
  ['韩秀英', '越河社区', '越河街道', '济宁市民政局'],
  ['杨国庆', '北门大街社区', '济阳街道', '济宁市交通运输局'],
  ['朱丹丹', '常青社区', '仙营街道', '济宁市文化和旅游局'],
  ['秦立新', '安居社区', '安居街道', '济宁市应急管理局'],
  ['尤海燕', '二十里铺社区', '二十里铺街道', '济宁市审计局'],
  ['许朝阳', '建设社区', '金城街道', '国网济宁供电公司'],
  ['何玉兰', '东苑社区', '观音阁街道', '济宁市人力资源和社会保障局'],
  ['吕振东', '喻屯社区', '喻屯镇', '济宁市生态环境局'],
  ['施晓明', '柳行社区', '柳行街道', '济宁市统计局'],
  ['张丽娟', '东门大街社区', '济阳街道', '国网济宁供电公司'],
  ['孔繁荣', '古槐社区', '古槐街道', '曲阜师范大学'],
  ['曹文军', '南苑社区', '南苑街道', '济宁市司法局'],
  ['严春华', '长沟社区', '长沟镇', '济宁市林业保护和发展服务中心'],
  ['华志刚', '李营社区', '李营街道', '济宁市退役军人事务局'],
  ['金美玲', '王因社区', '南张街道', '济宁市妇女联合会'],
  ['魏建平', '石桥社区', '石桥镇', '济宁市供销合作社'],
  ['刘思远', '清真寺社区', '济阳街道', '中国银行济宁分行'],
  ['陶红梅', '唐口社区', '唐口街道', '济宁市科学技术局'],
  ['姜永胜', '接庄社区', '接庄街道', '济宁市粮食和物资储备局'],
  ['赵文博', '太白楼社区', '济阳街道', '济宁市市场监督管理局'],
  ['孙晓燕', '小闸口社区', '济阳街道', '中国移动济宁分公司'],
];

function grade(total: number): string {
  if (total >= 90) return '优秀';
  if (total >= 80) return '称职';
  if (total >= 70) return '基本称职';
  return '不称职';
}

export const yearEndRanking: YearEndRankingData = {
  year: 2024,
  region: '济宁市任城区',
  decidedOn: '2025-01-15',
  weights: { selfPercent: 20, residentsPercent: 30, organizationPercent: 30, routinePercent: 20 },
  entries: PEOPLE.map(([name, community, street, dispatchingUnit], index) => {
    // Deterministic, descending figures so the ranks agree with the totals.
    const selfScore = 97 - index * 0.6;
    const residentsScore = 98.5 - index * 0.75;
    const organizationScore = 96 - index * 0.7;
    const routineScore = 100 - index * 0.5;
    const totalScore = Math.round((selfScore * 0.2 + residentsScore * 0.3 + organizationScore * 0.3 + routineScore * 0.2) * 10) / 10;
    return { rank: index + 1, name, community, street, dispatchingUnit, selfScore, residentsScore, organizationScore, routineScore, totalScore, grade: grade(totalScore) };
  }),
  note: '考核结果作为第一书记评先树优、提拔使用、职称评聘和职级晋升的重要依据。排名前10名的第一书记予以通报表扬，考核等次为“不称职”的按规定召回调整。',
  signatures: [
    { role: '考核组', signer: '赵卫东', date: '2025-01-10', decision: '考核程序规范，计分准确。' },
    { role: '中共济宁市任城区委组织部部务会', signer: '陈晓东', date: '2025-01-15', decision: '同意公布。' },
  ],
};
