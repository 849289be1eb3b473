// Words of the accounts, evaluator-assignment and catalog pages, and the API's rules they meet
// (who may grant which role to whom: domain/auth/grants.ts, jurisdiction.ts) in Chinese.
import { adminRuleText } from './admin';
import { roleNames } from './common';

export const accountText = {
  accounts: '账号与角色',
  evaluators: '考核分工',
  catalogs: '目录与版本',
  login: '登录名',
  displayName: '姓名/名称',
  roles: '角色',
  status: '状态',
  active: '启用',
  inactive: '已停用',
  lastLogin: '最近登录',
  newAccount: '新建账号',
  password: '初始密码',
  grant: '授予角色',
  revoke: '撤销',
  revokeConfirm: (role: string, scope: string) => `确定撤销“${scope}”的“${role}”角色？该账号下一次操作时即失去此角色的权限。`,
  disable: '停用',
  enable: '启用',
  disableConfirm: (name: string) => `确定停用账号“${name}”？停用后该账号立即不能登录，已登录的会话全部失效。`,
  resetPassword: '重置密码',
  newPassword: '新密码',
  resetDone: '密码已重置，该账号的登录会话已全部失效',
  granted: '已授予',
  revoked: '已撤销',
  scopeUnit: '所属单位',
  scopeOrganization: '所属组织',
  noScope: '（不限单位）',
  allRoles: '全部角色',
  allStatus: '全部状态',
  underUnit: '单位（含下级）',
  search: '查询',
  reset: '重置',
  cancel: '取消',
  save: '保存',
  created: '账号已创建',
};

export const evaluatorText = {
  evaluator: '考核人员',
  organization: '被考核组织',
  unit: '所属单位',
  cycle: '周期',
  anyCycle: '不限周期',
  assignedAt: '分配时间',
  assign: '批量分配',
  assignTitle: '批量分配考核对象',
  withdraw: '撤回',
  withdrawConfirm: (org: string, who: string) => `确定撤回“${who}”对“${org}”的考核分工？`,
  chooseEvaluator: '选择考核人员',
  pickFrom: '勾选组织（可翻页）',
  fromCycle: '按周期的承诺书选择',
  selected: (n: number) => `已选 ${n} 个组织`,
  done: (created: number, already: number) => `已分配 ${created} 个组织${already ? `，${already} 个此前已分配` : ''}`,
  assignedCount: '本辖区已分配',
  evaluatorsHint: '可选择已在本辖区有考核任务、或属于本辖区的考核组账号；新的考核人员由组织部在“账号与角色”中建立并授予“考核组”角色。',
};

export const catalogText = {
  kind: '目录',
  version: '版本',
  name: '名称',
  isDefault: '系统默认',
  usedAt: '首次使用',
  unused: '尚未使用',
  createdAt: '创建时间',
  items: '事项',
  newVersion: '发布新版本',
  basedOn: '基于版本',
  inUse: (n: number) => (n ? `${n} 个周期正在使用此版本，已锁定不可修改；新版本只用于之后发起的周期` : '尚无周期使用此版本'),
  latestNote: '发起新周期时使用该类目录的最新版本；已在运行的周期保留其开始时的版本。',
  published: (v: number) => `已发布第 ${v} 版`,
  addItem: '添加事项',
  remove: '删除',
  jsonHint: '此类目录以 JSON 编辑（字段说明见接口文档）；保存时由服务器检查权重、分数线等规则。',
  badJson: 'JSON 格式有误，请检查括号和引号',
};

export const catalogKindNames: Record<string, string> = {
  dual_commitment: '双向承诺事项目录',
  resident_unit_commitment: '驻区单位“四双”承诺事项目录',
  star_rating: '星级评定指标体系',
  incentive: '激励措施清单',
};
export const catalogKindPaths: Record<string, string> = {
  dual_commitment: 'dual-commitment', resident_unit_commitment: 'resident-unit-commitment', star_rating: 'star-rating', incentive: 'incentive',
};

/** Field names the refusals point at, as a person reads them. */
export const fieldNames: Record<string, string> = {
  role: '角色', unitId: '所属单位', organizationId: '所属组织', accountId: '账号', id: '账号', login: '登录名', displayName: '姓名/名称', password: '密码',
  personId: '人员', grants: '角色', subjectId: '被考核组织', organizationIds: '被考核组织', cycleId: '周期', name: '名称', content: '目录内容', basedOnId: '基于版本',
};

const roleList = (list: string) => (list.trim() === 'none' ? '（无：您的角色不能授予任何角色）' : list.split(', ').map((r) => roleNames[r] ?? r).join('、'));
const roleName = (r: string) => roleNames[r] ?? r;

const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must be a role below your own: (.*)$/, (m) => `只能授予低于您本人角色的角色：${roleList(m[1]!)}`],
  [/^must not be your own account$/, () => '不能修改自己账号的角色、启用状态或密码（本人改密码请用“修改密码”）'],
  [/^must be an account holding only roles you may grant$/, () => '该账号持有您无权授予的角色，只有更高一级的角色才能修改'],
  [/^role (\w+) needs a unitId and no organizationId$/, (m) => `“${roleName(m[1]!)}”须选择所属单位（不选组织）`],
  [/^role (\w+) needs an organizationId and no unitId$/, (m) => `“${roleName(m[1]!)}”须选择所属组织（不选单位）`],
  [/^role (\w+) takes no unitId or organizationId$/, (m) => `“${roleName(m[1]!)}”不指定单位或组织`],
  [/^must be an organization in your subtree$/, () => '须为您管辖范围内的组织'],
  [/^must contain a unit or organization role in your subtree$/, () => '至少授予一个您管辖范围内的单位或组织角色（否则账号将不在任何人的管辖范围内）'],
  [/^must be a person of your subtree$/, () => '须为您管辖范围内的人员'],
  [/^must not be granted twice in the same scope$/, () => '该账号在此范围内已有这个角色'],
  [/^must not be the last unit or organization role of the account$/, () => '这是该账号在您管辖范围内的最后一个角色，不能撤销；如不再使用请停用账号'],
  [/^must be an account holding the evaluator role$/, () => '须为持有“考核组”角色的账号'],
  [/^must not be assigned to the same evaluator twice$/, () => '已分配给该考核人员'],
  [/^must be an existing cycle$/, () => '周期不存在'],
  [/^must match pattern .*$/, () => '只能使用字母、数字和 _ . @ -'],
  [/^indicator weights must add up to 100 \(they add up to (\S+)\)$/, (m) => `指标权重之和须为 100（现为 ${m[1]}）`],
];

export function accountRuleText(rule: string): string {
  for (const [pattern, text] of rules) {
    const match = rule.match(pattern);
    if (match) return text(match);
  }
  return adminRuleText(rule);
}

/** Field errors keyed by the field's last name (body.grants[0].role → role), in Chinese. */
export function accountFieldErrors(details: { field: string; rule: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const key = d.field.replace(/^(body|querystring|params)\./, '').replace(/^grants\[\d+\]\./, '');
    out[key] = out[key] ? `${out[key]}；${accountRuleText(d.rule)}` : accountRuleText(d.rule);
  }
  return out;
}

/** One line naming each refused field and its rule: “角色：只能授予……”. */
export function refusalLine(details: { field: string; rule: string }[]): string {
  return details.map((d) => {
    const last = d.field.replace(/\[\d+\]/g, '').split('.').filter((p) => !['body', 'params', 'querystring', 'grants'].includes(p)).pop() ?? d.field;
    return `${fieldNames[last] ?? last}：${accountRuleText(d.rule)}`;
  }).join('；');
}
