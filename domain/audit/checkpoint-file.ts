// The signed checkpoints, copied out of the database into a file under DATA_DIR. A checkpoint
// cannot be forged without the audit secret, but whoever administers the database can delete
// the newest ones together with the rows after them and put back an older signed head (from a
// backup): the log then looks whole. The copy outside the database still names those rows.
// Copying is safe at any time, whatever state the database is in: only checkpoints whose
// signature holds are copied, and a line is never rewritten.
import { appendFile, readFile } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDigest, signCheckpoint, type AuditCheckpoint } from './chain.ts';
import { auditKeyOf } from './key.ts';

export interface FiledCheckpoint extends AuditCheckpoint {
  signature: string;
}

/** The checkpoints in the file, by seq (missing file: none). A line that does not parse or whose signature fails is reported. */
export async function readCheckpointFile(file: string, secret: Buffer): Promise<{ checkpoints: FiledCheckpoint[]; bad: number | null }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], bad: null };
    throw error;
  }
  const bySeq = new Map<number, FiledCheckpoint>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let entry: FiledCheckpoint;
    try {
      const raw = JSON.parse(line) as { seq: number; hash: string; keyedFrom: number; at: string; signature: string };
      entry = { seq: raw.seq, hash: raw.hash, keyedFrom: raw.keyedFrom, at: new Date(raw.at), signature: raw.signature };
    } catch {
      return { checkpoints: [], bad: index + 1 };
    }
    if (!sameDigest(entry.signature, signCheckpoint(secret, entry))) return { checkpoints: [], bad: index + 1 };
    bySeq.set(entry.seq, entry);
  }
  return { checkpoints: [...bySeq.values()].sort((a, b) => a.seq - b.seq), bad: null };
}

/** Appends to the file the database's genuine checkpoints newer than its last line; returns how many. */
export async function copyCheckpointsOut(em: EntityManager): Promise<number> {
  const { secret, checkpointFile } = auditKeyOf(em);
  if (!checkpointFile) return 0;
  const { checkpoints } = await readCheckpointFile(checkpointFile, secret);
  const after = checkpoints.at(-1)?.seq ?? 0;
  const rows = await em.fork().execute<Record<string, unknown>[]>('select seq, hash, keyed_from, at, signature from audit_checkpoint where seq > ? order by seq', [after]);
  const lines: string[] = [];
  for (const row of rows) {
    const checkpoint = { seq: Number(row.seq), hash: row.hash as string, keyedFrom: Number(row.keyed_from), at: new Date(row.at as string | Date) };
    if (!sameDigest(row.signature, signCheckpoint(secret, checkpoint))) continue;
    lines.push(JSON.stringify({ ...checkpoint, at: checkpoint.at.toISOString(), signature: row.signature }));
  }
  // One write in append mode: processes sharing DATA_DIR may both copy a checkpoint; reading keeps one per seq.
  if (lines.length > 0) await appendFile(checkpointFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  return lines.length;
}
