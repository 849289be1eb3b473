// Report data of the posting cycle (月度考勤表, 季度述评报告, 年终考核排名, 期满联合考核表): built in
// activities/posting-reports.ts, where the workflows take it for the shared renderer; the
// routes show the same data as JSON.
export { attendanceSheetData, finalAssessmentData, quarterlyReviewData, yearEndRankingData } from '../../../activities/posting-reports.ts';
