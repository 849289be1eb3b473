// Assessment schemes and rounds (考核方案, issue 19).
import type { RouteRecordRaw } from 'vue-router';

export const assessmentRoutes: RouteRecordRaw[] = [
  { path: 'assessments/schemes', name: 'assessment-schemes', component: () => import('../views/assessments/SchemeListView.vue'), meta: { title: '考核方案' } },
  { path: 'assessments/schemes/:id', name: 'assessment-scheme', component: () => import('../views/assessments/SchemeEditorView.vue'), meta: { title: '编辑考核方案' } },
  { path: 'assessments/rounds', name: 'assessment-rounds', component: () => import('../views/assessments/RoundListView.vue'), meta: { title: '考核评价' } },
  { path: 'assessments/rounds/new', name: 'assessment-round-start', component: () => import('../views/assessments/RoundStartView.vue'), meta: { title: '发起考核' } },
  { path: 'assessments/pay-grades', name: 'assessment-pay-grades', component: () => import('../views/assessments/PayGradeListView.vue'), meta: { title: '三岗十八级薪酬档次' } },
  { path: 'assessments/compounds', name: 'compound-governance', component: () => import('../views/assessments/CompoundGovernanceView.vue'), meta: { title: '小区（楼院）自治' } },
  // Named voters' ballots (党员代表 without a staff role reach these and the 述职 they read, nothing else).
  { path: 'assessments/ballots', name: 'assessment-ballots', component: () => import('../views/assessments/BallotListView.vue'), meta: { title: '我的投票' } },
  { path: 'assessments/ballots/:id', name: 'assessment-ballot', component: () => import('../views/assessments/BallotView.vue'), meta: { title: '投票' } },
  { path: 'assessments/rounds/:id', name: 'assessment-round', component: () => import('../views/assessments/RoundView.vue'), meta: { title: '考核评价' } },
];

/** 公示 of a round with objections, at the path the API answers a browser with this page (no account). */
export const assessmentPublicRoutes: RouteRecordRaw[] = [
  { path: '/public/assessment-objections/:token', name: 'assessment-objection', component: () => import('../views/public/AssessmentObjectionView.vue'),
    meta: { public: true, title: '考核结果公示' } },
  // Residents answer a round's survey questions and votes with one-time codes; the 四率 code surveys (群众满意率, 出资人支持度).
  { path: '/public/assessment-residents/:token', name: 'assessment-residents', component: () => import('../views/public/ResidentsSurveyView.vue'),
    meta: { public: true, title: '群众评议' } },
  { path: '/public/rate-surveys/:purpose/:subjectId', name: 'rate-survey', component: () => import('../views/public/RateSurveyView.vue'),
    meta: { public: true, title: '四率评价问卷' } },
];
