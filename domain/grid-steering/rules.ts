// 月调度、季督导 (pure): the months a task reports in, when a month's progress report is reminded
// and overdue, the quarter of a date, when a finding's rectification is reminded and late, and the
// checks of what people type. Deterministic: the workflow bundle imports it.
import { badRequest, type ErrorDetail } from '../errors.ts';
import { DAY_MS, endOfShanghaiDay, isDateString, lastDayOfMonth } from '../time.ts';

/** A month's report is due by the end of its last day; the owner is reminded this many days before. */
export const REPORT_REMIND_DAYS = 3;
/** A finding's owner is reminded this many days before the end of its rectification deadline. */
export const FINDING_REMIND_DAYS = 3;

const monthKey = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;

/** The months (YYYY-MM) a task reports in: from its creation month to its due month. */
export function reportMonths(createdOn: string, dueOn: string): string[] {
  const months: string[] = [];
  let [y, m] = createdOn.slice(0, 7).split('-').map(Number) as [number, number];
  const end = dueOn.slice(0, 7);
  for (let key = monthKey(y, m); key <= end; key = monthKey(y, m)) {
    months.push(key);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}

/** The last day of the month: the report of the month is due by its end. */
export const reportDueOn = (month: string): string => lastDayOfMonth(`${month}-01`);
/** The instant a month's report becomes overdue (00:00 Shanghai on the 1st of the next month). */
export const reportOverdueAt = (month: string): number => endOfShanghaiDay(reportDueOn(month));
export const reportRemindAt = (month: string): number => reportOverdueAt(month) - REPORT_REMIND_DAYS * DAY_MS;
/** The instant a finding's rectification is late (the end of its deadline day). */
export const findingOverdueAt = (rectifyBy: string): number => endOfShanghaiDay(rectifyBy);
export const findingRemindAt = (rectifyBy: string): number => findingOverdueAt(rectifyBy) - FINDING_REMIND_DAYS * DAY_MS;

/** Why a month's report is refused on `today` (null: it may be filed). Late months may still be filed. */
export function reportMonthRefusal(months: readonly string[], filed: readonly string[], month: string, today: string): string | null {
  if (!months.includes(month)) return `${month}不在任务的调度月份内（${months[0]}至${months.at(-1)}）`;
  if (month > today.slice(0, 7)) return `${month}尚未到报送时间`;
  if (filed.includes(month)) return `${month}的进度已报送`;
  return null;
}

export const quarterOf = (date: string): string => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

export function taskErrors(input: { title: string; target: string; dueOn: string }, today: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (input.title.trim().length < 2) details.push({ field: 'body.title', rule: '请填写任务名称（至少2个字）' });
  if (input.target.trim().length < 2) details.push({ field: 'body.target', rule: '请填写任务目标（至少2个字）' });
  if (!isDateString(input.dueOn)) details.push({ field: 'body.dueOn', rule: '请选择完成期限' });
  else if (input.dueOn < today) details.push({ field: 'body.dueOn', rule: '完成期限不能早于今天' });
  return details;
}

export function findingErrors(input: { finding: string; rectifyBy: string }, today: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (input.finding.trim().length < 2) details.push({ field: 'body.finding', rule: '请填写督导发现的问题' });
  if (!isDateString(input.rectifyBy)) details.push({ field: 'body.rectifyBy', rule: '请选择整改期限' });
  else if (input.rectifyBy < today) details.push({ field: 'body.rectifyBy', rule: '整改期限不能早于今天' });
  return details;
}

export function requireValid(details: ErrorDetail[]): void {
  if (details.length) throw badRequest('the input breaks a rule', details);
}
