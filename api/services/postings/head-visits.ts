// The dispatching unit's head visits the community (at least once a quarter): recorded here,
// counted by the quarterly review when its quarter closes (activities/posting.ts countHeadVisits).
import type { Static } from 'typebox';
import { changeWithAudit } from '../../audited.ts';
import type { HeadVisitBody } from '../../schemas/postings.ts';
import { PostingHeadVisit } from '../../../domain/entities/posting-records.ts';
import { badRequest } from '../../../domain/errors.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import { auditActorOf, needRole, postingActor, type PostingCaller } from './access.ts';

export async function recordHeadVisit(caller: PostingCaller, postingId: string, body: Static<typeof HeadVisitBody>) {
  const { posting, actor } = await postingActor(caller, postingId);
  needRole(actor, 'dispatching_unit', 'recording a visit');
  // A visit is recorded after it happened: one dated ahead of today (Asia/Shanghai, by the service's
  // clock) would count for a quarter before anyone went.
  const today = shanghaiDate(caller.services.clock.now().getTime());
  if (body.visitedOn > today) {
    throw badRequest(`${body.visitedOn} is after today`, [{ field: 'body.visitedOn', rule: `not after today (${today}, Asia/Shanghai)` }]);
  }
  const audit = { action: 'posting.head_visit', entityType: 'posting', entityId: posting.id, after: body };
  const row = await changeWithAudit(caller.em, auditActorOf(caller), audit, (tx) =>
    tx.create(PostingHeadVisit, { posting, ...body, recordedBy: actor.accountId } as never),
  );
  return { id: row.id };
}
