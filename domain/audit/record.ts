// Writing and verifying the audit log. `recordAudit` must run inside the transaction of the
// change it records (em.transactional), so the change and its audit row commit together; the
// row joins the hash chain right after that commit, before em.transactional(...) resolves
// (append.ts: one chain run, under an advisory lock, for every change committed meanwhile).
// New rows are keyed (HMAC under the audit secret bound to the ORM, domain/audit/key.ts); the
// head beside the chain is signed, and a signed checkpoint is written every CHECKPOINT_ROWS
// rows and at least every CHECKPOINT_MS, so a chain rewritten and re-hashed by someone who
// holds the database but not the secret is found, and /audit/verify names the first bad seq.
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditKeyOf } from './key.ts';
import { AUDIT_HEAD_KEY, CHECKPOINT_ROWS, chainPendingAudit, markAuditPending } from './append.ts';
import { copyCheckpointsOut, readCheckpointFile } from './checkpoint-file.ts';
import { GENESIS_HASH, KEYED, UNKEYED, hashAuditEntryAs, sameDigest, signCheckpoint, signHead, toAuditJson, type AuditFields } from './chain.ts';
import { clockOf } from '../clock.ts';

export { CHECKPOINT_MS, CHECKPOINT_ROWS } from './append.ts';

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

/** Records one audit row in the caller's transaction; it joins the chain right after the commit (append.ts). */
export async function recordAudit(em: EntityManager, input: AuditInput): Promise<void> {
  await recordAuditBatch(em, [input]);
}

/** Records several rows in order with one insert (imports, bulk notices). */
export async function recordAuditBatch(em: EntityManager, inputs: AuditInput[]): Promise<void> {
  if (!em.isInTransaction()) throw new Error('recordAudit must be called inside em.transactional(...) with the change it records');
  if (inputs.length === 0) return;
  auditKeyOf(em); // refuses at once, in the change's transaction, when no audit secret is bound
  // Millisecond precision, as stored and read back (timestamptz keeps microseconds; JS has none).
  const at = clockOf(em).now();
  const params: unknown[] = [];
  for (const input of inputs) {
    const before = toAuditJson(input.before);
    const after = toAuditJson(input.after);
    params.push(at, input.actor.accountId, input.actor.label, input.action, input.entityType, input.entityId,
      before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after));
  }
  await em.execute(
    `insert into audit_pending (at, actor_account_id, actor, action, entity_type, entity_id, before, after) values ${inputs.map(() => '(?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)').join(', ')}`,
    params,
  );
  markAuditPending(em);
}

export type AuditVerification =
  | { ok: true; checked: number; lastSeq: number | null; checkpoints: number }
  | { ok: false; checked: number; brokenSeq: number; reason: string };

interface CheckpointRow { seq: number; hash: string; keyedFrom: number }

/**
 * Walks the whole chain in seq order, in one snapshot, and reports the first seq where the
 * log stops being what was written: a wrong hash or link, a gap, an unkeyed row after the
 * switch to keyed hashes, a row that differs from a signed checkpoint, a forged checkpoint or
 * head, or rows missing at the end.
 */
