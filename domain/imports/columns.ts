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
    { name: 'code', required: true, check: pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -'), description: 'unique unit code' },
    { name: 'name', required: true, check: maxLength(200), description: 'e.g. 金鑫社区' },
    { name: 'level', required: true, check: oneOf(['city', 'district', 'street', 'community', 'grid']), description: 'city, district, street, community or grid' },
    { name: 'parent_code', required: false, check: maxLength(64), description: 'code of the parent unit: an existing unit of your subtree or an earlier row' },
    { name: 'party_org_name', required: true, check: maxLength(200), description: 'e.g. 金鑫社区党委' },
  ],
  organizations: [
    { name: 'name', required: true, check: maxLength(200), description: 'organization name' },
    { name: 'kind', required: true, check: oneOf(['non_public_enterprise', 'social_organization', 'resident_unit']), description: 'non_public_enterprise, social_organization or resident_unit' },
    { name: 'unit_code', required: true, check: maxLength(64), description: 'code of the unit it belongs to (in your subtree)' },
    { name: 'credit_code', required: false, check: pattern(CREDIT_CODE, 'must be an 18-character unified social credit code'), description: '统一社会信用代码, unique' },
    { name: 'party_org_name', required: false, check: maxLength(200), description: 'its Party organization' },
    { name: 'address', required: false, check: maxLength(300), description: 'address' },
    { name: 'responsible_name', required: false, check: maxLength(100), description: 'responsible person (出资人/负责人)' },
    { name: 'responsible_phone', required: false, check: pattern(/^[0-9+ -]{5,32}$/, 'must be a phone number'), description: "responsible person's phone" },
    // What the forms print (评诺备案表): left blank on the form where the file has no value.
    { name: 'legal_representative', required: false, check: maxLength(100), description: '法定代表人' },
    { name: 'staff_count', required: false, check: count, description: '职工人数, a whole number' },
    { name: 'party_member_count', required: false, check: count, description: '党员人数, a whole number' },
    { name: 'party_org_type', required: false, check: oneOf(PARTY_ORG_TYPES), description: `党组织类型: ${PARTY_ORG_TYPES.join(', ')}` },
    { name: 'party_org_founded_on', required: false, check: isoDate, description: '党组织成立日期, YYYY-MM-DD' },
    { name: 'party_secretary_name', required: false, check: maxLength(100), description: '党组织书记' },
    { name: 'party_secretary_phone', required: false, check: pattern(/^[0-9+ -]{5,32}$/, 'must be a phone number'), description: "the Party secretary's phone" },
  ],
  people: [
    { name: 'name', required: true, check: maxLength(100), description: 'full name' },
    { name: 'phone', required: false, check: pattern(/^[0-9+ -]{5,32}$/, 'must be a phone number'), description: 'phone' },
    { name: 'title', required: false, check: maxLength(100), description: 'e.g. 党支部书记' },
    { name: 'is_party_member', required: false, check: oneOf(BOOLEAN_VALUES), description: '是/否 (or true/false, 1/0)' },
    { name: 'unit_code', required: false, check: maxLength(64), description: 'unit code (unit_code or organization_credit_code is required)' },
    { name: 'organization_credit_code', required: false, check: pattern(CREDIT_CODE, 'must be an 18-character unified social credit code'), description: 'credit code of their organization' },
  ],
};
