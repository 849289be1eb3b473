// 按季述评: the first secretary files the quarter's work report (晒绩) and the street committee
// scores it; both are updates of the quarter's workflow (posting/<id>/quarter/<n>), which keeps
// them in its status (saved by activities/posting.ts saveQuarterProgress).
import type { Static } from 'typebox';
import { takeUpdate } from '../../workflow-refusals.ts';
import type { QuarterScoreBody, WorkReportBody } from '../../schemas/postings.ts';
import { scoreQuarterUpdate, submitWorkReportUpdate } from '../../../domain/posting/contracts.ts';
import { boundsOf, postingActor, quarterHandle, tellPosting, type PostingCaller } from './access.ts';

export async function submitWorkReport(caller: PostingCaller, postingId: string, quarter: number, body: Static<typeof WorkReportBody>) {
  const { posting, actor } = await postingActor(caller, postingId);
  const handle = quarterHandle(caller.services, posting.id, quarter);
  return tellPosting(() => takeUpdate(boundsOf(caller.services), handle, submitWorkReportUpdate, [{ actor, ...body }]));
}

export async function scoreQuarter(caller: PostingCaller, postingId: string, quarter: number, body: Static<typeof QuarterScoreBody>) {
  const { posting, actor } = await postingActor(caller, postingId);
  const handle = quarterHandle(caller.services, posting.id, quarter);
  return tellPosting(() => takeUpdate(boundsOf(caller.services), handle, scoreQuarterUpdate, [{ actor, ...body }]));
}
