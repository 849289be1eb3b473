import type { StarPlaqueData } from '../contracts/star-plaque.ts';

export const starPlaque: StarPlaqueData = {
  certificateNumber: '任组星证〔2024〕5号',
  partyOrganization: '中共济宁鲁恒机械制造有限公司支部委员会',
  enterprise: '济宁鲁恒机械制造有限公司',
  label: '企业',
  stars: 5,
  year: 2024,
  validUntil: '2026-12-31',
  awardedOn: '2024-12-28',
};
