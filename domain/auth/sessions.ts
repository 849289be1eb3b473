// Login sessions: a short-lived access token (JWT) plus a rotating refresh token kept hashed in
// the database. Refreshing revokes the presented token and issues its successor in the same
// family; a revoked token presented again was copied (or replayed), so its whole family is
// revoked. An access token names its session (`sid`, the family) and works only while the
// session is live, so logout, a password change or a deactivation end it at once, not when the
// access token expires.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RefreshToken } from '../entities/refresh-token.ts';
import { hashSecret, newSecret } from './secrets.ts';
// Sessions expire on the host's clock, as the JWTs they renew do: moving the sandbox's calendar
// by months must not sign everybody out.
import { systemClock } from '../clock.ts';
import { DAY_MS } from '../time.ts';

export const REFRESH_TOKEN_PREFIX = 'pcr_';

export interface IssuedRefreshToken {
  token: string;
  row: RefreshToken;
}

/** Issues a refresh token: the first of a new session (a login), or the successor in `familyId`. */
export async function issueRefreshToken(em: EntityManager, accountId: string, days: number, familyId?: string, now = systemClock.now()): Promise<IssuedRefreshToken> {
  // A login clears the account's expired tokens, so the table holds about one session's worth
  // of rotations per live session (an expired token is refused whether or not it is kept).
  if (!familyId) await em.nativeDelete(RefreshToken, { account: accountId, expiresAt: { $lte: now } });
  const token = newSecret(REFRESH_TOKEN_PREFIX);
  const row = em.create(RefreshToken, { account: accountId, familyId: familyId ?? randomUUID(), tokenHash: hashSecret(token), expiresAt: new Date(now.getTime() + days * DAY_MS) });
  await em.flush();
  return { token, row };
}

export type RotateResult =
  | { ok: true; accountId: string; familyId: string; issued: IssuedRefreshToken }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' | 'inactive'; accountId?: string; familyId?: string };

/** Exchanges a refresh token for its successor. Run inside a transaction. */
export async function rotateRefreshToken(em: EntityManager, token: string, days: number, now = systemClock.now()): Promise<RotateResult> {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return { ok: false, reason: 'unknown' };
  const row = await em.findOne(RefreshToken, { tokenHash: hashSecret(token) }, { populate: ['account'] });
  if (!row) return { ok: false, reason: 'unknown' };
  const accountId = row.account.id;
  const familyId = row.familyId;
  if (row.revokedAt && row.revokedReason !== 'rotated') return { ok: false, reason: 'revoked', accountId, familyId };
  // Claims the token atomically: of two requests racing with one token, only one rotates it;
  // the other finds it revoked and is treated as a replay.
  const claimed = row.revokedAt ? 0 : await em.nativeUpdate(RefreshToken, { id: row.id, revokedAt: null }, { revokedAt: now, revokedReason: 'rotated' });
  if (claimed === 0) {
    await revokeFamily(em, familyId, 'reuse', now);
    return { ok: false, reason: 'reused', accountId, familyId };
  }
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', accountId, familyId };
  if (!row.account.getEntity().active) return { ok: false, reason: 'inactive', accountId, familyId };
  return { ok: true, accountId, familyId, issued: await issueRefreshToken(em, accountId, days, familyId, now) };
}

export async function revokeFamily(em: EntityManager, familyId: string, reason: string, now = systemClock.now()): Promise<number> {
  return em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: now, revokedReason: reason });
}

/** The family of a refresh token, or null when the token is unknown. */
export async function familyOf(em: EntityManager, token: string): Promise<{ familyId: string; accountId: string } | null> {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return null;
  const row = await em.findOne(RefreshToken, { tokenHash: hashSecret(token) });
  return row ? { familyId: row.familyId, accountId: row.account.id } : null;
}

/**
 * Ends every session of an account: its refresh tokens, and with them the access tokens of
 * those sessions. API tokens are left alone (integrations are revoked one by one).
 */
export async function endAccountSessions(em: EntityManager, accountId: string, reason: 'password' | 'deactivated', now = systemClock.now()): Promise<number> {
  return em.nativeUpdate(RefreshToken, { account: accountId, revokedAt: null }, { revokedAt: now, revokedReason: reason });
}
