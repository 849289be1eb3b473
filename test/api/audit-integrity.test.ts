// The audit log against the database's own administrator: someone who can disable triggers,
// rewrite rows, recompute hashes and restore backups, but does not hold the audit secret (kept
// outside the database, with a copy of the signed checkpoints). Every rewrite below is done the way such a person would, and /audit/verify must
// name the first seq that is no longer what the service wrote.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { GENESIS_HASH, hashAuditEntry, keyedHashAuditEntry, signHead, type AuditFields } from '../../domain/audit/chain.ts';
import { CHECKPOINT_ROWS } from '../../domain/audit/record.ts';
import { AUDIT_CHECKPOINT_FILE, bindAuditKey } from '../../domain/audit/key.ts';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

let app: TestApp;
let world: World;

/** As the database's administrator: every statement may disable the log's triggers. */
async function asDba<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: app.db.adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const TRIGGERS = ['audit_entry_no_update_delete', 'audit_entry_no_truncate'];
const CHECKPOINT_TRIGGERS = ['audit_checkpoint_no_update_delete', 'audit_checkpoint_no_truncate'];

async function withoutTriggers(client: pg.Client, sql: () => Promise<void>): Promise<void> {
  await client.query('begin');
  for (const t of TRIGGERS) await client.query(`alter table audit_entry disable trigger ${t}`);
  for (const t of CHECKPOINT_TRIGGERS) await client.query(`alter table audit_checkpoint disable trigger ${t}`);
  await sql();
  for (const t of TRIGGERS) await client.query(`alter table audit_entry enable trigger ${t}`);
  for (const t of CHECKPOINT_TRIGGERS) await client.query(`alter table audit_checkpoint enable trigger ${t}`);
  await client.query('commit');
}

type Row = AuditFields & { hash: string; hashVersion: number };

async function readRows(client: pg.Client, fromSeq = 1): Promise<Row[]> {
  const { rows } = await client.query('select * from audit_entry where seq >= $1 order by seq', [fromSeq]);
  return rows.map((r) => ({
    seq: Number(r.seq), at: r.at, actorAccountId: r.actor_account_id, actor: r.actor, action: r.action, entityType: r.entity_type,
    entityId: r.entity_id, before: r.before, after: r.after, prevHash: r.prev_hash, hash: r.hash, hashVersion: r.hash_version,
  }));
}

/**
 * The rewrite of the issue: change one row, re-hash it and every later row with `rehash`, and
 * update the recorded head to the new last hash. Optionally mark the rows with another version.
 */
async function rewriteChain(client: pg.Client, seq: number, rehash: (fields: AuditFields) => string, version?: number): Promise<void> {
  await withoutTriggers(client, async () => {
    const rows = await readRows(client, seq);
    const [previous] = (await client.query('select hash from audit_entry where seq = $1', [seq - 1])).rows;
    let prevHash: string = previous?.hash ?? GENESIS_HASH;
    for (const row of rows) {
      const fields: AuditFields = { ...row, prevHash, after: row.seq === seq ? { ...(row.after as object), tampered: '被篡改' } : row.after };
      delete (fields as Partial<Row>).hash;
      delete (fields as Partial<Row>).hashVersion;
      const hash = rehash(fields);
      await client.query('update audit_entry set after = $1, prev_hash = $2, hash = $3, hash_version = $4 where seq = $5', [JSON.stringify(fields.after), prevHash, hash, version ?? row.hashVersion, row.seq]);
      prevHash = hash;
    }
    const last = rows.at(-1)!;
    const { rows: [head] } = await client.query(`select value from system_setting where key = 'audit.head'`);
    await client.query(`update system_setting set value = $1 where key = 'audit.head'`, [JSON.stringify({ ...head.value, seq: last.seq, hash: prevHash })]);
  });
}

const verify = async () => (await app.server.inject({ method: 'GET', url: '/audit/verify', headers: bearer(world.tokens.admin!) })).json();

/** Some audited changes through the API (each writes one row). */
async function changes(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await app.server.inject({ method: 'PATCH', url: `/units/${world.communityA.id}`, headers: bearer(world.tokens.orgDept!), payload: { name: `甲社区${i}` } });
    expect(res.statusCode).toBe(200);
  }
}

interface LogCopy { entries: Record<string, unknown>[]; checkpoints: Record<string, unknown>[]; head: unknown }

