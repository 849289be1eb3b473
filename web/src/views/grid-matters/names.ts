// Chinese names of what grid matters show.
export const statusNames: Record<string, string> = { open: '待受理', accepted: '办理中', answered: '待评价', closed: '已办结', merged: '已合并' };
export const levelNames: Record<string, string> = { grid: '小区党支部', community: '社区党委', street: '街道党工委', district: '县级党委' };
export const sourceNames: Record<string, string> = { grid_worker: '网格员', resident: '居民', secretary_line: '书记直通车' };
export const ratingNames: Record<string, string> = { satisfied: '满意', unsatisfied: '不满意' };
/** Who did a step: the audit log's machine actors in words; a login stays a login. */
export const actorNames: Record<string, string> = { system: '系统', 'public-link': '群众（公开链接）', import: '批量导入' };
export const actorName = (actor: string): string => actorNames[actor] ?? actor;

export const stepNames: Record<string, string> = {
  report: '上报', dispatched: '分流交办', reminded: '到期提醒', climbed: '逾期升级', overdue_at_top: '县级超时', accepted: '受理', answered: '答复',
  rated: '群众评价', merged: '合并', absorbed: '合并重复件', closed_unrated: '未评价自动办结', points_credited: '文明积分已记',
};
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
