// Long-lived tokens for integrations. Only a SHA-256 of the secret is kept (the secret has
// 256 bits of entropy, so a slow hash adds nothing); the token is shown once at creation.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { createdAt, uuidKey } from './common.ts';

export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: uuidKey(),
    account: () => p.manyToOne(Account).ref().index().deleteRule('cascade'),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique().hidden(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type ApiToken = InferEntity<typeof ApiToken>;
