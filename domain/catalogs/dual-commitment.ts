// The shipped default dual-commitment catalog (双向承诺事项目录), seed 001: the Party
// organization commits to the enterprise in 6 areas (24 items), the enterprise commits to
// the Party organization in 3 areas (16 items). The seeds give only the areas and counts, so
// the item texts are plausible defaults: 默认目录，请各地替换.
import type { DualCommitmentCatalog } from './schemas.ts';

const items = (areaCode: string, texts: string[]) => texts.map((text, i) => ({ code: `${areaCode}-${String(i + 1).padStart(2, '0')}`, text }));

export const defaultDualCommitmentCatalog: DualCommitmentCatalog = {
  notice: '默认目录，请各地替换',
  partySide: {
    label: '党组织向企业承诺',
    areas: [
      {
        code: 'P1',
        name: '思想政治引领',
        items: items('P1', [
          '每季度组织职工开展一次形势政策宣讲，引导职工听党话、跟党走',
          '每年向企业出资人通报一次党的路线方针政策和相关惠企政策',
          '建立职工思想动态分析制度，每半年向企业反馈一次',
          '在企业重大决策前主动沟通，提出党组织意见建议',
        ]),
      },
      {
        code: 'P2',
        name: '助力健康发展',
        items: items('P2', [
          '组织党员围绕企业生产经营难题开展攻关，每年至少完成一项',
          '开展党员先锋岗、党员责任区创建，覆盖主要生产经营环节',
          '每年协助企业对接政策、融资、市场等资源不少于两次',
          '带头落实安全生产和质量管理要求，组织开展隐患排查',
        ]),
      },
      {
        code: 'P3',
        name: '建设先进文化',
        items: items('P3', [
          '协助企业提炼和培育企业精神，将社会主义核心价值观融入企业文化',
          '每年组织职工文体活动不少于四次',
          '建设职工书屋或学习阵地，定期更新学习资料',
          '选树宣传职工身边的先进典型，每年不少于两名',
        ]),
      },
      {
        code: 'P4',
        name: '维护合法权益',
        items: items('P4', [
          '推动企业依法签订劳动合同并按时足额缴纳社会保险',
          '建立职工诉求收集和反馈机制，诉求办结率不低于百分之九十',
          '每年协调处理劳动关系矛盾，推动建立工资集体协商制度',
          '开展法律政策宣传，每年组织普法活动不少于两次',
        ]),
      },
      {
        code: 'P5',
        name: '团结凝聚职工',
        items: items('P5', [
          '指导企业建立工会、共青团、妇委会（女职工委员会）等群团组织并发挥作用',
          '开展困难职工走访慰问，建立帮扶台账',
          '每年组织职工技能培训或劳动竞赛不少于一次',
          '把生产经营骨干培养成党员，把党员培养成生产经营骨干',
        ]),
      },
      {
        code: 'P6',
        name: '加强自身建设',
        items: items('P6', [
          '严格落实“三会一课”、主题党日、组织生活会等制度',
          '按期进行党组织换届，配齐配强党组织书记和委员',
          '规范党员发展、教育、管理和党费收缴使用',
          '建立健全党建工作台账，做到资料齐全、记录规范',
        ]),
      },
    ],
  },
  enterpriseSide: {
    label: '企业向党组织承诺',
    areas: [
      {
        code: 'E1',
        name: '工作支持',
        items: items('E1', [
          '支持党组织书记参加或列席企业管理层重要会议',
          '在企业章程或管理制度中明确党组织的地位和作用',
          '支持党组织参与企业重大事项决策前的沟通协商',
          '支持党员在生产经营中亮身份、作表率',
          '将党建工作纳入企业年度工作计划和考核',
          '重大事项及时向党组织通报情况',
        ]),
      },
      {
        code: 'E2',
        name: '活动支持',
        items: items('E2', [
          '每月安排党组织活动时间不少于半天',
          '支持党员参加上级党组织举办的培训和活动',
          '支持党组织开展主题党日和志愿服务活动',
          '支持党组织联合群团组织开展职工文体活动',
          '支持党员到社区报到并参与社区服务',
        ]),
      },
      {
        code: 'E3',
        name: '保障支持',
        items: items('E3', [
          '提供固定的党组织活动场所并配备必要设施',
          '按规定将党建工作经费纳入企业管理费用列支',
          '为党组织书记和专职党务工作者提供合理报酬待遇',
          '保障党务工作人员开展工作所需的时间',
          '为党组织开展工作提供必要的交通、通讯等条件',
        ]),
      },
    ],
  },
};
