// Chinese names and field rules of assessment schemes (考核方案, issue 19). The API's rules for a
// scheme are matched here first, then by the shared module (errors.ts).
import { ruleText, type ErrorDetail } from './errors';

export const cadenceNames: Record<string, string> = { half_yearly: '每半年', yearly: '每年', once: '一次性' };
export const sourceNames: Record<string, string> = { self: '本人自评', residents: '群众评议', peers: '同事互评', supervisor: '上级党组织', department: '组织部门', party_reps: '党员代表' };
export const ruleNames: Record<string, string> = { manual: '人工打分', checklist: '清单勾选', rate: '按记录计算比率', survey: '问卷题目', vote: '投票', text: '述职报告（文字）' };
export const rateSourceNames: Record<string, string> = {
  grid_matters_closed_in_time: '网格事项按时办结率', grid_matters_satisfied: '网格事项群众满意率',
  resident_units_participating: '驻区单位参与率', party_org_satisfaction: '群众满意率（街道社区党组织）', compounds_self_governed: '小区（楼院）自治率',
  owner_support: '出资人（负责人）支持度',
};
export const roleNames: Record<string, string> = { community_committee: '社区/网格工作人员（网格员）', street_committee: '街道党工委', first_secretary: '第一书记' };
export const levelNames: Record<string, string> = { street: '街道', community: '社区', grid: '网格' };
export const signOffNames: Record<string, string> = { street_committee: '街道党工委', org_department: '组织部门' };
export const stageNames: Record<string, string> = { nomination: '推荐提名', review: '提名审核', scoring: '评分中', grading: '计分中', sign_off: '审核签批', publicity: '公示中', closed: '已结束' };

const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^weights must add up to 100$/, () => '权重之和须为 100'],
  [/^indicator weights must add up to 100$/, () => '各指标权重之和须为 100'],
  [/^needs at least one (source|section|indicator|step)$/, (m) => `至少需要一个${{ source: '评价主体', section: '考核板块', indicator: '指标', step: '审核环节' }[m[1]!]}`],
  [/^needs at least two bands$/, () => '至少需要两个等次'],
  [/^must be above 0$/, () => '须大于 0'],
  [/^is listed twice$/, () => '不能重复'],
  [/^is used twice$/, () => '代码不能重复'],
  [/^must be lower-case letters, digits and _.*$/, () => '代码只能用小写字母、数字和下划线'],
  [/^must be (\d+)–(\d+) days$/, (m) => `须为 ${m[1]} 到 ${m[2]} 天`],
  [/^must be 0 or more and less than the scoring days$/, () => '须不少于 0 天且少于评分天数'],
  [/^must be 0–100$/, () => '须在 0 到 100 之间'],
  [/^must be below the band above$/, () => '分数线须低于上一等次'],
  [/^only the top band has a cap$/, () => '只有最高等次可以设置比例上限'],
  [/^must be above 0 and at most 1$/, () => '比例须大于 0 且不超过 100%'],
  [/^the last band must start at 0$/, () => '最低等次的分数线须为 0'],
  [/^names no band$/, () => '不是本方案的等次'],
  [/^must be a whole step from -3 to 3$/, () => '须为 -3 到 3 之间的整数级'],
  [/^needs at least one item, none empty$/, () => '至少一项，且不能为空'],
  [/^a survey question needs the residents source$/, () => '问卷题目需要“群众评议”评价主体'],
  [/^must be one of .*$/, () => '请从列表中选择'],
  [/^must be at most (\S+)$/, (m) => `不能超过满分 ${m[1]}`],
  [/^must be a score of 0 or more$/, () => '须为不小于 0 的分数'],
  [/^must tick distinct items.*$/, () => '勾选项不正确'],
  [/^must be a mean answer from 1 to 5$/, () => '平均得分须在 1 到 5 之间'],
  [/^is not scored by this source$/, () => '该评价主体不评此项'],
  [/^must be 1 or more$/, () => '须不小于 1'],
  [/^must not be before from$/, () => '结束日期不能早于开始日期'],
  [/^has nobody the scheme targets$/, () => '该单位下没有本方案的考核对象'],
  [/^an upheld objection corrects the total, the band or the honour list$/, () => '异议成立须更正总分、等次或移出评先树优名单'],
  [/^a dismissed objection corrects nothing$/, () => '异议不成立时不作更正'],
  [/^is required$/, () => '必填'],
  [/^names no band of the scheme$/, () => '不是本方案的等次'],
  [/^is not assessed in this round$/, () => '不是本轮考核对象'],
  [/^must be whole yuan from 0 to 1000000$/, () => '须为 0 到 1000000 元之间的整数'],
  [/^objections need at least one day of 公示$/, () => '设置异议须至少公示 1 天'],
  [/^must be 1–100$/, () => '须为 1 到 100'],
];

export function assessmentRule(rule: string): string {
  for (const [pattern, text] of rules) {
    const m = rule.match(pattern);
    if (m) return text(m);
  }
  return ruleText(rule);
}

/** Field errors keyed by path without body./definition. prefixes, e.g. sections[0].indicators[1].weight. */
export function schemeErrors(details: ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const key = d.field.replace(/^body\.(definition\.)?/, '');
    out[key] = out[key] ? `${out[key]}；${assessmentRule(d.rule)}` : assessmentRule(d.rule);
  }
  return out;
}

export const assessmentCodes: Record<string, string> = {
  not_your_role: '您不能以该身份评分',
  wrong_stage: '当前环节不能进行此操作（评分已截止或尚未到审核）',
  round_exists: '该方案本期考核已发起',
  not_published: '方案尚未发布版本，请先发布',
  scheme_not_editable: '系统默认方案不能直接修改，请先复制为本部门方案',
  nothing_changed: '草稿与最新版本相同，无需发布',
};
