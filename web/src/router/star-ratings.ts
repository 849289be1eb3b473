// The star-rating pages (星级评定): the list every role works from, one organization's rating
// with a tab per role's task, the department's enrolment, settings, dashboard and incentives.
import type { RouteRecordRaw } from 'vue-router';

export const starRatingRoutes: RouteRecordRaw[] = [
  { path: 'stars', name: 'star-ratings', component: () => import('../views/star-ratings/RatingListView.vue'), meta: { title: '星级评定' } },
  { path: 'stars/enrolment', name: 'star-enrolment', component: () => import('../views/star-ratings/EnrolmentView.vue'), meta: { title: '纳入星级评定' } },
  { path: 'stars/settings', name: 'star-settings', component: () => import('../views/star-ratings/SettingsView.vue'), meta: { title: '星级评定设置' } },
  { path: 'stars/dashboard', name: 'star-dashboard', component: () => import('../views/star-ratings/StarDashboardView.vue'), meta: { title: '星级看板' } },
  { path: 'stars/incentives', name: 'star-incentives', component: () => import('../views/star-ratings/IncentivesView.vue'), meta: { title: '激励措施' } },
  { path: 'stars/:orgId', name: 'star-rating', component: () => import('../views/star-ratings/RatingDetailView.vue'), meta: { title: '星级评定详情' } },
];
