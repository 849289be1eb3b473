// Chinese names of what the 月调度、季督导 pages show.
export const taskStatusNames: Record<string, string> = { active: '推进中', closed: '已办结' };
export const stepNames: Record<string, string> = {
  create: '下达任务', started: '开始调度', reported: '报送进度', report_reminded: '报送提醒', report_overdue: '逾期未报（已提请督办）',
  finding_added: '督导发现问题', finding_reminded: '整改提醒', finding_overdue: '逾期未整改（已提请督办）', rectified: '报送整改', closed: '验收办结',
  withdrawn: '撤回',
};
export const actorName = (actor: string): string => (actor === 'system' ? '系统' : actor);
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
export const monthName = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
