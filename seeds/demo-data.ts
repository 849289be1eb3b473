// The demo jurisdiction's names, as data. Invented but plausible: a district of a prefecture
// city in Shandong, sized like the seeds (streets, communities, grids, ~300 organizations,
// 32 first secretaries from district departments).

export const DISTRICT = { code: '370811', name: '任城区', partyOrgName: '中共济宁市任城区委员会' };

export const STREETS: { code: string; name: string; communities: string[] }[] = [
  { code: '370811001', name: '古槐街道', communities: ['铁塔寺社区', '竹竿巷社区', '东门大街社区', '小闸口社区', '南池社区'] },
  { code: '370811002', name: '越河街道', communities: ['越河社区', '金鑫社区', '南苑社区', '荷花社区', '明珠社区'] },
  { code: '370811003', name: '仙营街道', communities: ['仙营社区', '西苑社区', '红星社区', '太白楼社区', '光明社区'] },
  { code: '370811004', name: '金城街道', communities: ['金城社区', '翠都社区', '运河社区', '永丰社区', '和谐社区'] },
];

export const GRIDS_PER_COMMUNITY = 3;

const BRANDS = ['鑫源', '华宇', '恒通', '瑞丰', '宏达', '金诺', '天成', '博远', '汇金', '众诚', '立信', '佳禾', '永盛', '东岳', '润泽', '泰和', '新越', '嘉和', '亿隆', '鲁源', '运河', '圣地', '孔孟', '微山湖', '太白', '荣昌', '福瑞', '兴业', '宝德', '正阳'];
const TRADES = ['机械制造', '商贸', '物流', '科技', '建材', '食品', '纺织', '电子', '医药', '餐饮管理', '物业服务', '建筑工程', '环保科技', '文化传媒', '信息技术'];
const SOCIAL = ['志愿者协会', '社会工作服务中心', '老年人协会', '书画协会', '家政服务协会', '慈善总会分会', '青少年服务中心', '邻里互助会', '养老服务中心', '残疾人服务中心', '调解协会', '商会'];

/** Enterprise i's name: unique for i < BRANDS × TRADES. */
export const enterpriseName = (i: number) => `济宁${BRANDS[i % BRANDS.length]}${TRADES[Math.floor(i / BRANDS.length) % TRADES.length]}有限公司`;
export const socialOrganizationName = (i: number, community: string) => `任城区${community.replace('社区', '')}${SOCIAL[i % SOCIAL.length]}`;

export const DISPATCHING_UNITS = ['区财政局', '区人社局', '区民政局', '区住建局', '区卫健局', '区教体局', '区商务局', '区市场监管局', '区审计局', '区司法局', '区农业农村局', '区自然资源局', '区交通运输局', '区文旅局', '区应急局', '区总工会'];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧'];
const GIVEN = ['建国', '卫东', '秀英', '桂兰', '志强', '海燕', '丽娟', '俊杰', '晓明', '春梅', '国庆', '红霞', '文博', '雪梅', '振华', '子涵', '浩然', '思远', '玉兰', '德胜', '明辉', '淑珍', '立新', '静怡'];
export const personName = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;

/** Personnel details of person i (性别, 出生年月, 政治面貌), as a personnel form would carry them. */
export const personDetails = (i: number, isPartyMember: boolean) => ({
  gender: (i % 3 === 1 ? '女' : '男') as '男' | '女',
  birthMonth: `${1970 + (i % 25)}-${String((i % 12) + 1).padStart(2, '0')}`,
  politicalStatus: isPartyMember ? '中共党员' : '群众',
});
