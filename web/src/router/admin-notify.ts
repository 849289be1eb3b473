// Notices that reach people (通知渠道, 接收设置) and the administration pages of issue 17.6 (审计日志).
import type { RouteRecordRaw } from 'vue-router';

export const notifyAdminRoutes: RouteRecordRaw[] = [
  { path: 'inbox/preferences', name: 'notification-preferences', component: () => import('../views/notifications/PreferencesView.vue'), meta: { title: '消息接收设置' } },
  { path: 'admin/channels', name: 'notification-channels', component: () => import('../views/admin/ChannelSettingsView.vue'), meta: { title: '通知渠道设置' } },
  { path: 'admin/access-links', name: 'access-links', component: () => import('../views/admin/AccessLinksView.vue'), meta: { title: '访问链接' } },
  { path: 'admin/audit', name: 'audit', component: () => import('../views/admin/AuditView.vue'), meta: { title: '审计日志' } },
];
