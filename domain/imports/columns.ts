// The CSV layouts of the imports: header names (English, as in the API), which are required,
// and the rule each value must meet. The first line is the header; data rows are numbered
// from 2, as a spreadsheet shows them.
import type { ImportKind } from '../entities/import-job.ts';
import { PARTY_ORG_TYPES } from '../entities/organization.ts';

export interface ColumnSpec {
  name: string;
  required: boolean;
  /** Returns the broken rule, or null. Runs only on non-empty values. */
  check?: (value: string) => string | null;
  /** Shown in the docs. */
  description: string;
  /** The Chinese header of the templates; a header cell may give either this or `name`. */
  label: string;
  /** The value of the templates' example row. */
  example: string;
}

const maxLength = (n: number) => (v: string) => (v.length > n ? `must be at most ${n} characters` : null);
const oneOf = (values: readonly string[]) => (v: string) => (values.includes(v) ? null : `must be one of ${values.join(', ')}`);
const pattern = (re: RegExp, rule: string) => (v: string) => (re.test(v) ? null : rule);

const count = (v: string) => (/^\d{1,7}$/.test(v) ? null : 'must be a whole number from 0');
const isoDate = (v: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const valid = m && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).toISOString().slice(0, 10) === v;
  return valid ? null : 'must be a date YYYY-MM-DD';
};

export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
export const BOOLEAN_VALUES = ['是', '否', 'true', 'false', '1', '0', 'yes', 'no'] as const;

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  units: [
    { name: 'code', required: true, check: pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -'), description: 'unique unit code',
      label: '单位代码', example: 'C-JX' },
    { name: 'name', required: true, check: maxLength(200), description: 'e.g. 金鑫社区', label: '单位名称', example: '金鑫社区' },
    { name: 'level', required: true, check: oneOf(['city', 'district', 'street', 'community', 'grid']),
      description: 'city, district, street, community or grid',
      label: '层级', example: 'community' },
    { name: 'parent_code', required: false, check: maxLength(64), description: 'code of the parent unit: an existing unit of your subtree or an earlier row',
      label: '上级单位代码', example: 'S-JX' },
    { name: 'party_org_name', required: true, check: maxLength(200), description: 'e.g. 金鑫社区党委', label: '党组织名称', example: '金鑫社区党委' },
  ],
  organizations: [
    { name: 'name', required: true, check: maxLength(200), description: 'organization name', label: '组织名称', example: '济宁鑫源机械制造有限公司' },
    { name: 'kind', required: true, check: oneOf(['non_public_enterprise', 'social_organization', 'resident_unit', 'property_service']),
      description: 'non_public_enterprise, social_organization or resident_unit',
      label: '类型', example: 'non_public_enterprise' },
    { name: 'unit_code', required: true, check: maxLength(64), description: 'code of the unit it belongs to (in your subtree)',
      label: '所属单位代码', example: 'C-JX' },
    { name: 'credit_code', required: false, check: pattern(CREDIT_CODE, 'must be an 18-character unified social credit code'), description: '统一社会信用代码, unique',
      label: '统一社会信用代码', example: '91370811MA3C4D5E6F' },
    { name: 'party_org_name', required: false, check: maxLength(200), description: 'its Party organization', label: '党组织名称', example: '济宁鑫源机械制造有限公司党支部' },
    { name: 'address', required: false, check: maxLength(300), description: 'address', label: '地址', example: '任城区金鑫路18号' },
    { name: 'responsible_name', required: false, check: maxLength(100), description: 'responsible person (出资人/负责人)', label: '负责人', example: '刘建国' },
    { name: 'responsible_phone', required: false, check: pattern(/^[0-9+ -]{5,32}$/, 'must be a phone number'), description: "responsible person's phone",
      label: '负责人电话', example: '13905370001' },
    // What the forms print (评诺备案表): left blank on the form where the file has no value.
    { name: 'legal_representative', required: false, check: maxLength(100), description: '法定代表人', label: '法定代表人', example: '刘建国' },
    { name: 'staff_count', required: false, check: count, description: '职工人数, a whole number', label: '职工人数', example: '326' },
    { name: 'party_member_count', required: false, check: count, description: '党员人数, a whole number', label: '党员人数', example: '27' },
    { name: 'party_org_type', required: false, check: oneOf(PARTY_ORG_TYPES), description: `党组织类型: ${PARTY_ORG_TYPES.join(', ')}`,
      label: '党组织类型', example: '党支部' },
    { name: 'party_org_founded_on', required: false, check: isoDate, description: '党组织成立日期, YYYY-MM-DD', label: '党组织成立日期', example: '2015-07-01' },
    { name: 'party_secretary_name', required: false, check: maxLength(100), description: '党组织书记', label: '党组织书记', example: '王建军' },
    { name: 'party_secretary_phone', required: false, check: pattern(/^[0-9+ -]{5,32}$/, 'must be a phone number'), description: "the Party secretary's phone",
      label: '党组织书记电话', example: '13905370002' },
  ],
  people: [
    { name: 'name', required: true, check: maxLength(100), description: 'full name', label: '姓名', example: '张卫东' },
    { name: 'phone', required: false, check: pattern(/^[0-9+ -]{5,32}$/, 'must be a phone number'), description: 'phone', label: '电话', example: '13905370123' },
    { name: 'title', required: false, check: maxLength(100), description: 'e.g. 党支部书记', label: '职务', example: '党支部书记' },
    { name: 'is_party_member', required: false, check: oneOf(BOOLEAN_VALUES), description: '是/否 (or true/false, 1/0)', label: '是否党员', example: '是' },
    { name: 'unit_code', required: false, check: maxLength(64), description: 'unit code (unit_code or organization_credit_code is required)',
      label: '所属单位代码', example: 'C-JX' },
    { name: 'organization_credit_code', required: false, check: pattern(CREDIT_CODE, 'must be an 18-character unified social credit code'),
      description: 'credit code of their organization',
      label: '所属组织信用代码', example: '91370811MA3C4D5E6F' },
  ],
};
