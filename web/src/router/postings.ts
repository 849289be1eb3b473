// Pages of the first-secretary postings (第一书记): console pages for the offices, the
// secretary's phone page (/m/posting, signed in, without the console's side menu) and the
// residents' survey page at the very path the survey link gives.
import type { RouteRecordRaw } from 'vue-router';

/**
 * Under the console layout, at /first-secretaries (the API answers /postings/... itself, also to a
 * browser's reload); the notices' links (/postings/<id>) are sent on to the page.
 */
export const postingConsoleRoutes: RouteRecordRaw[] = [
  { path: 'postings/:id', redirect: (to) => ({ name: 'posting', params: { id: String(to.params.id) }, query: to.query }) },
  { path: 'first-secretaries', name: 'postings', component: () => import('../views/postings/PostingListView.vue'), meta: { title: '第一书记选派' } },
  { path: 'first-secretaries/cohorts/new', name: 'posting-cohort-new', component: () => import('../views/postings/CohortCreateView.vue'), meta: { title: '新建选派批次' } },
  { path: 'first-secretaries/dashboard', name: 'posting-dashboard', component: () => import('../views/postings/PostingDashboardView.vue'), meta: { title: '考勤与排名' } },
  { path: 'first-secretaries/:id', name: 'posting', component: () => import('../views/postings/PostingDetailView.vue'), meta: { title: '选派详情' } },
];

/** Outside the console layout. */
export const postingStandaloneRoutes: RouteRecordRaw[] = [
  { path: '/m/posting', name: 'posting-mobile', component: () => import('../views/postings/SecretaryMobileView.vue'), meta: { title: '我的驻社区工作' } },
  { path: '/public/posting-surveys/:token', name: 'posting-survey', component: () => import('../views/public/PostingSurveyView.vue'), meta: { public: true, title: '第一书记群众测评' } },
];
