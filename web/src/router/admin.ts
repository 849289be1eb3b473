// Administration pages (issue 17.6, exceladmin's lane): the administrative tree, organizations, people.
import type { RouteRecordRaw } from 'vue-router';

export const adminRoutes: RouteRecordRaw[] = [
  { path: 'admin/units', name: 'admin-units', component: () => import('../views/admin/UnitTreeView.vue'), meta: { title: '行政区划' } },
  { path: 'admin/organizations', name: 'admin-organizations', component: () => import('../views/admin/OrganizationListView.vue'), meta: { title: '组织管理' } },
  { path: 'admin/people', name: 'admin-people', component: () => import('../views/admin/PeopleListView.vue'), meta: { title: '人员管理' } },
];
