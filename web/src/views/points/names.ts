// Chinese names of what the points pages and the 双报到 pages show.
export const holderKindNames: Record<string, string> = { member: '先锋指数（在职党员）', resident: '文明积分（居民）' };
export const holderShort: Record<string, string> = { member: '先锋指数', resident: '文明积分' };
export const entryStatusNames: Record<string, string> = { pending: '待确认', confirmed: '已确认', rejected: '已退回' };
export const entryKindNames: Record<string, string> = { earn: '获得', hold: '兑换扣减', release: '兑换退回' };
export const exchangeStatusNames: Record<string, string> = { reserved: '已预留', confirmed: '已兑换', released: '已取消' };
export const registrationStatusNames: Record<string, string> = { pending: '待确认', confirmed: '已确认', declined: '已退回' };
export const statusTag: Record<string, 'warning' | 'success' | 'info' | 'danger'> = {
  pending: 'warning', confirmed: 'success', rejected: 'danger', declined: 'danger', reserved: 'warning', released: 'info',
};
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
/** This month in Shanghai, YYYY-MM. */
export const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
