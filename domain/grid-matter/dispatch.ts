// A matter's dispatch (分流交办) as the filing writes it, in the report's own transaction: the
// handlers of the unit it is assigned to (and a registered responder's members) get a notice
// with the deadline, and the audit log gets grid_matter.dispatched. Runs started since the
// input carries `dispatchedAt` leave this to the filing instead of a first step of their own
// (one transaction and one local activity fewer per matter); the workflow's step writes the
// same rows for runs started before.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record.ts';
import { notify } from '../notifications/notify.ts';

/** Accounts that act for a unit: staff roles held on exactly that unit, and the registered responder's members. */
export async function handlersOf(em: EntityManager, unitId: string, memberAccountIds: readonly string[] = []): Promise<string[]> {
  const rows = await em.execute<{ account_id: string }[]>(
    "select distinct account_id from role_assignment where unit_id = ? and role in ('community_committee', 'street_committee', 'org_department')",
    [unitId],
  );
  return [...new Set([...rows.map((r) => r.account_id), ...memberAccountIds])];
}

/** How a notice names a matter: grid, category and number. */
export const matterLabel = (m: { gridName: string; categoryName: string; number: string }) => `${m.gridName} · ${m.categoryName}（${m.number}）`;

/** The notice to whoever must accept and answer next. */
export const dispatchNotice = (label: string, deadlineAt: number) => `${label} 请于 ${new Date(deadlineAt).toISOString()} 前受理并答复。`;

export interface FiledMatter {
  id: string;
  number: string;
  gridName: string;
  categoryName: string;
  assigneeUnitId: string;
  memberAccountIds: readonly string[];
  level: number;
  deadlineAt: number;
}

/** Notices to the handlers and the audit entry of a just-filed matter's dispatch, in the caller's transaction. */
export async function recordDispatch(tx: EntityManager, m: FiledMatter): Promise<void> {
  const label = matterLabel(m);
  for (const recipientAccountId of await handlersOf(tx, m.assigneeUnitId, m.memberAccountIds)) {
    notify(tx, {
      recipientAccountId, kind: 'grid_matter_dispatched', title: '新的网格事项', body: dispatchNotice(label, m.deadlineAt), link: `/grid-desk/${m.id}`,
    });
  }
  await tx.flush();
  await recordAudit(tx, {
    actor: SYSTEM_ACTOR,
    action: 'grid_matter.dispatched',
    entityType: 'grid_matter',
    entityId: m.id,
    before: { status: 'open', level: m.level },
    after: { number: m.number, status: 'open', level: m.level, deadlineAt: new Date(m.deadlineAt).toISOString(), outcome: null },
  });
}
