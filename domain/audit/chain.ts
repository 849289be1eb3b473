// The audit log's hash chain, as pure functions: a row's hash is SHA-256 over the previous
// row's hash and a canonical JSON of the row (keys sorted at every depth, dates as ISO
// strings), so the same row always hashes the same whether it comes from JS or from jsonb.
import { createHash } from 'node:crypto';

/** The hash the first row chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: Date;
  actorAccountId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashAuditEntry(fields: AuditFields): string {
  return createHash('sha256').update(fields.prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/**
 * Makes a before/after snapshot safe to store and re-hash: a JSON round trip, so Dates become
 * strings and undefined fields disappear exactly as they will after jsonb storage.
 */
export function toAuditJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}
