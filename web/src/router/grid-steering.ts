// 月调度、季督导 (steering tasks): the task list and one task's page.
import type { RouteRecordRaw } from 'vue-router';

export const gridSteeringRoutes: RouteRecordRaw[] = [
  { path: 'grid-steering', name: 'grid-steering', component: () => import('../views/grid-steering/TaskListView.vue'), meta: { title: '月调度季督导' } },
  { path: 'grid-steering/:id', name: 'grid-steering-task', component: () => import('../views/grid-steering/TaskDetailView.vue'), meta: { title: '调度任务' } },
];