/** The log as it is now, to put back after a test has tampered with it. */
const copyLog = () => asDba(async (c): Promise<LogCopy> => ({
  entries: (await c.query('select * from audit_entry order by seq')).rows,
  checkpoints: (await c.query('select * from audit_checkpoint order by seq')).rows,
  head: (await c.query(`select value from system_setting where key = 'audit.head'`)).rows[0]?.value ?? null,
}));

const restoreLog = (copy: LogCopy) => asDba((c) => withoutTriggers(c, async () => {
  await c.query('delete from audit_entry');
  await c.query('delete from audit_checkpoint');
  for (const [table, rows] of [['audit_entry', copy.entries], ['audit_checkpoint', copy.checkpoints]] as const) {
    for (const row of rows) {
      const columns = Object.keys(row);
      const values = columns.map((k) => (k === 'before' || k === 'after') && row[k] !== null ? JSON.stringify(row[k]) : row[k]);
      await c.query(`insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values);
    }
  }
  await c.query(`update system_setting set value = $1 where key = 'audit.head'`, [JSON.stringify(copy.head)]);
}));

let pristine: LogCopy;
/** Each case tampers with the same log, put back as it was before it. */
async function untampered(): Promise<void> {
  await restoreLog(pristine);
  expect(await verify()).toMatchObject({ ok: true });
}

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

describe('the keyed chain against a rewrite by the database administrator', () => {
  it('stores keyed rows and a signed head, and verifies them', async () => {
    await changes(3);
    pristine = await copyLog();
    const rows = await asDba((c) => readRows(c));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => r.hashVersion))).toEqual(new Set([2]));
    // Anyone can compute the unkeyed hash; it is not what is stored.
    expect(rows[0]!.hash).not.toBe(hashAuditEntry({ ...rows[0]!, prevHash: GENESIS_HASH }));
    expect(await verify()).toMatchObject({ ok: true, checked: rows.length, lastSeq: rows.length, checkpoints: 1 });
  });

  it('finds a row changed, every later row re-hashed and the head updated (no secret needed before)', async () => {
    const [target] = await asDba((c) => readRows(c, 2));
    await asDba((c) => rewriteChain(c, target!.seq, hashAuditEntry));
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenSeq: target!.seq, checked: target!.seq - 1 });
    expect(result.reason).toMatch(/re-hashed without the secret/);
  });

  it('finds the same rewrite done with a guessed secret, or marked as unkeyed rows', async () => {
    await untampered();
    await asDba((c) => rewriteChain(c, 3, (f) => keyedHashAuditEntry(randomBytes(32), f)));
    expect(await verify()).toMatchObject({ ok: false, brokenSeq: 3 });

    await untampered();
    // Downgraded to the unkeyed version the old rows use, so the plain SHA-256 would check out.
    await asDba((c) => rewriteChain(c, 3, hashAuditEntry, 1));
    const downgraded = await verify();
    expect(downgraded).toMatchObject({ ok: false, brokenSeq: 3 });
    expect(downgraded.reason).toMatch(/marked unkeyed, but keyed hashes began at seq 1/);
  });

  it('finds the checkpoints deleted, and a head without its signature', async () => {
    await untampered();
    await asDba((c) => withoutTriggers(c, async () => {
      await c.query('delete from audit_checkpoint');
    }));
    expect(await verify()).toMatchObject({ ok: false, brokenSeq: 1, reason: 'keyed rows exist but their signed checkpoints are missing: they were deleted' });

    await untampered();
    await asDba((c) => c.query(`update system_setting set value = value - 'signature' where key = 'audit.head'`));
    expect((await verify()).reason).toMatch(/head is not signed/);
  });
});

describe('signed checkpoints', () => {
  it(`are written every ${CHECKPOINT_ROWS} rows, and find rows cut off the end with the head moved back`, async () => {
    await untampered();
    const before = (await verify()).checked as number;
    await changes(CHECKPOINT_ROWS + 5 - before);
    pristine = await copyLog();
    const ok = await verify();
    expect(ok).toMatchObject({ ok: true, checked: CHECKPOINT_ROWS + 5, checkpoints: 2 });
    const checkpoints = await asDba(async (c) => (await c.query('select seq from audit_checkpoint order by seq')).rows.map((r) => Number(r.seq)));
    expect(checkpoints).toHaveLength(2);
    expect(checkpoints[1]).toBeGreaterThanOrEqual(CHECKPOINT_ROWS);

    // Cut everything after the first checkpoint and set the head back to that row, as it once was.
    const keep = checkpoints[1]! - 1;
    await asDba((c) => withoutTriggers(c, async () => {
      const { rows: [row] } = await c.query('select hash from audit_entry where seq = $1', [keep]);
      await c.query('delete from audit_entry where seq > $1', [keep]);
      await c.query(`update system_setting set value = jsonb_set(jsonb_set(value, '{seq}', $1::jsonb), '{hash}', $2::jsonb) where key = 'audit.head'`, [String(keep), JSON.stringify(row.hash)]);
    }));
    const cut = await verify();
    expect(cut).toMatchObject({ ok: false, checked: keep, brokenSeq: keep + 1 });
    expect(cut.reason).toMatch(/signed checkpoint vouches for seq \d+: rows are missing at the end/);

    // Deleting that checkpoint too leaves the head's signature and the missing checkpoint.
    await asDba((c) => withoutTriggers(c, async () => {
      await c.query('delete from audit_checkpoint where seq > $1', [keep]);
    }));
    const again = await verify();
    expect(again.ok).toBe(false);
    expect(again.reason).toMatch(/head is not signed|checkpoint for seq 100 is missing/);
  });

  it('refuse a forged checkpoint', async () => {
    await untampered();
    await asDba((c) => c.query(`insert into audit_checkpoint (seq, hash, keyed_from, at, signature) values (50, 'ab', 1, now(), $1)`, ['0'.repeat(64)]));
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenSeq: 50 });
    expect(result.reason).toMatch(/checkpoint at seq 50 is not signed/);
  });
});

describe('the checkpoints copied outside the database', () => {
  const secret = () => Buffer.from(process.env.AUDIT_SECRET!);
  const file = () => path.join(app.dataDir, AUDIT_CHECKPOINT_FILE);
  afterAll(() => bindAuditKey(app.orm.config, { secret: secret(), source: 'AUDIT_SECRET', checkpointFile: null }));

  it('find a log cut back to an older state together with its checkpoints and head, as a backup would restore it', async () => {
    await untampered();
    bindAuditKey(app.orm.config, { secret: secret(), source: 'AUDIT_SECRET', checkpointFile: file() });
    expect(await verify()).toMatchObject({ ok: true, checkpoints: 2 });
    const copied = (await readFile(file(), 'utf8')).trim().split('\n').map((line) => JSON.parse(line).seq);
    expect(copied).toEqual([1, CHECKPOINT_ROWS]);
    expect((await stat(file())).mode & 0o777).toBe(0o600);

    // The database as a backup taken at seq 99 held it: rows, checkpoints and the signed head of then.
    await asDba((c) => withoutTriggers(c, async () => {
      const { rows: [row] } = await c.query('select hash from audit_entry where seq = 99');
      await c.query('delete from audit_entry where seq > 99');
      await c.query('delete from audit_checkpoint where seq > 99');
      await c.query(`update system_setting set value = $1 where key = 'audit.head'`, [JSON.stringify({ seq: 99, hash: row.hash, signature: signHead(secret(), { seq: 99, hash: row.hash }) })]);
    }));
    // The database alone cannot tell; the copy outside it can.
    bindAuditKey(app.orm.config, { secret: secret(), source: 'AUDIT_SECRET', checkpointFile: null });
    expect(await verify()).toMatchObject({ ok: true, lastSeq: 99 });
    bindAuditKey(app.orm.config, { secret: secret(), source: 'AUDIT_SECRET', checkpointFile: file() });
    const rolledBack = await verify();
    expect(rolledBack).toMatchObject({ ok: false, brokenSeq: CHECKPOINT_ROWS });
    expect(rolledBack.reason).toMatch(/kept in .*audit-checkpoints\.jsonl, is missing from the database: the log was rolled back or cut/);
  });

  it('refuse a copy whose lines were changed', async () => {
    await untampered();
    const lines = (await readFile(file(), 'utf8')).trim().split('\n');
    await writeFile(file(), `${lines.map((line, i) => (i === 0 ? line.replace(/"hash":"[0-9a-f]/, '"hash":"x') : line)).join('\n')}\n`);
    expect((await verify()).reason).toMatch(/line 1 of .* is not a checkpoint signed with the audit secret/);
  });
});

describe('rows written before the audit secret', () => {
  it('still verify, and the chain switches to keyed rows after them', async () => {
    // Three rows as the service wrote them before keyed hashes: unkeyed SHA-256, an unsigned head.
    await asDba(async (c) => {
      await withoutTriggers(c, async () => {
        await c.query('delete from audit_entry');
        await c.query('delete from audit_checkpoint');
        let prevHash = GENESIS_HASH;
        for (let seq = 1; seq <= 3; seq++) {
          const fields: AuditFields = { seq, at: new Date(Date.UTC(2026, 10, 20, 8, seq)), actorAccountId: null, actor: 'system', action: 'unit.create', entityType: 'unit', entityId: world.communityA.id, before: null, after: { n: seq }, prevHash };
          const hash = hashAuditEntry(fields);
          await c.query('insert into audit_entry (seq, at, actor_account_id, actor, action, entity_type, entity_id, before, after, prev_hash, hash, hash_version) values ($1, $2, null, $3, $4, $5, $6, null, $7, $8, $9, 1)',
            [seq, fields.at, fields.actor, fields.action, fields.entityType, fields.entityId, JSON.stringify(fields.after), prevHash, hash]);
          prevHash = hash;
        }
        await c.query(`update system_setting set value = $1 where key = 'audit.head'`, [JSON.stringify({ seq: 3, hash: prevHash })]);
      });
    });
    expect(await verify()).toMatchObject({ ok: true, checked: 3, lastSeq: 3, checkpoints: 0 });

    await changes(2);
    expect(await verify()).toMatchObject({ ok: true, checked: 5, lastSeq: 5, checkpoints: 1 });
    const versions = await asDba(async (c) => (await c.query('select seq, hash_version from audit_entry order by seq')).rows.map((r) => r.hash_version));
    expect(versions).toEqual([1, 1, 1, 2, 2]);
    const [checkpoint] = await asDba(async (c) => (await c.query('select seq, keyed_from from audit_checkpoint')).rows);
    expect(checkpoint).toEqual({ seq: '4', keyed_from: '4' });
  });

  it('a rewrite of an old row is found: the first keyed row vouches for the rows before it', async () => {
    await asDba((c) => rewriteChain(c, 2, hashAuditEntry));
    expect(await verify()).toMatchObject({ ok: false, brokenSeq: 4 });
  });
});

describe('triggers', () => {
  it('refuse UPDATE, DELETE and TRUNCATE on the log and its checkpoints', async () => {
    await untampered();
    for (const url of [app.db.url, app.db.adminUrl]) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await expect(client.query('truncate audit_entry')).rejects.toThrow(/append-only/);
        await expect(client.query('truncate audit_checkpoint')).rejects.toThrow(/append-only/);
        await expect(client.query('delete from audit_entry')).rejects.toThrow(/append-only/);
        await expect(client.query(`update audit_entry set actor = 'x'`)).rejects.toThrow(/append-only/);
        await expect(client.query('delete from audit_checkpoint')).rejects.toThrow(/append-only/);
        await expect(client.query(`update audit_checkpoint set hash = 'x'`)).rejects.toThrow(/append-only/);
      } finally {
        await client.end();
      }
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe('changes audited at the same time', () => {
  it('share chain runs instead of one lock: every row is chained when its change answers, and the chain verifies', async () => {
    await untampered();
    const rowsOf = async () => asDba(async (c) => Number((await c.query('select count(*) from audit_entry where entity_id = $1', [world.communityA.id])).rows[0].count));
    const before = await rowsOf();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => app.server.inject({
      method: 'PATCH', url: `/units/${world.communityA.id}`, headers: bearer(world.tokens.orgDept!), payload: { name: `并发社区${i}` },
    })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(200));
    expect(await rowsOf()).toBe(before + 12);
    expect(await asDba(async (c) => Number((await c.query('select count(*) from audit_pending')).rows[0].count))).toBe(0);
    const seqs = await asDba(async (c) => (await c.query('select seq from audit_entry order by seq')).rows.map((r) => Number(r.seq)));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await verify()).toMatchObject({ ok: true, checked: seqs.length });
  });

  it('a row committed but left unchained (its process stopped in between) joins the chain at the next verify', async () => {
    const lastSeq = (await verify()).lastSeq as number;
    await asDba((c) => c.query(
      `insert into audit_pending (at, actor, action, entity_type, entity_id, after) values (now(), 'system', 'test.orphan', 'unit', $1, '{"left":"pending"}')`,
      [world.communityA.id],
    ));
    const after = await verify();
    expect(after).toMatchObject({ ok: true, lastSeq: lastSeq + 1 });
    const [row] = await asDba((c) => readRows(c, lastSeq + 1));
    expect(row).toMatchObject({ action: 'test.orphan', after: { left: 'pending' } });
  });
});
