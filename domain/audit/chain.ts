// The audit log's hash chain, as pure functions: a row's hash covers the previous row's hash
// and a canonical JSON of the row (keys sorted at every depth, dates as ISO strings), so the
// same row always hashes the same whether it comes from JS or from jsonb.
// Version 1 (rows written before the audit secret existed) is plain SHA-256, which anyone with
// write access to the table can recompute; version 2 is HMAC-SHA256 under the audit secret
// (domain/audit/key.ts), which the database's administrator does not hold.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

export const UNKEYED = 1;
export const KEYED = 2;
export type HashVersion = typeof UNKEYED | typeof KEYED;

/** Version 1: the unkeyed hash of the rows written before the switch to keyed hashes. */
export function hashAuditEntry(fields: AuditFields): string {
  return createHash('sha256').update(fields.prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/** Version 2: the same input under HMAC-SHA256 with the audit secret. */
export function keyedHashAuditEntry(secret: Buffer, fields: AuditFields): string {
  return createHmac('sha256', secret).update('audit-entry\n').update(fields.prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export function hashAuditEntryAs(version: number, secret: Buffer, fields: AuditFields): string {
  return version === KEYED ? keyedHashAuditEntry(secret, fields) : hashAuditEntry(fields);
}

/** A point of the chain vouched for with the secret: seq, its row's hash, and where keyed rows begin. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  keyedFrom: number;
  at: Date;
}

export function signCheckpoint(secret: Buffer, checkpoint: AuditCheckpoint): string {
  return createHmac('sha256', secret)
    .update(`audit-checkpoint\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.keyedFrom}\n${checkpoint.at.toISOString()}`)
    .digest('hex');
}

/** The recorded head (last seq and hash), signed so that it cannot be moved back without the secret. */
export function signHead(secret: Buffer, head: { seq: number; hash: string }): string {
  return createHmac('sha256', secret).update(`audit-head\n${head.seq}\n${head.hash}`).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Makes a before/after snapshot safe to store and re-hash: a JSON round trip, so Dates become
 * strings and undefined fields disappear exactly as they will after jsonb storage.
 */
export function toAuditJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}
