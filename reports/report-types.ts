// The report types of the cycles: contract, template and title of each. Adding a type means a
// contract in contracts/, a template in templates/reports/<name>.hbs and an entry here.
import type { TSchema } from 'typebox';
import type Type from 'typebox';
import { AttendanceSheetData } from './contracts/attendance-sheet.ts';
import { CommitmentNoticeData } from './contracts/commitment-notice.ts';
import { EvaluationRecordData } from './contracts/evaluation-record.ts';
import { FactualEvaluationData } from './contracts/factual-evaluation.ts';
import { FinalAssessmentData } from './contracts/final-assessment.ts';
import { QuarterlyReviewData } from './contracts/quarterly-review.ts';
import { PointStatementData } from './contracts/point-statement.ts';
import { StarPlaqueData } from './contracts/star-plaque.ts';
import { StarRatingListData } from './contracts/star-rating-list.ts';
import { YearEndRankingData } from './contracts/year-end-ranking.ts';
import { AssessmentRankingData } from './contracts/assessment-ranking.ts';
import { AssessmentReportToData } from './contracts/assessment-report-to.ts';
import { AssessmentScoreSheetData } from './contracts/assessment-score-sheet.ts';
import { AssessmentResultNoticeData } from './contracts/assessment-result-notice.ts';

export interface ReportTypeDefinition {
  name: string;
  schema: TSchema;
  orientation: 'portrait' | 'landscape';
  /** The document title, printed under the letterhead and in the page header. */
  title(data: never): string;
  /** Template source; when absent, templates/reports/<name>.hbs. */
  template?: string;
}

function define<S extends TSchema>(definition: {
  name: string;
  schema: S;
  orientation?: 'portrait' | 'landscape';
  title(data: Type.Static<S>): string;
  template?: string;
}): ReportTypeDefinition {
  return { orientation: 'portrait', ...definition } as ReportTypeDefinition;
}

const QUARTERS = ['一', '二', '三', '四', '五', '六', '七', '八'];

export const REPORT_TYPES = {
  'commitment-notice': define({
    name: 'commitment-notice',
    schema: CommitmentNoticeData,
    title: (d) => `${d.organization.name}${d.year}年度“双向承诺”公示`,
  }),
  'evaluation-record': define({
    name: 'evaluation-record',
    schema: EvaluationRecordData,
    title: (d) => `${d.year}年度“双向承诺”评诺备案表`,
  }),
  'factual-evaluation': define({ name: 'factual-evaluation', schema: FactualEvaluationData, title: (d) => `${d.unit.name}${d.year}年度“四双”写实评价` }),
  'star-rating-list': define({
    name: 'star-rating-list',
    schema: StarRatingListData,
    title: (d) => `${d.region}${d.year}年度非公企业和社会组织党组织星级${d.kind}名单`,
  }),
  'star-plaque': define({
    name: 'star-plaque',
    schema: StarPlaqueData,
    orientation: 'landscape',
    title: (d) => `${d.year}年度星级党组织证书`,
  }),
  'attendance-sheet': define({
    name: 'attendance-sheet',
    schema: AttendanceSheetData,
    orientation: 'landscape',
    title: (d) => `${d.street}第一书记${Number(d.month.slice(0, 4))}年${Number(d.month.slice(5, 7))}月考勤表`,
  }),
  'quarterly-review': define({
    name: 'quarterly-review',
    schema: QuarterlyReviewData,
    title: (d) => `第一书记派驻第${QUARTERS[d.period.index - 1] ?? d.period.index}季度述评报告`,
  }),
  'year-end-ranking': define({
    name: 'year-end-ranking',
    schema: YearEndRankingData,
    title: (d) => `${d.region}${d.year}年度第一书记年终考核排名`,
  }),
  'final-assessment': define({
    name: 'final-assessment',
    schema: FinalAssessmentData,
    title: () => '第一书记任期期满联合考核表',
  }),
  'assessment-ranking': define({
    name: 'assessment-ranking',
    schema: AssessmentRankingData,
    orientation: 'landscape',
    title: (d) => `${d.region}${d.period}${d.scheme}结果排名`,
  }),
  'assessment-report-to': define({
    name: 'assessment-report-to',
    schema: AssessmentReportToData,
    title: (d) => `关于${d.region}${d.period}${d.scheme}结果的报告`,
  }),
  'assessment-score-sheet': define({
    name: 'assessment-score-sheet',
    schema: AssessmentScoreSheetData,
    title: (d) => `${d.period}${d.scheme}评分表`,
  }),
  'assessment-result-notice': define({
    name: 'assessment-result-notice',
    schema: AssessmentResultNoticeData,
    title: (d) => `${d.period}${d.scheme}结果通知书`,
  }),
  'point-statement': define({
    name: 'point-statement',
    schema: PointStatementData,
    title: (d) => `${d.pointKind}${Number(d.month.slice(0, 4))}年${Number(d.month.slice(5, 7))}月结单`,
  }),
} as const satisfies Record<string, ReportTypeDefinition>;

export type ReportTypeName = keyof typeof REPORT_TYPES;

/** Data type of each report, for callers that build it. */
export interface ReportDataByType {
  'commitment-notice': Type.Static<typeof CommitmentNoticeData>;
  'evaluation-record': Type.Static<typeof EvaluationRecordData>;
  'factual-evaluation': Type.Static<typeof FactualEvaluationData>;
  'star-rating-list': Type.Static<typeof StarRatingListData>;
  'star-plaque': Type.Static<typeof StarPlaqueData>;
  'attendance-sheet': Type.Static<typeof AttendanceSheetData>;
  'quarterly-review': Type.Static<typeof QuarterlyReviewData>;
  'year-end-ranking': Type.Static<typeof YearEndRankingData>;
  'final-assessment': Type.Static<typeof FinalAssessmentData>;
  'assessment-ranking': Type.Static<typeof AssessmentRankingData>;
  'assessment-report-to': Type.Static<typeof AssessmentReportToData>;
  'point-statement': Type.Static<typeof PointStatementData>;
  'assessment-score-sheet': Type.Static<typeof AssessmentScoreSheetData>;
  'assessment-result-notice': Type.Static<typeof AssessmentResultNoticeData>;
}

export const REPORT_TYPE_NAMES = Object.keys(REPORT_TYPES) as ReportTypeName[];
