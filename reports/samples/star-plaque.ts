import type { StarPlaqueData } from '../contracts/star-plaque.ts';

export const starPlaque: StarPlaqueData = {
  certificateNumber: 'RCXJ-2024-0005',
  partyOrganization: '中共济宁鲁恒机械制造有限公司支部委员会',
  enterprise: '济宁鲁恒机械制造有限公司',
  stars: 5,
  year: 2024,
  validUntil: '2026-12-31',
  awardedOn: '2024-12-28',
  incentives: ['优先推荐“两优一先”评选', '党建工作经费奖补3万元', '优先申报区级重点项目', '企业负责人优先推荐“两代表一委员”人选'],
};
