// Every workflow the worker runs; the worker bundles this file (deterministic code only).
export { dualCommitment } from './dual-commitment.ts';
export { postingWorkflow } from './posting.ts';
export { postingCohortWorkflow } from './posting-cohort.ts';
export { quarterlyReviewWorkflow } from './quarterly-review.ts';
export { starRating, starRatingList } from './star-rating.ts';
export { renderReportWorkflow } from './reports.ts';
export { gridMatter } from './grid-matter.ts';
export { memberReport } from './member-report.ts';
export { assessmentRound, assessedSubject } from './assessment.ts';
export { pointStatement } from './point-statement.ts';
export { gridSteeringTask } from './grid-steering.ts';
