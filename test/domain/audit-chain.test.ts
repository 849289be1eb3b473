import { describe, expect, it } from '@jest/globals';
import { canonicalJson, GENESIS_HASH, hashAuditEntry, toAuditJson } from '../../domain/audit/chain.ts';

const row = {
  seq: 1, at: new Date('2026-11-21T08:00:00.123Z'), actorAccountId: null, actor: 'system', action: 'unit.create',
  entityType: 'unit', entityId: 'u1', before: null, after: { b: 1, a: [{ y: 2, x: '甲' }] }, prevHash: GENESIS_HASH,
};

describe('audit chain', () => {
  it('hashes the same row the same whatever the key order (jsonb reorders keys)', () => {
    const reordered = { ...row, after: { a: [{ x: '甲', y: 2 }], b: 1 } };
    expect(hashAuditEntry(reordered)).toBe(hashAuditEntry(row));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const base = hashAuditEntry(row);
    expect(hashAuditEntry({ ...row, after: { b: 2, a: [{ y: 2, x: '甲' }] } })).not.toBe(base);
    expect(hashAuditEntry({ ...row, prevHash: 'f'.repeat(64) })).not.toBe(base);
    expect(hashAuditEntry({ ...row, seq: 2 })).not.toBe(base);
  });

  it('stores snapshots as they will read back from jsonb', () => {
    expect(toAuditJson({ at: new Date('2026-01-01T00:00:00Z'), gone: undefined })).toEqual({ at: '2026-01-01T00:00:00.000Z' });
    expect(toAuditJson(undefined)).toBeNull();
  });
});
