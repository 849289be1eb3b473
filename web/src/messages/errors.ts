// The API's error codes and field rules in Chinese. The API speaks English to programs; people
// read these. Rules are matched by pattern, so a rule with a value in it ("between A and B")
// keeps the value.
// No imports: these rules are unit-tested under Node too (test/web/).
export interface ErrorDetail {
  field: string;
  rule: string;
}
/** What a failed call carries (api/client.ts ApiFailure). */
interface Failure {
  status: number;
  code: string;
  retryAfter: number | null;
}

export const errorCodes: Record<string, string> = {
  validation_failed: '填写的内容有误，请按提示修改',
  bad_request: '填写的内容有误，请按提示修改',
  unauthorized: '登录已过期，请重新登录',
  invalid_credentials: '用户名或密码错误',
  forbidden: '您的角色无权进行此操作',
  wrong_role: '您的角色无权进行此操作',
  not_found: '未找到该记录，或不在您的管辖范围内',
  conflict: '该记录已存在或已被他人修改，请刷新后重试',
  already_decided: '已经处理过了，无需重复操作',
  already_filed: '报告已归档，不能重复生成',
  already_rendering: '报告正在生成中，请稍候',
  rendering: '周期仍在生成该报告，请稍后查看',
  not_ready: '尚未到达生成该报告的环节',
  cycle_closed: '本周期已结束，不能再进行操作',
  // points (积分兑换超市) and 双报到
  report_failed: '文件生成失败，请稍后重试',
  out_of_stock: '库存不足，不能兑换',
  insufficient_points: '积分余额不足，不能兑换',
  goods_withdrawn: '该商品已下架',
  stock_below_zero: '库存不能少于零',
  exchange_confirmed: '该兑换已领取，不能再更改',
  exchange_released: '该兑换已取消或过期，库存和积分已退回',
  exchange_expired: '该兑换已过期，请重新兑换',
  entry_confirmed: '该积分已确认',
  entry_rejected: '该积分已退回',
  registration_confirmed: '该报到已确认',
  registration_declined: '该报到已退回',
  registration_pending: '报到尚未经社区确认，确认后才能登记服务',
  workflow_closed: '流程已结束，不能再进行操作',
  wrong_gate: '当前环节不能进行此操作',
  wrong_state: '当前状态不能进行此操作',
  not_open: '尚未开放',
  window_closed: '公示期已结束，不再接收意见',
  survey_closed: '测评已结束',
  code_unknown: '测评码不正确，请核对后重新输入',
  code_used: '该测评码已使用过，每个测评码只能作答一次',
  survey_answered: '已有人作答，问卷题目不能再修改',
  // The residents' source of assessment rounds (one-time codes).
  residents_closed: '本次群众评议已结束，不再接收作答',
  residents_by_codes: '本轮群众评议凭测评码作答，不能直接录入平均分；纸质问卷请按“线下”录入并说明来源',
  residents_typed: '本轮已直接录入群众评议结果，不能再改为测评码作答',
  no_residents: '本方案没有群众评议指标，无需发放测评码',
  no_codes: '请先发放群众评议测评码，再录入线下纸质问卷',
  code_already_issued: '名单中有人已发放过测评码',
  link_gone: '链接已失效',
  rating_ended: '星级评定已结束',
  decided: '该申请已审批过了',
  month_counted: '该月考勤已结算，不能再审批',
  shipped_notice: '该年份为系统内置的国务院通知，不能修改',
  payload_too_large: '文件太大',
  unsupported_media_type: '不支持该文件类型（请上传 PDF、图片或 Office 文档）',
  rate_limited: '操作过于频繁，请稍后再试',
  workflow_unavailable: '流程服务暂时不可用，请稍后重试',
  not_due: '该月尚未到报送时间',
  already_reported: '该月进度已报送',
  already_rectified: '该问题已整改',
  task_closed: '任务已办结，不再受理',
  not_owner: '只有责任单位可以报送',
  not_supervisor: '只有督导单位可以进行此操作',
  internal_error: '服务器内部错误，请稍后重试或联系管理员',
  network_error: '网络连接失败，请检查网络后重试',
};

