// Where a posting stands when its workflow starts. The workflow begins from it, and the API
// records it with the posting, so the posting's view answers from the database before the
// workflow's first task has run (and whether or not a worker is up).
import type { PostingStatus, PostingWorkflowInput } from './workflow-types.ts';
import { missingGuarantees } from './guarantees.ts';
import { missingFinalSigners } from './sign-off.ts';

export function initialPostingStatus(input: Pick<PostingWorkflowInput, 'postingId' | 'guarantees' | 'settings'>): PostingStatus {
  const guarantees = input.guarantees ?? { insuranceYuan: null, workFundsYuan: null };
  return {
    postingId: input.postingId,
    phase: 'awaiting_guarantees',
    guarantees,
    missingGuarantees: missingGuarantees(guarantees, input.settings),
    startedOn: null,
    endsOn: null,
    recalled: null,
    extendedMonths: 0,
    months: [],
    quarters: [],
    tally: [],
    routineScore: 100,
    yearEnd: { self: null, organization: null, residents: null, routine: null, total: null, ranking: null },
    finalSignatures: [],
    missingFinalSigners: missingFinalSigners([]),
    outcome: 'pending',
    reports: [],
  };
}
