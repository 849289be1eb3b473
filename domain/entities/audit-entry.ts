// The append-only audit log. Each row carries the hash of the previous row, and its own hash
// over a canonical JSON of its fields (domain/audit/chain.ts): HMAC-SHA256 under the audit
// secret kept outside the database (hashVersion 2), or plain SHA-256 for the rows written
// before that secret existed (hashVersion 1). Editing or deleting a row breaks the chain at
// that seq, and without the secret nobody can re-hash the rows after it. seq is assigned under
// an advisory lock, never by a sequence, so the chain has no gaps and never forks. Triggers
// refuse UPDATE, DELETE and TRUNCATE. AuditCheckpoint rows are signed points of the chain.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    seq: p.bigint('number').primary().autoincrement(false),
    at: p.datetime(),
    actorAccountId: p.uuid().nullable(),
    /** Who acted, readable: a login, "system", "import", "public-link". */
    actor: p.string().length(100),
    action: p.string().length(100),
    entityType: p.string().length(50),
    entityId: p.string().length(100).nullable(),
    before: p.json<unknown>().nullable(),
    after: p.json<unknown>().nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64),
    /** 1: unkeyed SHA-256 (rows from before the audit secret); 2: HMAC-SHA256 under the secret. */
    hashVersion: p.smallint(),
  },
  indexes: [{ name: 'audit_entry_entity_idx', properties: ['entityType', 'entityId'] }],
  // Ordinary writers cannot change or remove a row; a table owner can still disable the
  // trigger, and then the hash chain is what detects the change.
  triggers: [
    { name: 'audit_entry_no_update_delete', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: `raise exception 'audit_entry is append-only'; return null;` },
    { name: 'audit_entry_no_truncate', timing: 'before', events: ['truncate'], forEach: 'statement', body: `raise exception 'audit_entry is append-only'; return null;` },
  ],
});
export type AuditEntry = InferEntity<typeof AuditEntry>;

/**
 * A point of the chain signed with the audit secret (seq, that row's hash, the first keyed
 * seq), written every 100 rows and at least hourly. A rewritten chain cannot match them, and
 * rows cut off the end leave a checkpoint beyond the last row.
 */
export const AuditCheckpoint = defineEntity({
  name: 'AuditCheckpoint',
  tableName: 'audit_checkpoint',
  properties: {
    seq: p.bigint('number').primary().autoincrement(false),
    hash: p.string().length(64),
    keyedFrom: p.bigint('number'),
    at: p.datetime(),
    signature: p.string().length(64),
  },
  triggers: [
    { name: 'audit_checkpoint_no_update_delete', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: `raise exception 'audit_checkpoint is append-only'; return null;` },
    { name: 'audit_checkpoint_no_truncate', timing: 'before', events: ['truncate'], forEach: 'statement', body: `raise exception 'audit_checkpoint is append-only'; return null;` },
  ],
});
export type AuditCheckpoint = InferEntity<typeof AuditCheckpoint>;