const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
  // Rules the API already words in Chinese (月调度、季督导 and other grid pages) are shown as they are.
  [/^[\u4e00-\u9fff].*$/s, (m) => m[0]],
  [/^is required: a concrete target that can be seen$/, () => '必填：承诺目标要看得见（写明可以看到的具体目标）'],
  [/^is required: the task that will be carried out$/, () => '必填：写明要落实的具体任务'],
  [/^is required: how fulfilment is measured$/, () => '必填：写明衡量完成情况的指标'],
  [/^is required for a custom commitment$/, () => '自定义承诺必须填写名称'],
  [/^is required when the status is partly or not_fulfilled$/, () => '部分完成或未完成时必须说明原因'],
  [/^is required$/, () => '必填'],
  [/^must not be blank$/, () => '不能为空'],
  [/^must be unique within the set$/, () => '同一承诺书内不能重复'],
  [/^must be party or enterprise$/, () => '只能是党组织或企业'],
  [/^is not an item of the cycle catalog$/, () => '不是本周期承诺目录中的事项'],
  [/^belongs to the (party|enterprise) side$/, (m) => `该目录事项属于${m[1] === 'party' ? '党组织' : '企业'}一方`],
  [/^is already used by another commitment of this side$/, () => '本方已有承诺使用了该目录事项'],
  [/^must be a date YYYY-MM-DD$/, () => '请选择日期（年-月-日）'],
  [/^must lie inside the cycle, between (\S+) and (\S+)$/, (m) => `必须在本周期内，${m[1]} 至 ${m[2]} 之间`],
  [/^needs at least one commitment of the (party|enterprise) side$/, (m) => `至少需要一条${m[1] === 'party' ? '党组织' : '企业'}方的承诺`],
  [/^must be a whole number of days from 1 to 60$/, () => '须为 1 到 60 之间的整数天'],
  [/^must be a list of whole days from 1 to 90$/, () => '须为 1 到 90 之间的整数天'],
  [/^must add up to 100$/, () => '权重之和须为 100'],
  [/^must come after (\w+) \((\S+)\)$/, (m) => `须晚于${settingNames[m[1]!] ?? m[1]}（${m[2]}）`],
  [/^must lie in the cycle year (\d+)$/, (m) => `须在 ${m[1]} 年内`],
  [/^must (be|lie) (on or )?(after|later than) today.*$|^must not be in the past.*$|^lies in the past.*$/, () => '不能早于今天（已过去的日期不能作为截止日期）'],
  [/^selects no organization in your jurisdiction$/, () => '您的管辖范围内没有符合条件的组织'],
  [/^organization \S+ is already in a (\d+) cycle.*$/, (m) => `该组织已在 ${m[1]} 年的双向承诺周期中`],
  [/^start resident_unit in a cycle of its own.*$/, () => '驻区单位（四双）须单独开展一个周期，不能与企业和社会组织同时发起'],
  [/^misses item (\S+)$/, (m) => `缺少事项 ${m[1]} 的评分`],
  [/^must be at most (\d+) characters$/, (m) => `最多 ${m[1]} 个字`],
  [/^must NOT have more than (\d+) characters$/, (m) => `最多 ${m[1]} 个字`],
  [/^must NOT have fewer than 1 characters$/, () => '不能为空'],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `至少 ${m[1]} 个字`],
  [/^must be >= (\S+)$/, (m) => `不能小于 ${m[1]}`],
  [/^must be <= (\S+)$/, (m) => `不能大于 ${m[1]}`],
  [/^must be a login token$/, () => '请使用登录令牌'],
  [/^must be evidence uploaded for this organization.*$/, () => '请先为本组织上传佐证材料'],
  [/^is not an allowed field$/, () => '不允许的字段'],
  [/^must match format "uuid"$/, () => '格式不正确'],
  [/^must match format "date"$/, () => '请选择日期'],
  // Grid matters (网格事项): a matter's steps and the department's dispatch rules.
  [/^must be the number of a matter \(GM-…\)$/, () => '请填写完整的事项编号，如 GM-20261204-000001'],
  [/^must be the number of a matter you can see$/, () => '没有这个编号的事项，或不在您的管辖范围内'],
  [/^must not be empty$/, () => '不能为空'],
  [/^must be an 11-digit mobile number$/, () => '请填写11位手机号码'],
  [/^must be a building of this grid: (.*)$/s, (m) => `请选择本网格的楼栋：${m[1]}`],
  [/^must be evidence uploaded first \(POST \/evidence\)$/, () => '请先上传照片'],
  [/^must be a number of hours between 0 and 2160$/, () => '须为 0 到 2160 之间的小时数'],
  [/^must name at least one category$/, () => '至少设置一个问题类别'],
  [/^must be lowercase letters, digits, - or _ \(up to 40\)$/, () => '代码只能用小写字母、数字、- 或 _（最多 40 位），以字母开头'],
  [/^repeats category (\S+)$/, (m) => `类别代码 ${m[1]} 重复`],
  [/^must be one of grid, community, street, district$/, () => '只能是小区党支部、社区党委、街道党工委或县级党委'],
  [/^names the registered (department|utility) unit that answers$/, (m) => `请指定负责答复的${m[1] === 'department' ? '职能部门' : '公用事业单位'}`],
  [/^must be a registered (department|utility) unit of this department$/, (m) => `须为本区登记的${m[1] === 'department' ? '职能部门' : '公用事业单位'}`],
  [/^only department and utility units are named$/, () => '只有职能部门和公用事业单位需要指定承办单位'],
  [/^must give 4 positive hours \(grid, community, street, district\)$/, () => '须填写四级时限（小区党支部、社区党委、街道党工委、县级党委），均为正数小时'],
  // Leave, trips, holiday calendars (issue 16).
  [/^YYYY-MM-DD calendar date$/, () => '请选择日期（年-月-日）'],
  [/^not before the posting began \((\S+)\)$/, (m) => `不能早于派驻开始日（${m[1]}）`],
  [/^not after the posting's last day \((\S+)\)$/, (m) => `不能晚于派驻结束日（${m[1]}）`],
  [/^on or after body\.from \((\S+)\)$/, (m) => `不能早于开始日期（${m[1]}）`],
  [/^at most (\d+) days from body\.from$/, (m) => `一次最多 ${m[1]} 天`],
  [/^a reason is required$/, () => '请填写事由'],
  [/^overlaps the (\S+) of (\S+) to (\S+) \((\w+)\)$/, (m) => `与 ${m[2]} 至 ${m[3]} 的${m[1]}（${m[4] === 'pending' ? '待审批' : '已批准'}）重叠`],
  [/^not in a month already counted \((\S+)\)$/, (m) => `${m[1]} 的考勤已结算，不能再申请`],
  [/^required when refusing \(say why\)$/, () => '不批准时必须说明理由'],
  [/^a day of (\d+)$/, (m) => `必须是 ${m[1]} 年的日期`],
  [/^listed once$/, () => '日期重复'],
  [/^not also a holiday$/, () => '不能同时是放假日'],
  [/^a Saturday or Sunday.*$/, () => '调休上班日必须是周六或周日'],
  [/^at least one statutory holiday.*$/, () => '至少填写一个放假日期'],
  [/^is wrong$/, () => '不正确'],
  // Star rating (星级评定): settings, enrolment, actions.
  [/^must be a month and day, MM-DD$/, () => '请按“月-日”填写，如 10-31'],
  [/^must come after (\w+)$/, (m) => `须晚于${settingNames[m[1]!] ?? m[1]}`],
  [/^must be a whole number from (-?\d+) to (\d+)$/, (m) => `须为 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be a number from (-?\d+) to (\d+)$/, (m) => `须为 ${m[1]} 到 ${m[2]} 之间的数`],
  [/^must be true or false$/, () => '请选择是或否'],
  [/^must be lower-case letters, digits and _.*$/, () => '代码只能用小写字母、数字和下划线（最多 50 个）'],
  [/^must be a text of 1 to 20 characters$/, () => '须为 1 到 20 个字'],
  [/^each level appears once$/, () => '每个星级只能出现一次'],
  [/^a higher level needs a higher minScore$/, () => '星级越高，分数线须越高'],
  [/^codes must be unique$/, () => '事件代码不能重复'],
  [/^needs code, label, points, serious, lowerBy and revoke$/, () => '请把代码、名称、分值、是否严重、降星数、是否撤销填写完整'],
  [/^must be a non-empty list$/, () => '至少需要一项'],
  [/^must be a list of 1 to 5 levels.*$/, () => '须为 1 到 5 个星级（留空则用指标体系的分数线）'],
  [/^has already passed \((\S+); today is (\S+) .*$/, (m) => `${m[1]} 已过（今天是 ${m[2]}）：请改为更晚的日期，或纳入下一年度`],
  [/^the share may only grow: last year's share was (\S+)$/, (m) => `纳入比例只能逐年扩大，不能低于上年的 ${Math.round(Number(m[1]) * 1000) / 10}%`],
  [/^share must be above 0 and at most 1$/, () => '比例须大于 0 且不超过 100%'],
  [/^count must be a whole number.*$/, () => '家数须为整数'],
  [/^the rule admits (\d+) new organizations this year$/, (m) => `按纳入规则，今年只能新纳入 ${m[1]} 家`],
  [/^\S+ is not an unenrolled enterprise or social organization of the jurisdiction$/, () => '不是本辖区尚未纳入的企业或社会组织'],
  [/^is not a star-rating setting.*$|^is not a known setting$/, () => '不是可以设置的项目'],
  [/^is required when the settings name no enrolment rule$/, () => '请填写纳入比例或名单'],
  [/^must say why the rating ends$/, () => '请写明终止的理由'],
  [/^\S+ is not an evidence file of this organization$/, () => '不是本组织的佐证材料'],
  [/^must be at least (\d+) characters.*$/, (m) => `至少 ${m[1]} 个字符`],
  // Surveys: questionnaires, one-time codes, rosters (issue 19 item 4).
  [/^is required: this survey is answered with a one-time code$/, () => '请输入测评码（本次测评凭一次性测评码作答）'],
  [/^is not a code of this survey$/, () => '测评码不正确，请核对后重新输入'],
  [/^is not a code of this round$/, () => '测评码不正确，请核对后重新输入'],
  [/^must be the 8 letters and digits on the slip or in the SMS$/, () => '须为测评卡或短信上的 8 位字母和数字'],
  [/^must say where the answers come from \(2 to (\d+) characters\)$/, (m) => `必填：请说明纸质问卷的来源（2 到 ${m[1]} 字）`],
  [/^must add up to the (\d+) respondents$/, (m) => `各选项票数之和须等于作答人数 ${m[1]}`],
  [/^must give the votes of each of the (\d+) options \(whole numbers\)$/, (m) => `须填写全部 ${m[1]} 个选项的票数（整数）`],
  [/^must be a whole number from 1 to (\d+)$/, (m) => `须为 1 到 ${m[1]} 之间的整数`],
  [/^is not a residents' indicator of the scheme$/, () => '不是本方案的群众评议指标'],
  [/^is not assessed in this round$/, () => '不是本轮的考核对象'],
  [/^must be 1 or more, at most (\d+) codes in all$/, (m) => `须至少 1 个，一次合计不超过 ${m[1]} 个`],
  [/^is the assessment scheme's residents' indicators: change the scheme, not the survey$/, () => '题目来自考核方案的群众评议指标，请修改考核方案'],
  [/^has already been used: each code answers once$/, () => '该测评码已使用过，每个测评码只能作答一次'],
  [/^is not a question of this survey$/, () => '不是本问卷的题目'],
  [/^must be yes or no$/, () => '请选择“是”或“否”'],
  [/^must be one of the options$/, () => '请从选项中选择'],
  [/^must be text of at most (\d+) characters$/, (m) => `最多 ${m[1]} 个字`],
  [/^must have (\d+) to (\d+) questions$/, (m) => `问卷须有 ${m[1]} 到 ${m[2]} 道题`],
  [/^must be 1-30 lower-case letters.*$/, () => '题目代码须以小写字母开头，只用小写字母、数字和下划线（最多 30 个）'],
  [/^must be unique$/, () => '不能重复'],
  [/^must be (\d+) to (\d+) characters$/, (m) => `须为 ${m[1]} 到 ${m[2]} 个字`],
  [/^must have (\d+) to (\d+) options$/, (m) => `选择题须有 ${m[1]} 到 ${m[2]} 个选项`],
  [/^must be distinct, each (\d+) to (\d+) characters$/, (m) => `选项不能重复，每项 ${m[1]} 到 ${m[2]} 个字`],
  [/^only a choice question has options$/, () => '只有选择题才有选项'],
  [/^must keep the required (\w+) question "(\w+)" the cycle counts$/, (m) => `必须保留本周期计分用的必答题“${m[2]}”（题型和必答不变）`],
  [/^must stay as it is once the survey has answers$/, () => '已有人作答，题目不能再修改（可以改作答方式和应答人数）'],
  [/^must give either count .*$/, () => '请填写印制数量，或导入名单（二选一）'],
  [/^must list (\d+) to (\d+) people$/, (m) => `名单须为 ${m[1]} 到 ${m[2]} 人`],
  [/^must be a mainland mobile number of 11 digits$/, () => '须为 11 位手机号码'],
  [/^must not appear twice in the roster$/, () => '名单中手机号重复'],
  [/^already has a code for this survey$/, () => '该手机号已发放过测评码'],
  [/^must differ from the current password$/, () => '新密码不能与当前密码相同'],
  [/^must be your current password$/, () => '当前密码不正确'],
  // Notice channels and first-secretary cohorts (issue 17).
  [/^is required to switch the channel on$/, () => '开启该渠道必须填写'],
  [/^must be the numeric template ID of Tencent Cloud SMS$/, () => '请填写腾讯云短信的模板 ID（数字）'],
  [/^must be the numeric SmsSdkAppId of Tencent Cloud SMS$/, () => '请填写腾讯云短信应用的 SmsSdkAppId（数字）'],
  [/^must be an integer from (\d+) to (\d+)$/, (m) => `须为 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be an http\(s\):\/\/ address$/, () => '须为 http(s):// 开头的地址'],
  [/^an existing person$/, () => '请选择系统中已有的人员'],
  [/^a community inside the region$/, () => '请选择选派地区内的社区'],
  [/^an existing organization$/, () => '请选择系统中已有的派出单位'],
  [/^(.+) appears twice in this cohort$/, (m) => `${m[1]} 在本批次中重复`],
  [/^(.+) is already posted from (\S+) to (\S+) \(posting \S+\)$/, (m) => `${m[1]} 已在 ${m[2]} 至 ${m[3]} 期间选派，不能同时派驻两处`],
  [/^self \+ residents \+ organization \+ routine must sum to 1$/, () => '四项权重之和须为 100%'],
  [/^thresholds must satisfy excellentMin >= competentMin >= basicMin$/, () => '分数线须满足 优秀 ≥ 称职 ≥ 基本称职'],
];

