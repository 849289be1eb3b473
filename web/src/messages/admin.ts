// Words of the administration pages (units, organizations, people) and the API's rules they meet.
import { ruleText } from './errors';

export const adminText = {
  units: '行政区划',
  organizations: '组织管理',
  people: '人员管理',
  exportExcel: '导出Excel',
  import: '导入',
  search: '查询',
  reset: '重置',
  add: '新增',
  edit: '编辑',
  save: '保存',
  cancel: '取消',
  addChild: '新增下级',
  rename: '重命名',
  move: '移动',
  moveTitle: '移动单位',
  moveConfirm: (unit: string, parent: string) => `确定把“${unit}”及其全部下级单位、组织和人员移到“${parent}”之下？移动后由新上级的工作人员管理。`,
  newParent: '新上级单位',
  saved: '已保存',
  moved: '已移动',
  template: '下载模板',
  templateXlsx: 'Excel 模板',
  templateCsv: 'CSV 模板',
  chooseFile: '选择文件（.xlsx 或 .csv）',
  importing: '正在导入',
  importDone: (n: number) => `导入成功，共 ${n} 行`,
  importFailed: (n: number) => `导入未完成：发现 ${n} 处问题，未写入任何数据。请修改后重新上传。`,
  row: '行',
  column: '列',
  problem: '问题',
  all: '全部',
  total: (n: number) => `共 ${n} 条`,
};

export const levelNames: Record<string, string> = { city: '市', district: '区县', street: '街道', community: '社区', grid: '网格' };
export const kindNames: Record<string, string> = { non_public_enterprise: '非公企业', social_organization: '社会组织', resident_unit: '驻区单位', property_service: '物业服务企业' };
export const partyOrgTypes = ['党委', '党总支', '党支部', '联合党支部'];

/** Import columns in Chinese, as the templates head them. */
export const columnNames: Record<string, string> = {
  code: '单位代码', name: '名称', level: '层级', parent_code: '上级单位代码', party_org_name: '党组织名称', kind: '类型', unit_code: '所属单位代码',
  credit_code: '统一社会信用代码', address: '地址', responsible_name: '负责人', responsible_phone: '负责人电话', legal_representative: '法定代表人',
  staff_count: '职工人数', party_member_count: '党员人数', party_org_type: '党组织类型', party_org_founded_on: '党组织成立日期',
  party_secretary_name: '党组织书记', party_secretary_phone: '党组织书记电话', phone: '电话', title: '职务', is_party_member: '是否党员',
  organization_credit_code: '所属组织信用代码',
};

const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must be a unit in your subtree$/, () => '须为您管辖范围内的单位'],
  [/^must not be the unit or a unit under it$/, () => '不能移到本单位或其下级单位之下'],
  [/^must be a unit of a level above (\w+) \(this one is (\w+)\)$/, (m) => `新上级的层级须高于${levelNames[m[1]!] ?? m[1]}（所选为${levelNames[m[2]!] ?? m[2]}）`],
  [/^must be a level below the parent's \((\w+)\)$/, (m) => `层级须低于上级（${levelNames[m[1]!] ?? m[1]}）`],
  [/^must be unique$/, () => '已被使用，不能重复'],
  [/^must be the code of a unit in your subtree( or of an earlier row)?$/, () => '不是您管辖范围内的单位代码'],
  [/^must be the credit code of an organization in your subtree$/, () => '不是您管辖范围内组织的信用代码'],
  [/^an organization with this credit code already exists$/, () => '该信用代码的组织已存在'],
  [/^a unit with this code already exists$/, () => '该单位代码已存在'],
  [/^is used by an earlier row$/, () => '与前面的行重复'],
  [/^must be one of (.*)$/, (m) => `须为以下之一：${m[1]}`],
  [/^must be a whole number from 0$/, () => '须为不小于 0 的整数'],
  [/^must be a phone number$/, () => '须为电话号码'],
  [/^must be an 18-character unified social credit code$/, () => '须为 18 位统一社会信用代码'],
  [/^required column is missing from the header$/, () => '表头缺少此必填列'],
  [/^is not a known column.*$/, () => '不是模板中的列'],
  [/^the file is empty.*$/, () => '文件为空，第一行须为表头'],
  [/^is not a readable \.xlsx workbook.*$/, () => '无法读取该 Excel 文件'],
  [/^unit_code or organization_credit_code is required$/, () => '所属单位代码和所属组织信用代码至少填一个'],
  [/^is required \(only an administrator imports root units\)$/, () => '必填（只有管理员能导入顶级单位）'],
];

export function adminRuleText(rule: string): string {
  for (const [pattern, text] of rules) {
    const match = rule.match(pattern);
    if (match) return text(match);
  }
  return ruleText(rule);
}

/** Field errors keyed by the API's field without its body./querystring. prefix. */
export function adminFieldErrors(details: { field: string; rule: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const key = d.field.replace(/^(body|querystring|params)\./, '');
    out[key] = out[key] ? `${out[key]}；${adminRuleText(d.rule)}` : adminRuleText(d.rule);
  }
  return out;
}
