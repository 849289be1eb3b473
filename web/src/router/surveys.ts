// The survey page of issue 19 item 4: questions, mode, codes and results of one survey.
// (Not /surveys/…: that is the API's path, and a browser reload there must get the page.)
import type { RouteRecordRaw } from 'vue-router';

export const surveyRoutes: RouteRecordRaw[] = [
  { path: 'questionnaires/:purpose/:subjectId', name: 'survey-settings', component: () => import('../views/surveys/SurveySettingsView.vue'), meta: { title: '问卷与测评码' } },
];
