// The embedded database's lifecycle: first start, restart with data kept, a stale
// postmaster.pid, and an orphaned postgres left behind by a SIGKILLed run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres } from '../../db/embedded-postgres.ts';

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

describe('embedded PostgreSQL', () => {
  it('initialises, keeps data across a restart', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'app' });
    await query(first.url, 'create table kept (v text); insert into kept values (\'第一次\')');
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
    const port = await freePort();
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve('db/embedded-postgres.ts'))};
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: 'app' });
      console.log('up');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('up') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const orphanPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(alive(orphanPid)).toBe(true);

    const pgRun = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'app' });
    expect(alive(orphanPid)).toBe(false);
    expect(await query(pgRun.url, 'select v from kept')).toEqual([{ v: '第一次' }]);
    await pgRun.stop();
  });
});
