// Chinese texts of the nomination, voting and 述职 pages (issue 19, schemepages). The API's rules are
// matched here first, then by the assessment module (which falls back to the shared errors.ts).
import type { ErrorDetail } from './errors';
import { assessmentCodes, assessmentRule } from './assessments';

const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must be 5 to 500 characters$/, () => '请填写推荐理由（5 到 500 字）'],
  [/^must hold \S+ on the unit$/, () => '所选人员不在该网格（单位）任职'],
  [/^must be a (grid|community|street)$/, (m) => `请选择${{ grid: '网格', community: '社区', street: '街道' }[m[1]!]}`],
  [/^must be a unit of the round$/, () => '不在本轮考核范围内'],
  [/^must be 1 to 100 characters$/, () => '请填写姓名（1 到 100 字）'],
  [/^is required to refuse.*$/, () => '不予通过须填写理由'],
  [/^must choose an option 0–\d+$/, () => '请选择一个投票选项'],
  [/^must be answered.*$/, () => '必答题不能为空'],
  [/^must answer each of the (\d+) required questions$/, (m) => `须回答全部 ${m[1]} 道必答题`],
  [/^must be (\d+) to (\d+) characters$/, (m) => `述职报告须为 ${m[1]} 到 ${m[2]} 字`],
  [/^must be an active account of a person in the round's unit$/, () => '须为本轮考核范围内人员的有效账号'],
  [/^must be a source that votes.*$/, () => '该身份不参加本方案投票'],
  [/^at most (\d+) per nominator$/, (m) => `每人最多推荐 ${m[1]} 名`],
];

export function ballotRule(rule: string): string {
  for (const [pattern, text] of rules) {
    const m = rule.match(pattern);
    if (m) return text(m);
  }
  return assessmentRule(rule);
}

/** Field errors keyed by the body's field without `body.` (reason, unitId, choices.overall, scores.report.answers[1]). */
export function ballotErrors(details: ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const key = d.field.replace(/^body\./, '');
    out[key] = out[key] ? `${out[key]}；${ballotRule(d.rule)}` : ballotRule(d.rule);
  }
  return out;
}

export const ballotCodes: Record<string, string> = {
  ...assessmentCodes,
  already_voted: '您已对该对象投过票，每人只能投一票，不能重复投票',
  already_nominated: '该人员已被推荐，不能重复推荐',
  no_nomination: '本方案没有推荐提名环节',
  wrong_stage: '当前环节不能进行此操作（推荐、审核或投票已截止）',
  not_your_role: '您不能以该身份进行此操作',
};

export const nominationStatusNames: Record<string, string> = { pending: '待审核', accepted: '已通过', refused: '未通过' };
export const nominatorNames: Record<string, string> = { community_committee: '社区推荐', street_committee: '街道推荐', residents: '群众推荐' };
