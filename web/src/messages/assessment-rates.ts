// Chinese texts of the rates lane's pages (issue 19): offline counts, the first review (初审), the report
// to a body outside the tree, 小区（楼院）自治 records. The API's rules are matched here first, then by
// the assessment module (which falls back to the shared errors.ts).
import type { ErrorDetail } from './errors';
import { assessmentCodes, assessmentRule } from './assessments';

const rules: [RegExp, string][] = [
  [/^names no rate of the scheme that takes offline counts$/, '不是本方案可录入线下数据的比率指标'],
  [/^must be a whole number of 1 or more$/, '须为不小于 1 的整数'],
  [/^must be a whole number of 0 or more$/, '须为不小于 0 的整数'],
  [/^must not exceed the denominator$/, '不能大于总数（分母）'],
  [/^is required: say where the counts come from$/, '必填：请说明数据来源（会议、纸质测评等）'],
  [/^is required to return a rating$/, '退回评价须填写理由'],
];

export function rateRule(rule: string): string {
  for (const [pattern, text] of rules) if (pattern.test(rule)) return text;
  return assessmentRule(rule);
}

/** Field errors keyed by the body's field name (body.numerator → numerator). */
export function rateErrors(details: ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const key = d.field.replace(/^body\./, '');
    out[key] = out[key] ? `${out[key]}；${rateRule(d.rule)}` : rateRule(d.rule);
  }
  return out;
}

export const rateCodes: Record<string, string> = {
  ...assessmentCodes,
  wrong_stage: '当前环节不能进行此操作（评分已截止或本轮尚未结束）',
  not_your_role: '您不负责该评价的初审',
  report_not_ready: '报送材料在本轮考核结束时生成，请稍后',
  already_sent: '已记录报送，不能重复记录',
};

export const reviewStatusNames: Record<string, string> = { pending: '待初审', confirmed: '已确认', returned: '已退回' };
