// Pages by path. Console pages live under the layout and need a session; the public pages sit
// at the very paths the API's links give (/public/...), which answer this page to a browser.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { setSignedOutHandler } from '../api/client';
import { signedIn } from '../session';
import ConsoleLayout from '../layouts/ConsoleLayout.vue';
import LoginView from '../views/auth/LoginView.vue';
import { starRatingRoutes } from './star-ratings';
import { postingConsoleRoutes, postingStandaloneRoutes } from './postings';
import { notifyAdminRoutes } from './admin-notify';
import { documentRoutes } from './documents';
import { gridMatterPublicRoutes, gridMatterRoutes } from './grid-matters';
import { adminRoutes } from './admin';
import { gridPointsRoutes } from './grid-points';
import { assessmentPublicRoutes, assessmentRoutes } from './assessments';
import { adminAccountRoutes } from './admin-accounts';
import { surveyRoutes } from './surveys';
import { gridSteeringRoutes } from './grid-steering';

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', redirect: '/todo' },
      { path: 'todo', name: 'todo', component: () => import('../views/home/TodoView.vue'), meta: { title: '待办事项' } },
      { path: 'inbox', name: 'inbox', component: () => import('../views/notifications/InboxView.vue'), meta: { title: '消息通知' } },
      { path: 'password', name: 'password', component: () => import('../views/auth/PasswordView.vue'), meta: { title: '修改密码' } },
      { path: 'cycles', name: 'cycles', component: () => import('../views/dual-commitments/CycleListView.vue'), meta: { title: '双向承诺周期' } },
      { path: 'cycles/new', name: 'cycle-start', component: () => import('../views/dual-commitments/CycleStartView.vue'), meta: { title: '发起周期' } },
      { path: 'cycles/:id', name: 'cycle', component: () => import('../views/dual-commitments/CycleDashboardView.vue'), meta: { title: '周期看板' } },
      { path: 'sets', name: 'sets', component: () => import('../views/dual-commitments/SetListView.vue'), meta: { title: '承诺书' } },
      ...gridMatterRoutes,
      ...gridSteeringRoutes,
      { path: 'sets/:id', name: 'set', component: () => import('../views/dual-commitments/SetDetailView.vue'), meta: { title: '承诺书详情' } },
      ...starRatingRoutes,
      ...postingConsoleRoutes,
      ...notifyAdminRoutes,
      ...documentRoutes,
      ...adminRoutes,
      ...gridPointsRoutes,
      ...assessmentRoutes,
      ...adminAccountRoutes,
      ...surveyRoutes,
    ],
  },
  { path: '/public/commitments/:token', name: 'public-commitments', component: () => import('../views/public/PublicCommitmentView.vue'), meta: { public: true, title: '双向承诺公示' } },
  { path: '/public/commitment-surveys/:token', name: 'staff-survey', component: () => import('../views/public/StaffSurveyView.vue'), meta: { public: true, title: '职工满意度测评' } },
  { path: '/public/star-objections/:token', name: 'star-objection', component: () => import('../views/public/StarObjectionView.vue'), meta: { public: true, title: '星级评定公示' } },
  ...postingStandaloneRoutes,
  ...gridMatterPublicRoutes,
  ...assessmentPublicRoutes,
  { path: '/:rest(.*)*', name: 'missing', component: () => import('../views/NotFoundView.vue'), meta: { public: true, title: '页面不存在' } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  if (!to.meta.public && !signedIn.value) return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/todo' ? { next: to.fullPath } : {} };
  return true;
});
router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? ''} - 基层党建考核周期服务`;
});

setSignedOutHandler(() => {
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: 'login', query: { next: here.fullPath, expired: '1' } });
});
