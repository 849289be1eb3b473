// Grid matters (网格事项): the console pages and the residents' phone pages.
import type { RouteRecordRaw } from 'vue-router';

export const gridMatterRoutes: RouteRecordRaw[] = [
  { path: 'grid-desk/inbox', name: 'grid-inbox', component: () => import('../views/grid-matters/MatterListView.vue'), meta: { title: '网格事项待办' } },
  { path: 'grid-desk/all', name: 'grid-matters', component: () => import('../views/grid-matters/MatterListView.vue'), meta: { title: '网格事项' } },
  { path: 'grid-desk/report', name: 'grid-report', component: () => import('../views/grid-matters/ReportFormView.vue'), meta: { title: '上报网格事项' } },
  { path: 'grid-desk/rules', name: 'grid-rules', component: () => import('../views/grid-matters/DispatchRulesView.vue'), meta: { title: '分流规则' } },
  { path: 'grid-desk/dashboard', name: 'grid-dashboard', component: () => import('../views/grid-matters/GridDashboardView.vue'), meta: { title: '网格事项看板' } },
  { path: 'grid-desk/qr', name: 'grid-qr', component: () => import('../views/grid-matters/GridQrView.vue'), meta: { title: '网格二维码' } },
  { path: 'grid-desk/:id', name: 'grid-matter', component: () => import('../views/grid-matters/MatterDetailView.vue'), meta: { title: '网格事项' } },
];

export const gridMatterPublicRoutes: RouteRecordRaw[] = [
  { path: '/public/grid-report/:token', name: 'public-grid-report', component: () => import('../views/public/GridReportView.vue'), meta: { public: true, title: '网格事项随手报' } },
  { path: '/public/grid-matters/:token', name: 'public-grid-matter', component: () => import('../views/public/GridMatterFollowView.vue'), meta: { public: true, title: '网格事项办理进度' } },
];
