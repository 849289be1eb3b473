// 期满联合考核: the organization department, the street committee and the dispatching unit sign
// the joint assessment once each, as updates of the posting's workflow; the activities file the
// outcome and the form (期满联合考核表) once all three have signed.
import type { Static } from 'typebox';
import type { FinalSignatureBody } from '../../schemas/postings.ts';
import { signFinalAssessmentUpdate } from '../../../domain/posting/contracts.ts';
import { updatePosting, type PostingCaller } from './access.ts';

export const signFinalAssessment = (caller: PostingCaller, postingId: string, body: Static<typeof FinalSignatureBody>) =>
  updatePosting(caller, postingId, signFinalAssessmentUpdate, body);
