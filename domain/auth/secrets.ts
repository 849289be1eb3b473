// Unguessable tokens (API tokens, access links): 32 random bytes, base64url, with a readable
// prefix; only their SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'pct_';

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
