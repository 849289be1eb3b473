// The shipped default 四双 catalog for resident units (驻区单位): 双向协商、双向承诺、双向服务、
// 双向评价 between a street or community Party organization and a resident unit (DOMAIN.md,
// "The same pattern, called 四双"). Same shape as the dual-commitment catalog: partySide is
// what the street/community commits to the unit, enterpriseSide what the unit commits to the
// street/community. The seeds name only the pattern, so the items are plausible defaults:
// 默认目录，请各地替换.
import type { DualCommitmentCatalog } from './schemas.ts';

const items = (areaCode: string, texts: string[]) => texts.map((text, i) => ({ code: `${areaCode}-${String(i + 1).padStart(2, '0')}`, text }));

export const defaultResidentUnitCatalog: DualCommitmentCatalog = {
  notice: '默认目录，请各地替换',
  partySide: {
    label: '街道（社区）党组织向驻区单位承诺',
    areas: [
      {
        code: 'RP1',
        name: '双向协商',
        items: items('RP1', [
          '每年召开一次驻区单位党建联席会议，共商辖区发展和共驻共建事项',
          '辖区重大事项决策前征求驻区单位意见建议',
          '建立驻区单位联络员制度，及时通报辖区工作动态',
        ]),
      },
      {
        code: 'RP2',
        name: '双向服务',
        items: items('RP2', [
          '为驻区单位职工提供政策咨询、就业信息、社区托育等公共服务',
          '协调解决驻区单位周边环境、交通、治安等问题',
          '向驻区单位开放社区党群服务中心活动场所',
          '为驻区单位党员到社区报到提供服务岗位和活动项目',
        ]),
      },
      {
        code: 'RP3',
        name: '组织共建',
        items: items('RP3', [
          '联合驻区单位党组织开展主题党日、党课等组织生活不少于两次',
          '邀请驻区单位参与社区共建项目的策划和评议',
        ]),
      },
    ],
  },
  enterpriseSide: {
    label: '驻区单位向街道（社区）党组织承诺',
    areas: [
      {
        code: 'RU1',
        name: '双向协商',
        items: items('RU1', [
          '单位党组织负责人参加街道（社区）党建联席会议',
          '对辖区发展和社区治理提出意见建议，每年不少于一次',
        ]),
      },
      {
        code: 'RU2',
        name: '双向服务',
        items: items('RU2', [
          '组织在职党员到社区报到，参与志愿服务每人每年不少于两次',
          '向社区居民开放单位停车场、运动场、会议室等场地设施',
          '结合单位职能为社区居民提供政策咨询、义诊、法律援助等专业服务',
          '结对帮扶社区困难群众，每年至少开展一次走访慰问',
        ]),
      },
      {
        code: 'RU3',
        name: '共驻共建',
        items: items('RU3', [
          '参与社区环境整治、文明创建、应急处置等重点工作',
          '支持社区共建项目，提供人力、物资或资金支持',
        ]),
      },
    ],
  },
};