export const settingNames: Record<string, string> = {
  submissionDeadline: '定诺审核截止日',
  practiceEnd: '践诺截止日',
  evaluationStart: '评诺开始日',
  evaluationEnd: '评诺结束日',
  publicationDays: '公示天数',
  selfAssessmentDue: '自评截止日',
  preliminaryDue: '初审截止日',
  scoringDue: '评分截止日',
  recordsDue: '年度记录截止日',
  reviewSelfReportDue: '年度自查截止日',
  reviewDecisionDue: '复审决定截止日',
};

/** A field rule of the API in Chinese (an unknown rule is shown as it is, after a Chinese lead). */
export function ruleText(rule: string): string {
  for (const [pattern, text] of rules) {
    const match = rule.match(pattern);
    if (match) return text(match);
  }
  return `不符合要求（${rule}）`;
}

/** The one line a person reads for a failed call. */
export function failureText(failure: Failure): string {
  let text = errorCodes[failure.code] ?? (failure.status >= 500 ? errorCodes.internal_error! : `操作未成功（${failure.code}）`);
  if ((failure.code === 'rate_limited' || failure.code === 'workflow_unavailable') && failure.retryAfter) text += `（约 ${failure.retryAfter} 秒后可重试）`;
  return text;
}

/** The field errors keyed by the API's field path (body.commitments[0].target), in Chinese. */
export function fieldErrors(details: ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const key = d.field.replace(/^(body|draft|querystring|params)\./, '');
    out[key] = out[key] ? `${out[key]}；${ruleText(d.rule)}` : ruleText(d.rule);
  }
  return out;
}

/** An upload refused by the API (el-upload gives the answer's body as the error message), in Chinese. */
export function uploadFailureText(message: string): string {
  let text = message;
  try {
    const body = JSON.parse(message) as { error: string; details?: ErrorDetail[] };
    text = errorCodes[body.error] ?? body.error;
    if (body.details?.length) text += `：${body.details.map((d) => ruleText(d.rule)).join('；')}`;
  } catch {
    /* not the API's JSON */
  }
  return `上传失败：${text}`;
}
