// Appending to the audit log without one lock across every audited change. A change's
// transaction writes its audit rows to audit_pending (an insert: no lock, nothing read), so they
// commit with the change or not at all. Right after that commit, still before the caller's
// em.transactional(...) resolves, the process chains what is pending: one transaction under the
// advisory lock takes every pending row (the rows of every transaction committed meanwhile, in
// this process or another), gives them seq and hash in id order, and writes the rows, the
// signed head and any checkpoint due in one statement. Concurrent changes thus share one chain
// run (group commit) instead of queueing one by one behind the lock with their whole
// transaction's tail; the chain itself stays one, gap-free and unforked, as before. Rows left
// pending by a process that stopped between the two steps are chained by the next run anywhere,
// and /audit/verify chains before it verifies.
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditKeyOf } from './key.ts';
import { KEYED, keyedHashAuditEntry, signCheckpoint, signHead, type AuditFields } from './chain.ts';
import { GENESIS_HASH } from './chain.ts';

export const AUDIT_LOCK = 20_260_402;
export const AUDIT_HEAD_KEY = 'audit.head';
export const CHECKPOINT_ROWS = 100;
export const CHECKPOINT_MS = 60 * 60 * 1000;
/** Pending rows chained per transaction (12 parameters each, well under PostgreSQL's 65,535). */
const CHAIN_BATCH = 2000;

/** Transactions (MikroORM's transaction contexts) that wrote pending audit rows. */
const wrotePending = new WeakSet<object>();

/** Notes that `em`'s transaction wrote pending audit rows, so its commit chains them. */
export function markAuditPending(em: EntityManager): void {
  const ctx = em.getTransactionContext();
  if (ctx) wrotePending.add(ctx as object);
}

