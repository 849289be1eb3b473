// Words shared by every page: roles, gates, statuses, the menu.
export const roleNames: Record<string, string> = {
  admin: '系统管理员',
  org_department: '组织部',
  street_committee: '街道党工委',
  community_committee: '社区党委',
  enterprise_rep: '企业（出资人/负责人）',
  enterprise_party_org: '企业党组织',
  first_secretary: '第一书记',
  dispatching_unit: '派出单位',
  evaluator: '考核组',
};

export const gateNames: Record<string, string> = { set: '定诺', show: '亮诺', practice: '践诺', evaluate: '评诺', filed: '已备案' };
export const setStatusNames: Record<string, string> = { drafting: '起草中', submitted: '待审核', returned: '已退回', approved: '已通过' };
export const versionStatusNames: Record<string, string> = { draft: '草稿', submitted: '已提交', returned: '已退回', approved: '已通过', superseded: '已替代' };
export const itemStatusNames: Record<string, string> = { fulfilled: '已完成', partly: '部分完成', not_fulfilled: '未完成' };
export const sideNames: Record<string, string> = { party: '党组织承诺', enterprise: '企业承诺' };
export const residentSideNames: Record<string, string> = { party: '街道/社区承诺', enterprise: '驻区单位承诺' };
export const kindNames: Record<string, string> = {
  non_public_enterprise: '非公企业',
  social_organization: '社会组织',
  resident_unit: '驻区单位（四双）',
  property_service: '物业服务企业',
};
export const reportNames: Record<string, string> = {
  'commitment-notice': '承诺公示',
  'evaluation-record': '评诺备案表',
  'factual-evaluation': '写实评价',
};
export const reportStatusNames: Record<string, string> = { filed: '已生成', rendering: '生成中', failed: '生成失败', not_filed: '未生成' };

export const common = {
  appName: '基层党建考核周期服务',
  logout: '退出登录',
  changePassword: '修改密码',
  save: '保存',
  submit: '提交',
  cancel: '取消',
  confirm: '确定',
  back: '返回',
  refresh: '刷新',
  loading: '加载中…',
  empty: '暂无数据',
  saved: '已保存',
  done: '操作成功',
  view: '查看',
  actions: '操作',
  search: '查询',
  reset: '重置',
  year: '年度',
  sessionExpired: '登录已过期，请重新登录',
};

export const menu = {
  todo: '待办事项',
  inbox: '消息通知',
  cycles: '双向承诺周期',
  startCycle: '发起周期',
  sets: '承诺书',
  reviewQueue: '审核队列',
  assigned: '考核任务',
  password: '修改密码',
};
