// How the documents word what the records hold: pure functions, one place for each rule.
import type { TallyEntry } from '../posting/rules.ts';
import type { HolidayCalendar } from '../posting/holidays.ts';

export type OrganizationLabel = '企业' | '社会组织' | '单位';

/** 企业 for a non-public enterprise, 社会组织 for a social organization, 单位 for a resident unit. */
export function organizationLabel(kind: string): OrganizationLabel {
  if (kind === 'social_organization') return '社会组织';
  if (kind === 'non_public_enterprise') return '企业';
  return '单位';
}

/** The responsible person who is the Party secretary (党组织书记); null when none is on record, never the investor. */
export function partySecretaryOf<P extends { role: string }>(people: readonly P[]): P | null {
  return people.find((p) => p.role.includes('书记')) ?? null;
}

const DECISIONS: Record<string, string> = { agree: '同意', disagree: '不同意' };

/**
 * A signer's opinion as printed: the decision, then the comment, without saying the decision
 * twice (同意。同意。) when the comment already states it (同意街道党工委意见).
 */
export function opinionText(decision: string, comment: string | null | undefined): string {
  const word = DECISIONS[decision] ?? decision;
  const text = (comment ?? '').trim().replace(/[。.]+$/, '');
  if (!text) return `${word}。`;
  // 同意 + 同意街道党工委意见 prints once; 同意 + 不同意… keeps both (the record says both).
  if (text.startsWith(word)) return `${text}。`;
  return `${word}。${text}。`;
}

const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八'];

/** A posting's own quarter: 派驻第二季度（2026年12月1日至2027年2月28日）. */
export function postingQuarterName(index: number, from: string, to: string): string {
  return `派驻第${CHINESE_ORDINALS[index - 1] ?? index}季度（${chineseDate(from)}至${chineseDate(to)}）`;
}

/** 2026-12-01 → 2026年12月1日 */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** A 小考 deduction with its reason in words, for the final form. */
export function deductionReason(entry: TallyEntry, quarters: readonly { quarter: number; from: string; to: string }[]): { period: string; reason: string; points: number } {
  if (entry.kind === 'attendance_shortfall') {
    const [, confirmed, required] = /:\s*(\d+)\/(\d+)/.exec(entry.detail) ?? [];
    const [y, m] = entry.period.split('-');
    const period = `${y}年${Number(m)}月`;
    return { period, reason: confirmed ? `在社区工作${confirmed}天，少于要求的${required}天` : '在社区工作天数不足', points: entry.points };
  }
  const index = Number(entry.period.replace(/^Q/, ''));
  const quarter = quarters.find((q) => q.quarter === index);
  const period = quarter ? postingQuarterName(index, quarter.from, quarter.to) : `派驻第${CHINESE_ORDINALS[index - 1] ?? index}季度`;
  const reason = entry.kind === 'missing_head_visit' ? '派出单位负责人未按要求到社区走访' : entry.kind === 'late_work_report' ? '季度工作报告逾期提交' : '未提交季度工作报告';
  return { period, reason, points: entry.points };
}

/**
 * The warning a sheet carries when its year has no published holiday calendar (no statutory
 * holiday of that year on record): its working days then fall back to Monday–Friday, which
 * counts 元旦, 春节 and 国庆 as working days until the department enters the State Council's notice.
 */
export function holidayCalendarNote(calendar: HolidayCalendar, year: number): string | null {
  if (calendar.holidays.some((day) => day.startsWith(`${year}-`))) return null;
  return `注意：${year}年节假日安排尚未录入，本表暂按周一至周五计算工作日（元旦、春节、国庆等未扣除），请录入国务院办公厅公布的${year}年节假日安排后重新生成。`;
}
