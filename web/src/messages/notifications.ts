// Delivery channels and statuses in Chinese (notification pages, inbox).
export const channelLabels: Record<string, string> = { email: '电子邮件', sms: '手机短信', dingtalk: '钉钉群机器人', wecom: '企业微信群机器人' };
export const deliveryStatusLabels: Record<string, string> = { pending: '待发送', held: '待汇总', sending: '发送中', sent: '已送达', failed: '发送失败' };
export const deliveryStatusTypes: Record<string, 'info' | 'warning' | 'success' | 'danger' | 'primary'> = {
  pending: 'warning', held: 'info', sending: 'warning', sent: 'success', failed: 'danger',
};
