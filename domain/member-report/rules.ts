// The pure rules of 双报到: what a service record and a visit must say, which month a check
// covers, and the service rate of a unit's members.
import { badRequest, type ErrorDetail } from '../errors.ts';
import { isDateString, startOfShanghaiDay } from '../time.ts';

/** At least this many service records a month, or the month is flagged to the member's unit. */
export const MIN_SERVICES_PER_MONTH = 1;

export function serviceErrors(input: { servedOn: string; hours: number; content: string }, today: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (!isDateString(input.servedOn)) details.push({ field: 'body.servedOn', rule: '请选择服务日期' });
  else if (input.servedOn > today) details.push({ field: 'body.servedOn', rule: '服务日期不能晚于今天' });
  if (!(input.hours > 0 && input.hours <= 24)) details.push({ field: 'body.hours', rule: '服务时长为0-24小时' });
  if (input.content.trim().length < 2) details.push({ field: 'body.content', rule: '请填写服务内容' });
  return details;
}

export function visitErrors(input: { visitedOn: string; note: string }, today: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (!isDateString(input.visitedOn)) details.push({ field: 'body.visitedOn', rule: '请选择走访日期' });
  else if (input.visitedOn > today) details.push({ field: 'body.visitedOn', rule: '走访日期不能晚于今天' });
  if (input.note.trim().length < 2) details.push({ field: 'body.note', rule: '请填写走访情况' });
  return details;
}

export function requireValid(details: ErrorDetail[]): void {
  if (details.length) throw badRequest('the record breaks a rule', details);
}

export const monthKey = (year: number, month: number): string => `${year}-${String(month).padStart(2, '0')}`;

/** Epoch ms when a month is over (00:00 Asia/Shanghai on the first of the next month): its check runs then. */
export function monthEndsAt(year: number, month: number): number {
  const next = month === 12 ? `${year + 1}-01-01` : `${monthKey(year, month + 1)}-01`;
  return startOfShanghaiDay(next);
}

/** Share of members who served in a month, in percent with one decimal (null with no members). */
export function serviceRate(served: number, members: number): number | null {
  return members === 0 ? null : Math.round((served / members) * 1000) / 10;
}