interface PendingRow {
  id: string;
  at: Date;
  actor_account_id: string | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

const COLUMNS = 'seq, at, actor_account_id, actor, action, entity_type, entity_id, before, after, prev_hash, hash, hash_version';

/** One chain run: takes up to CHAIN_BATCH pending rows and appends them; answers how many. */
export async function chainPendingAudit(em: EntityManager): Promise<number> {
  const { secret } = auditKeyOf(em);
  return em.fork().transactional(async (tx) => {
    // Each statement below reads a snapshot taken after the lock is held (READ COMMITTED), so
    // it sees the chain as the previous holder committed it.
    await tx.execute('select pg_advisory_xact_lock(?)', [AUDIT_LOCK]);
    // The rows taken and the chain's end, read in one statement.
    type Claimed = PendingRow & { last_seq: string | null; last_hash: string | null; cp_seq: string | null; cp_keyed_from: string | null; cp_at: Date | null };
    const pending = await tx.execute<Claimed[]>(
      `with claimed as (delete from audit_pending where id in (select id from audit_pending order by id limit ?) returning *)
       select claimed.*, e.seq as last_seq, e.hash as last_hash, c.seq as cp_seq, c.keyed_from as cp_keyed_from, c.at as cp_at
       from claimed
       left join (select seq, hash from audit_entry order by seq desc limit 1) e on true
       left join (select seq, keyed_from, at from audit_checkpoint order by seq desc limit 1) c on true
       order by claimed.id`,
      [CHAIN_BATCH],
    );
    if (pending.length === 0) return 0;
    const state = { ...pending[0]!, seq: pending[0]!.last_seq, hash: pending[0]!.last_hash };
    let seq = state?.seq ? Number(state.seq) : 0;
    let prevHash = state?.hash ?? GENESIS_HASH;
    // Signed checkpoints: at the very first keyed row (it marks the switch-over: every row from
    // it on must be keyed), then every CHECKPOINT_ROWS rows and at least every CHECKPOINT_MS.
    const points: { seq: number; hash: string; keyedFrom: number; at: Date }[] = [];
    const keyedFrom = state?.cp_seq ? Number(state.cp_keyed_from) : seq + 1;
    const params: unknown[] = [];
    const values: string[] = [];
    for (const row of pending) {
      const fields: AuditFields = {
        seq: ++seq, at: new Date(row.at), actorAccountId: row.actor_account_id, actor: row.actor, action: row.action,
        entityType: row.entity_type, entityId: row.entity_id, before: row.before ?? null, after: row.after ?? null, prevHash,
      };
      prevHash = keyedHashAuditEntry(secret, fields);
      if (!state?.cp_seq && points.length === 0) points.push({ seq, hash: prevHash, keyedFrom, at: fields.at });
      values.push('(?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)');
      params.push(fields.seq, fields.at, fields.actorAccountId, fields.actor, fields.action, fields.entityType, fields.entityId,
        fields.before === null ? null : JSON.stringify(fields.before), fields.after === null ? null : JSON.stringify(fields.after),
        fields.prevHash, prevHash, KEYED);
    }
    const at = new Date(pending.at(-1)!.at);
    // The head, kept beside the chain, reveals rows cut off its end (which the chain alone cannot).
    const head = JSON.stringify({ seq, hash: prevHash, signature: signHead(secret, { seq, hash: prevHash }) });
    params.push(AUDIT_HEAD_KEY, head, at);
    const previous = points[0] ?? (state?.cp_seq ? { seq: Number(state.cp_seq), at: new Date(state.cp_at!) } : null);
    if (previous && previous.seq !== seq
      && (Math.floor(seq / CHECKPOINT_ROWS) > Math.floor(previous.seq / CHECKPOINT_ROWS) || at.getTime() - previous.at.getTime() >= CHECKPOINT_MS)) {
      points.push({ seq, hash: prevHash, keyedFrom, at });
    }
    let checkpoint = '';
    if (points.length) {
      checkpoint = `, checkpoint as (insert into audit_checkpoint (seq, hash, keyed_from, at, signature) values ${points.map(() => '(?, ?, ?, ?, ?)').join(', ')} returning 1)`;
      for (const point of points) params.push(point.seq, point.hash, point.keyedFrom, point.at, signCheckpoint(secret, point));
    }
    await tx.execute(
      `with entries as (insert into audit_entry (${COLUMNS}) values ${values.join(', ')} returning 1),
       head as (insert into system_setting (key, value, updated_at) values (?, ?::jsonb, ?)
                on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at returning 1)${checkpoint}
       select count(*) as n from entries`,
      params,
    );
    return pending.length;
  });
}

/**
 * Chains pending audit rows after every commit of a transaction that wrote some (MikroORM
 * subscriber, one per ORM). Runs coalesce: a commit during a run waits for that run and one
 * more, which takes everything committed meanwhile; so N concurrent changes cost about two runs.
 */
export class AuditChainer implements EventSubscriber {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** A savepoint that wrote pending rows was released: the enclosing commit chains them. */
  private nested = false;

  async afterTransactionCommit(args: TransactionEventArgs): Promise<void> {
    const ctx = args.transaction as (object & { savepointName?: string }) | undefined;
    const wrote = ctx !== undefined && wrotePending.has(ctx);
    if (ctx?.savepointName) {
      if (wrote) this.nested = true;
      return;
    }
    if (!wrote && !this.nested) return;
    this.nested = false;
    await this.chain(args.em as EntityManager);
  }

  /** Resolves once every row pending when it was called is chained (or a run failed: they stay pending for the next). */
  chain(em: EntityManager): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.run(em);
    this.queued = this.running.then(() => {
      this.queued = null;
      return this.run(em);
    });
    return this.queued;
  }

  private run(em: EntityManager): Promise<void> {
    this.running = (async () => {
      while ((await chainPendingAudit(em)) === CHAIN_BATCH);
    })()
      // The change is committed and its audit rows are safe in audit_pending: the next run
      // (the next audited change anywhere, or /audit/verify) chains them.
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
