// Administration pages of issue 17.6 (admin17's lane): accounts and role grants, evaluator assignments, catalogs and their versions.
import type { RouteRecordRaw } from 'vue-router';

export const adminAccountRoutes: RouteRecordRaw[] = [
  { path: 'admin/accounts', name: 'admin-accounts', component: () => import('../views/admin/AccountListView.vue'), meta: { title: '账号与角色' } },
  { path: 'admin/evaluators', name: 'admin-evaluators', component: () => import('../views/admin/EvaluatorAssignmentsView.vue'), meta: { title: '考核分工' } },
  { path: 'admin/catalogs', name: 'admin-catalogs', component: () => import('../views/admin/CatalogListView.vue'), meta: { title: '目录与版本' } },
];
