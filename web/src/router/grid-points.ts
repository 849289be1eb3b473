// Points (先锋指数 + 文明积分, 积分兑换超市) and 双报到 pages of issue 18.3–18.5.
import type { RouteRecordRaw } from 'vue-router';

export const gridPointsRoutes: RouteRecordRaw[] = [
  { path: 'points-desk/accounts', name: 'point-accounts', component: () => import('../views/points/AccountsView.vue'), meta: { title: '积分账户' } },
  { path: 'points-desk/entries', name: 'point-entries', component: () => import('../views/points/EntriesView.vue'), meta: { title: '积分确认' } },
  { path: 'points-desk/rules', name: 'point-rules', component: () => import('../views/points/RulesView.vue'), meta: { title: '积分规则' } },
  { path: 'points-desk/shop', name: 'point-shop', component: () => import('../views/points/ShopView.vue'), meta: { title: '积分兑换超市' } },
  { path: 'points-desk/statements', name: 'point-statements', component: () => import('../views/points/StatementsView.vue'), meta: { title: '积分月结单' } },
  { path: 'points-desk/dashboard', name: 'point-dashboard', component: () => import('../views/points/PointsDashboardView.vue'), meta: { title: '积分看板' } },
  { path: 'dual-reports', name: 'member-reports', component: () => import('../views/member-reports/RegistrationsView.vue'), meta: { title: '双报到' } },
  { path: 'dual-reports/join', name: 'member-report-join', component: () => import('../views/member-reports/JoinCommunityView.vue'), meta: { title: '我要报到' } },
  { path: 'dual-reports/dashboard', name: 'member-report-dashboard', component: () => import('../views/member-reports/MemberDashboardView.vue'), meta: { title: '在职党员服务率' } },
  { path: 'dual-reports/:id', name: 'member-report', component: () => import('../views/member-reports/RegistrationDetailView.vue'), meta: { title: '双报到记录' } },
];
