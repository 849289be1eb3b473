// Channel secrets (SMTP password, SMS access key secret, robot tokens and signing secrets) are
// kept encrypted: AES-256-GCM under a key derived (HKDF) from the audit secret, which lives
// outside the database (AUDIT_SECRET or DATA_DIR/audit-secret). A database dump alone does not
// reveal them, and the API never returns them (only which ones are set).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { auditKeyOf } from '../audit/key.ts';

const INFO = 'party-cycles notification channel secrets v1';

function keyOf(em: { config: object }): Buffer {
  return Buffer.from(hkdfSync('sha256', auditKeyOf(em).secret, Buffer.alloc(0), INFO, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url) of the JSON of `secrets`. */
export function sealSecrets(em: { config: object }, secrets: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(em), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function openSecrets(em: { config: object }, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('channel secrets are not in a known format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(em), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  return JSON.parse(text) as Record<string, string>;
}
