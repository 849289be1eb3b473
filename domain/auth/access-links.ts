// Anonymous access through unguessable, expiring links: public commitment pages (亮诺) and
// resident/staff surveys. The token is returned once; only its hash is stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessLink } from '../entities/access-link.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { hashSecret, newSecret } from './secrets.ts';

export const ACCESS_LINK_PREFIX = 'pcl_';

export interface CreateAccessLinkInput {
  purpose: string;
  subjectType: string;
  subjectId: string;
  expiresAt: Date;
  actor: AuditActor;
}

/** Creates a link in the caller's transaction; returns the token (shown once) and the row. */
export async function createAccessLink(em: EntityManager, input: CreateAccessLinkInput): Promise<{ token: string; link: AccessLink }> {
  const token = newSecret(ACCESS_LINK_PREFIX);
  const link = em.create(AccessLink, {
    tokenHash: hashSecret(token),
    purpose: input.purpose,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    expiresAt: input.expiresAt,
    createdBy: input.actor.accountId,
  });
  await em.flush();
  await recordAudit(em, {
    actor: input.actor,
    action: 'access_link.create',
    entityType: 'access_link',
    entityId: link.id,
    after: { purpose: link.purpose, subjectType: link.subjectType, subjectId: link.subjectId, expiresAt: link.expiresAt },
  });
  return { token, link };
}

export type AccessLinkCheck =
  | { ok: true; link: AccessLink }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'wrong_purpose' };

/**
 * Checks a token from a public URL. Later cycles call this before showing a public page or
 * accepting a survey answer; pass `purpose` so a survey link cannot open another page.
 */
export async function verifyAccessLink(em: EntityManager, token: string, purpose?: string, now = new Date()): Promise<AccessLinkCheck> {
  if (!token.startsWith(ACCESS_LINK_PREFIX)) return { ok: false, reason: 'unknown' };
  const link = await em.findOne(AccessLink, { tokenHash: hashSecret(token) });
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.revokedAt) return { ok: false, reason: 'revoked' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (purpose && link.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  return { ok: true, link };
}
