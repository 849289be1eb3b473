// The posting workflows alone, so this suite's bundle does not depend on other cycles' code.
export { postingWorkflow } from '../../workflows/posting.ts';
export { quarterlyReviewWorkflow } from '../../workflows/quarterly-review.ts';
export { postingCohortWorkflow } from '../../workflows/posting-cohort.ts';
