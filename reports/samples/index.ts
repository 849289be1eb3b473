// Realistic sample data for every report type: used by the tests, the benchmark and the demo.
import type { ReportMeta } from '../contracts/meta.ts';
import type { ReportDataByType, ReportTypeName } from '../report-types.ts';
import { attendanceSheet } from './attendance-sheet.ts';
import { commitmentNotice } from './commitment-notice.ts';
import { evaluationRecord } from './evaluation-record.ts';
import { factualEvaluation } from './factual-evaluation.ts';
import { finalAssessment } from './final-assessment.ts';
import { pointStatement } from './point-statement.ts';
import { quarterlyReview } from './quarterly-review.ts';
import { starPlaque } from './star-plaque.ts';
import { starRatingList } from './star-rating-list.ts';
import { yearEndRanking } from './year-end-ranking.ts';
import { assessmentRanking } from './assessment-ranking.ts';
import { assessmentReportTo } from './assessment-report-to.ts';
import { assessmentResultNotice, assessmentScoreSheet } from './assessment-papers.ts';

export type ReportSample<K extends ReportTypeName> = { data: ReportDataByType[K]; meta: ReportMeta };

const ORGANIZATION_DEPARTMENT = '中共济宁市任城区委组织部';

export const REPORT_SAMPLES: { [K in ReportTypeName]: ReportSample<K> } = {
  'commitment-notice': {
    data: commitmentNotice,
    meta: { issuingUnit: '中共济宁鲁恒机械制造有限公司支部委员会' },
  },
  'evaluation-record': { data: evaluationRecord, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, documentNumber: '任组备〔2024〕37号' } },
  'factual-evaluation': { data: factualEvaluation, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, documentNumber: '任组评〔2024〕12号' } },
  'star-rating-list': { data: starRatingList, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, documentNumber: '任组星〔2024〕3号' } },
  'star-plaque': { data: starPlaque, meta: { issuingUnit: ORGANIZATION_DEPARTMENT } },
  'attendance-sheet': { data: attendanceSheet, meta: { issuingUnit: '中共济宁市任城区济阳街道工作委员会' } },
  'quarterly-review': { data: quarterlyReview, meta: { issuingUnit: '中共济宁市任城区济阳街道工作委员会' } },
  'year-end-ranking': { data: yearEndRanking, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, documentNumber: '任组考〔2025〕1号' } },
  'final-assessment': { data: finalAssessment, meta: { issuingUnit: ORGANIZATION_DEPARTMENT } },
  'assessment-ranking': { data: assessmentRanking, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, documentNumber: '任组考〔2026〕9号' } },
  'assessment-report-to': { data: assessmentReportTo, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, documentNumber: '任组考〔2026〕12号' } },
  'assessment-score-sheet': { data: assessmentScoreSheet, meta: { issuingUnit: ORGANIZATION_DEPARTMENT } },
  'assessment-result-notice': { data: assessmentResultNotice, meta: { issuingUnit: ORGANIZATION_DEPARTMENT, sealCaption: '中共济宁市任城区委组织部' } },
  'point-statement': { data: pointStatement, meta: { issuingUnit: '中共济宁市任城区仙营街道仙营社区委员会' } },
};
