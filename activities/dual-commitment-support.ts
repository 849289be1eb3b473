// What the dual commitments activities share: the set with what they print and whom they
// tell, the accounts over an organization, and the notices they leave.
import type { EntityManager } from '@mikro-orm/postgresql';
import { notify } from '../domain/notifications/notify.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../domain/entities/evaluator-assignment.ts';
import { CommitmentSet } from '../domain/entities/commitment.ts';

export const loadSet = (em: EntityManager, setId: string) =>
  em.findOneOrFail(CommitmentSet, { id: setId }, { populate: ['organization', 'organization.unit', 'cycle', 'cycle.catalogVersion'] });

/** Accounts holding `roles` over the organization: its own roles, or unit roles on an ancestor unit. */
export async function accountsOver(em: EntityManager, set: CommitmentSet, roles: string[]): Promise<string[]> {
  const org = set.organization.getEntity();
  const unitPath = org.unit.getEntity().path;
  const grants = await em.find(RoleAssignment, { role: { $in: roles as never } }, { populate: ['unit'] });
  const ids = grants
    .filter((g) => (g.organization ? g.organization.id === org.id : g.unit ? unitPath.startsWith(g.unit.getEntity().path) : false))
    .map((g) => g.account.id);
  if (roles.includes('evaluator')) {
    const assigned = await em.find(EvaluatorAssignment, { subjectType: 'organization', subjectId: org.id });
    ids.push(...assigned.map((a) => a.account.id));
  }
  return [...new Set(ids)].sort();
}

export async function tell(em: EntityManager, recipients: string[], kind: string, title: string, body: string) {
  for (const recipientAccountId of recipients) notify(em, { recipientAccountId, kind, title, body, link: null });
}

export const orgName = (set: CommitmentSet) => set.organization.getEntity().name;
