import type { StarRatingListData } from '../contracts/star-rating-list.ts';

export const starRatingList: StarRatingListData = {
  year: 2024,
  kind: '评定',
  region: '济宁市任城区',
  decidedOn: '2024-12-18',
  entries: [
    { partyOrganization: '中共济宁鲁恒机械制造有限公司支部委员会', enterprise: '济宁鲁恒机械制造有限公司', street: '济阳街道', score: 96.5, stars: 5, previousStars: 4 },
    { partyOrganization: '中共山东泰丰纺织集团有限公司委员会', enterprise: '山东泰丰纺织集团有限公司', street: '南张街道', score: 94.0, stars: 5, previousStars: 5 },
    { partyOrganization: '中共济宁宏达物流有限公司支部委员会', enterprise: '济宁宏达物流有限公司', street: '唐口街道', score: 88.5, stars: 4, previousStars: 4 },
    { partyOrganization: '中共济宁瑞康医药连锁有限公司支部委员会', enterprise: '济宁瑞康医药连锁有限公司', street: '古槐街道', score: 86.0, stars: 4, previousStars: null },
    { partyOrganization: '中共任城区阳光社会工作服务中心支部委员会', enterprise: '任城区阳光社会工作服务中心', street: '仙营街道', score: 83.5, stars: 4, previousStars: 3 },
    { partyOrganization: '中共济宁金穗农业科技有限公司支部委员会', enterprise: '济宁金穗农业科技有限公司', street: '喻屯镇', score: 79.0, stars: 3, previousStars: 3 },
    { partyOrganization: '中共济宁华信软件有限公司支部委员会', enterprise: '济宁华信软件有限公司', street: '济阳街道', score: 77.5, stars: 3, previousStars: 4 },
    { partyOrganization: '中共济宁运河建材有限公司支部委员会', enterprise: '济宁运河建材有限公司', street: '安居街道', score: 72.0, stars: 3, previousStars: null },
    { partyOrganization: '中共任城区惠民家政服务有限公司支部委员会', enterprise: '任城区惠民家政服务有限公司', street: '越河街道', score: 66.5, stars: 2, previousStars: 2 },
    { partyOrganization: '中共济宁诚信会计师事务所支部委员会', enterprise: '济宁诚信会计师事务所', street: '古槐街道', score: 61.0, stars: 2, previousStars: 3 },
    { partyOrganization: '中共济宁新概念教育培训学校支部委员会', enterprise: '济宁新概念教育培训学校', street: '观音阁街道', score: 55.5, stars: 1, previousStars: null },
  ],
  note: '公示期为5个工作日。对评定结果有异议的，请于公示期内向中共济宁市任城区委组织部（两新工委）反映，联系电话：0537-2345678。',
  signatures: [
    { role: '考核组组长', signer: '赵卫东', date: '2024-12-12', decision: '评定程序规范，结果属实。' },
    { role: '中共济宁市任城区委组织部部务会', signer: '陈晓东', date: '2024-12-18', decision: '同意上述评定结果。' },
  ],
};
