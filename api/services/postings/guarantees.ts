// 保障: the dispatching unit records the accident insurance and work funds (what it filed, with
// the audit row), then tells the posting's workflow, which answers what is still missing and
// the phase the posting moved to.
import type { Static } from 'typebox';
import { changeWithAudit } from '../../audited.ts';
import { takeUpdate } from '../../workflow-refusals.ts';
import type { GuaranteesBody } from '../../schemas/postings.ts';
import { PostingGuarantee } from '../../../domain/entities/posting-records.ts';
import { recordGuaranteesUpdate } from '../../../domain/posting/contracts.ts';
import { auditActorOf, boundsOf, needRole, postingActor, postingHandle, tellPosting, type PostingCaller } from './access.ts';

export async function recordGuarantees(caller: PostingCaller, postingId: string, body: Static<typeof GuaranteesBody>) {
  const { em } = caller;
  const { posting, actor } = await postingActor(caller, postingId);
  needRole(actor, 'dispatching_unit', 'recording guarantees');
  const existing = await em.findOne(PostingGuarantee, { posting: posting.id });
  const before = existing
    ? { insuranceYuan: existing.insuranceYuan ?? null, insurancePolicy: existing.insurancePolicy ?? null, workFundsYuan: existing.workFundsYuan ?? null }
    : null;
  const after = {
    insuranceYuan: body.insuranceYuan ?? before?.insuranceYuan ?? null,
    insurancePolicy: body.insurancePolicy ?? before?.insurancePolicy ?? null,
    workFundsYuan: body.workFundsYuan ?? before?.workFundsYuan ?? null,
  };
  const audit = { action: 'posting.guarantees_record', entityType: 'posting', entityId: posting.id, before, after };
  const row = await changeWithAudit(em, auditActorOf(caller), audit, (tx) => {
    const row = existing ?? tx.create(PostingGuarantee, { posting } as never);
    Object.assign(row, after, { recordedBy: actor.accountId });
    return row;
  });
  const update = { actor, insuranceYuan: row.insuranceYuan ?? undefined, workFundsYuan: row.workFundsYuan ?? undefined };
  const status = await tellPosting(() => takeUpdate(boundsOf(caller.services), postingHandle(caller.services, posting.id), recordGuaranteesUpdate, [update]));
  return { phase: status.phase, missing: status.missingGuarantees };
}
