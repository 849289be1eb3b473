// Anonymous access through unguessable, expiring links: public commitment pages (亮诺) and
// resident/staff surveys. The token is returned once; only its hash is stored.
import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessLink } from '../entities/access-link.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { clockOf } from '../clock.ts';

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
export async function verifyAccessLink(em: EntityManager, token: string, purpose?: string, now = clockOf(em).now()): Promise<AccessLinkCheck> {
  if (!token.startsWith(ACCESS_LINK_PREFIX)) return { ok: false, reason: 'unknown' };
  const link = await em.findOne(AccessLink, { tokenHash: hashSecret(token) });
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.revokedAt) return { ok: false, reason: 'revoked' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (purpose && link.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  return { ok: true, link };
}

/** Kept under its first user's name: the secret already derives every link issued so far. */
const LINK_SECRET_KEY = 'dual_commitment.link_secret';

/**
 * The unguessable token of a record's public link (a set's public page or survey, a posting's
 * resident survey, a star round's objections, a grid matter's follow page). Derived (HMAC) from a
 * secret kept in system_setting, so a retried activity and the API compute the same token while
 * the database keeps only its hash, as for every access link. The secret is written once, by the
 * first call that finds none (two first calls race on the key and both read the winner's); every
 * later call only reads it, so a report, an activity or a read-only transaction never writes here.
 */
export async function derivedLinkToken(em: EntityManager, purpose: string, subjectId: string): Promise<string> {
  const secret = (await linkSecret(em)) ?? (await makeLinkSecret(em));
  return `${ACCESS_LINK_PREFIX}${createHmac('sha256', secret).update(`${purpose}:${subjectId}`).digest('base64url')}`;
}

async function linkSecret(em: EntityManager): Promise<string | null> {
  const [row] = await em.execute<{ value: unknown }[]>('select value from system_setting where key = ?', [LINK_SECRET_KEY]);
  return row ? (row.value as string) : null; // jsonb: the driver hands back the string
}

async function makeLinkSecret(em: EntityManager): Promise<string> {
  await em.execute('insert into system_setting (key, value, updated_at) values (?, ?, ?) on conflict (key) do nothing', [
    LINK_SECRET_KEY,
    JSON.stringify(randomBytes(48).toString('base64url')),
    clockOf(em).now(),
  ]);
  return (await linkSecret(em))!;
}