export async function verifyAuditChain(em: EntityManager, batchSize = 1000): Promise<AuditVerification> {
  const { secret, source, checkpointFile } = auditKeyOf(em);
  // Rows committed but not chained yet (a process stopped in between) join the chain first.
  while ((await chainPendingAudit(em)) > 0);
  // First copy out what the database holds now, then hold the database to the copy.
  await copyCheckpointsOut(em);
  const filed = checkpointFile ? await readCheckpointFile(checkpointFile, secret) : { checkpoints: [], bad: null };
  if (filed.bad !== null) {
    return { ok: false, checked: 0, brokenSeq: 0, reason: `line ${filed.bad} of ${checkpointFile} is not a checkpoint signed with the audit secret: the copy outside the database was changed` };
  }
  return em.fork().transactional(async (tx) => {
    const [headRow] = await tx.execute<{ value: unknown }[]>('select value from system_setting where key = ?', [AUDIT_HEAD_KEY]);
    const head = headRow ? parseJson(headRow.value) as { seq: number; hash: string; signature?: string } : null;

    const checkpoints = new Map<number, CheckpointRow>();
    let keyedFrom: number | null = null;
    for (const row of await tx.execute<Record<string, unknown>[]>('select seq, hash, keyed_from, at, signature from audit_checkpoint order by seq')) {
      const checkpoint = { seq: Number(row.seq), hash: row.hash as string, keyedFrom: Number(row.keyed_from), at: new Date(row.at as string | Date) };
      if (!sameDigest(row.signature, signCheckpoint(secret, checkpoint))) {
        return { ok: false as const, checked: 0, brokenSeq: checkpoint.seq, reason: `the checkpoint at seq ${checkpoint.seq} is not signed with this service's audit secret (${source}): it was forged or changed` };
      }
      if (keyedFrom !== null && checkpoint.keyedFrom !== keyedFrom) {
        return { ok: false as const, checked: 0, brokenSeq: checkpoint.seq, reason: `the checkpoints disagree on where keyed hashes begin (seq ${keyedFrom} and ${checkpoint.keyedFrom})` };
      }
      keyedFrom = checkpoint.keyedFrom;
      checkpoints.set(checkpoint.seq, checkpoint);
    }
    for (const copy of filed.checkpoints) {
      if (!checkpoints.has(copy.seq)) {
        return { ok: false as const, checked: 0, brokenSeq: copy.seq, reason: `the signed checkpoint at seq ${copy.seq}, kept in ${checkpointFile}, is missing from the database: the log was rolled back or cut` };
      }
    }
    const lastCheckpoint = [...checkpoints.values()].at(-1) ?? null;

    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let firstKeyed: number | null = null;
    for (;;) {
      const rows = await tx.execute<Record<string, unknown>[]>(
        'select seq, at, actor_account_id, actor, action, entity_type, entity_id, before, after, prev_hash, hash, hash_version from audit_entry where seq >= ? order by seq limit ?',
        [expectedSeq, batchSize],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        const broken = (reason: string, at = seq) => ({ ok: false as const, checked, brokenSeq: at, reason });
        if (seq !== expectedSeq) return broken(`row ${expectedSeq} is missing`, expectedSeq);
        if (row.prev_hash !== prevHash) return broken('prev_hash does not match the hash of the previous row');
        const version = Number(row.hash_version);
        if (version === UNKEYED && (firstKeyed !== null || (keyedFrom !== null && seq >= keyedFrom))) {
          return broken(`the row is marked unkeyed, but keyed hashes began at seq ${keyedFrom ?? firstKeyed}: it was re-hashed without the audit secret`);
        }
        if (version !== UNKEYED && version !== KEYED) return broken(`unknown hash version ${version}`);
        if (version === KEYED) firstKeyed ??= seq;
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
        if (!sameDigest(row.hash, hashAuditEntryAs(version, secret, fields))) {
          return broken(version === KEYED
            ? `hash does not match the row content under the audit secret (${source}): the row was changed, or the chain re-hashed without the secret`
            : 'hash does not match the row content');
        }
        const checkpoint = checkpoints.get(seq);
        if (checkpoint && checkpoint.hash !== row.hash) return broken(`the row differs from the signed checkpoint at seq ${seq}: the chain was rewritten`);
        prevHash = row.hash as string;
        expectedSeq = seq + 1;
        checked += 1;
      }
      if (rows.length === batchSize) continue;

      const lastSeq = checked > 0 ? expectedSeq - 1 : null;
      const end = (reason: string) => ({ ok: false as const, checked, brokenSeq: (lastSeq ?? 0) + 1, reason });
      if (lastCheckpoint && lastCheckpoint.seq > (lastSeq ?? 0)) {
        return end(`the log ends at seq ${lastSeq ?? 0} but a signed checkpoint vouches for seq ${lastCheckpoint.seq}: rows are missing at the end`);
      }
      if (head && (head.seq !== (lastSeq ?? 0) || head.hash !== (checked > 0 ? prevHash : GENESIS_HASH))) {
        return end(`the log ends at seq ${lastSeq ?? 0} but seq ${head.seq} was written: rows are missing at the end`);
      }
      if (firstKeyed !== null) {
        if (!head || !sameDigest(head.signature, signHead(secret, head))) return end(`the recorded head is not signed with the audit secret (${source}): it was rewritten`);
        if (!lastCheckpoint) return { ok: false as const, checked, brokenSeq: firstKeyed, reason: 'keyed rows exist but their signed checkpoints are missing: they were deleted' };
        if (keyedFrom !== firstKeyed) return { ok: false as const, checked, brokenSeq: Math.min(keyedFrom!, firstKeyed), reason: `keyed hashes begin at seq ${firstKeyed} but the signed checkpoints say ${keyedFrom}: the chain was rewritten` };
        const due = Math.floor(lastSeq! / CHECKPOINT_ROWS) * CHECKPOINT_ROWS;
        if (due > firstKeyed && lastCheckpoint.seq < due) {
          return { ok: false as const, checked, brokenSeq: due, reason: `the signed checkpoint for seq ${due} is missing: it was deleted` };
        }
      }
      return { ok: true as const, checked, lastSeq, checkpoints: checkpoints.size };
    }
  }, { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? null);
}
