// The append-only audit log. Each row carries the SHA-256 of the previous row, and its own
// hash over a canonical JSON of its fields (domain/audit/chain.ts), so editing or deleting a
// row breaks the chain at that seq. seq is assigned under an advisory lock, never by a sequence,
// so the chain has no gaps and never forks. A trigger refuses UPDATE and DELETE.
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
  },
  indexes: [{ name: 'audit_entry_entity_idx', properties: ['entityType', 'entityId'] }],
  // Ordinary writers cannot change or remove a row; a table owner can still disable the
  // trigger, and then the hash chain is what detects the change.
  triggers: [{ name: 'audit_entry_no_update_delete', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: `raise exception 'audit_entry is append-only'; return null;` }],
});
export type AuditEntry = InferEntity<typeof AuditEntry>;
