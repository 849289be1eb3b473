// A change written by a route and its audit row, in one transaction: both commit, or neither.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, type AuditActor, type AuditInput } from '../domain/audit/record.ts';

/** Entities loaded before (the posting, its rows) may be changed inside; the flush writes them. */
export async function changeWithAudit<T>(
  em: EntityManager,
  actor: AuditActor,
  audit: Omit<AuditInput, 'actor'> | ((result: NoInfer<T>) => Omit<AuditInput, 'actor'>),
  change: (tx: EntityManager) => T | Promise<T>,
): Promise<T> {
  return em.transactional(async (tx) => {
    const result = await change(tx as EntityManager);
    await tx.flush();
    await recordAudit(tx as EntityManager, { actor, ...(typeof audit === 'function' ? audit(result) : audit) });
    return result;
  });
}
