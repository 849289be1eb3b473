// Writing and verifying the audit log. `recordAudit` must run inside the transaction of the
// change it records (em.transactional), so the change and its audit row commit together; a
// transaction-scoped advisory lock serializes appends, so the chain never forks.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../entities/audit-entry.ts';
import { GENESIS_HASH, hashAuditEntry, toAuditJson, type AuditFields } from './chain.ts';

const AUDIT_LOCK = 20_260_402;
const AUDIT_HEAD_KEY = 'audit.head';

export interface AuditActor {
  accountId: string | null;
  /** Readable: a login, or "system", "import", "public-link". */
  label: string;
}

export const SYSTEM_ACTOR: AuditActor = { accountId: null, label: 'system' };
/** Anyone using an unguessable access link (public page, survey, objection). */
export const PUBLIC_LINK_ACTOR: AuditActor = { accountId: null, label: 'public-link' };

export interface AuditInput {
  actor: AuditActor;
  /** Verb in the domain, dotted: "organization.create", "commitment_set.approve". */
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one row to the audit log in the caller's transaction and returns its seq. */
export async function recordAudit(em: EntityManager, input: AuditInput): Promise<number> {
  const [seq] = await recordAuditBatch(em, [input]);
  return seq!;
}

/** Appends several rows in order with one lock, one read and one insert (imports, bulk notices). */
export async function recordAuditBatch(em: EntityManager, inputs: AuditInput[]): Promise<number[]> {
  if (!em.isInTransaction()) throw new Error('recordAudit must be called inside em.transactional(...) with the change it records');
  if (inputs.length === 0) return [];
  await em.execute('select pg_advisory_xact_lock(?)', [AUDIT_LOCK]);
  const [last] = await em.execute<{ seq: string; hash: string }[]>('select seq, hash from audit_entry order by seq desc limit 1');
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision, as stored and read back (timestamptz keeps microseconds; JS has none).
  const at = new Date();
  const rows = inputs.map((input) => {
    const fields: AuditFields = {
      seq: ++seq,
      at,
      actorAccountId: input.actor.accountId,
      actor: input.actor.label,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: toAuditJson(input.before),
      after: toAuditJson(input.after),
      prevHash,
    };
    prevHash = hashAuditEntry(fields);
    return { ...fields, hash: prevHash };
  });
  await em.insertMany(AuditEntry, rows);
  // The head, kept beside the chain, reveals rows cut off its end (which the chain alone cannot).
  await em.execute(
    `insert into system_setting (key, value, updated_at) values (?, ?, now()) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
    [AUDIT_HEAD_KEY, JSON.stringify({ seq, hash: prevHash })],
  );
  return rows.map((r) => r.seq);
}

export type AuditVerification =
  | { ok: true; checked: number; lastSeq: number | null }
  | { ok: false; checked: number; brokenSeq: number; reason: string };

/** Walks the whole chain in seq order; reports the first row whose hash, link or seq is wrong. */
export async function verifyAuditChain(em: EntityManager, batchSize = 1000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await em.execute<Record<string, unknown>[]>(
      'select seq, at, actor_account_id, actor, action, entity_type, entity_id, before, after, prev_hash, hash from audit_entry where seq >= ? order by seq limit ?',
      [expectedSeq, batchSize],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, checked, brokenSeq: expectedSeq, reason: `row ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return { ok: false, checked, brokenSeq: seq, reason: 'prev_hash does not match the hash of the previous row' };
      const fields: AuditFields = {
        seq,
        at: new Date(row.at as string | Date),
        actorAccountId: (row.actor_account_id as string | null) ?? null,
        actor: row.actor as string,
        action: row.action as string,
        entityType: row.entity_type as string,
        entityId: (row.entity_id as string | null) ?? null,
        before: parseJson(row.before),
        after: parseJson(row.after),
        prevHash,
      };
      if (hashAuditEntry(fields) !== row.hash) return { ok: false, checked, brokenSeq: seq, reason: 'hash does not match the row content' };
      prevHash = row.hash as string;
      expectedSeq = seq + 1;
      checked += 1;
    }
    if (rows.length < batchSize) {
      const [head] = await em.execute<{ value: { seq: number; hash: string } | string }[]>('select value from system_setting where key = ?', [AUDIT_HEAD_KEY]);
      const recorded = head ? (typeof head.value === 'string' ? JSON.parse(head.value) : head.value) as { seq: number; hash: string } : null;
      const lastSeq = checked > 0 ? expectedSeq - 1 : null;
      if (recorded && (recorded.seq !== lastSeq || recorded.hash !== prevHash)) {
        return { ok: false, checked, brokenSeq: (lastSeq ?? 0) + 1, reason: `the log ends at seq ${lastSeq ?? 0} but seq ${recorded.seq} was written: rows are missing at the end` };
      }
      return { ok: true, checked, lastSeq };
    }
  }
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? null);
}
