// Refresh tokens of login sessions. Each refresh replaces the token with a new one of the same
// family (rotation); a token presented after it was replaced means it was copied, so the whole
// family (the session) is revoked. Only a SHA-256 of the secret is kept, as for API tokens.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { createdAt, uuidKey } from './common.ts';

export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_token',
  properties: {
    id: uuidKey(),
    account: () => p.manyToOne(Account).ref().index().deleteRule('cascade'),
    /** One login session: the first token and every token that replaced it. */
    familyId: p.uuid().index(),
    tokenHash: p.string().length(64).unique().hidden(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    /** Why it stopped working: rotated, logout, reuse, password, deactivated. */
    revokedReason: p.string().length(20).nullable(),
    createdAt: createdAt(),
  },
});
export type RefreshToken = InferEntity<typeof RefreshToken>;
