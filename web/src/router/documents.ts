// Pages of issue 16: the department's issuer and holiday calendars, first secretaries' leave and trips.
import type { RouteRecordRaw } from 'vue-router';

export const documentRoutes: RouteRecordRaw[] = [
  { path: 'settings/holidays', name: 'holiday-calendars', component: () => import('../views/documents/HolidayCalendarsView.vue'), meta: { title: '节假日安排' } },
  { path: 'settings/issuer', name: 'document-issuer', component: () => import('../views/documents/IssuerView.vue'), meta: { title: '发文机关' } },
  { path: 'leave', name: 'posting-leave', component: () => import('../views/postings/leave/LeaveRequestView.vue'), meta: { title: '请假与公差' } },
  { path: 'leave/approvals', name: 'posting-leave-approvals', component: () => import('../views/postings/leave/LeaveApprovalsView.vue'), meta: { title: '请假公差审批' } },
];
