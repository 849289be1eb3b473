// The audit log's secret: the HMAC key of every row's hash, of the recorded head and of the
// signed checkpoints. It is kept outside the database on purpose: whoever administers the
// database can rewrite rows and recompute plain hashes, but not without this key.
// From AUDIT_SECRET, or else a file under DATA_DIR created once with mode 0600.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface AuditKey {
  secret: Buffer;
  /** Where it came from, for messages: "AUDIT_SECRET" or the file's path. */
  source: string;
  /**
   * A copy of the signed checkpoints kept outside the database (DATA_DIR/audit-checkpoints.jsonl),
   * so a log rolled back or cut together with its checkpoints is still found; null: none.
   */
  checkpointFile: string | null;
}

export const AUDIT_SECRET_FILE = 'audit-secret';
export const AUDIT_CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
const MIN_LENGTH = 32;

export function auditKeyFromSecret(secret: string, source = 'AUDIT_SECRET', checkpointFile: string | null = null): AuditKey {
  if (secret.length < MIN_LENGTH) throw new Error(`${source} must be at least ${MIN_LENGTH} characters`);
  return { secret: Buffer.from(secret, 'utf8'), source, checkpointFile };
}

/** AUDIT_SECRET when given, else DATA_DIR/audit-secret (created with 64 random hex characters on first start). */
export async function loadAuditKey(options: { secret?: string; dataDir: string }): Promise<AuditKey> {
  await mkdir(options.dataDir, { recursive: true });
  const checkpointFile = path.join(options.dataDir, AUDIT_CHECKPOINT_FILE);
  if (options.secret) return auditKeyFromSecret(options.secret, 'AUDIT_SECRET', checkpointFile);
  const file = path.join(options.dataDir, AUDIT_SECRET_FILE);
  let text = await readIfPresent(file);
  if (text === null) {
    // Written aside and linked into place, so an API and a worker starting together on one
    // DATA_DIR agree on one secret and neither ever reads a half-written file.
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(aside, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      await link(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(aside, { force: true });
    }
    text = (await readIfPresent(file))!;
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return auditKeyFromSecret(text.trim(), file, checkpointFile);
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// The key belongs to the ORM it was given to (initOrm), so every EntityManager forked from it
// finds it without each caller of recordAudit passing it along.
const keys = new WeakMap<object, AuditKey>();

export function bindAuditKey(ormConfig: object, key: AuditKey): void {
  keys.set(ormConfig, key);
}

export function auditKeyOf(em: { config: object }): AuditKey {
  const key = keys.get(em.config);
  if (!key) throw new Error('no audit secret is bound to this ORM: pass auditKey to initOrm (loadAuditKey reads AUDIT_SECRET or DATA_DIR/audit-secret)');
  return key;
}
