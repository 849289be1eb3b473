// `npm start` as a user runs it: everything comes up on embedded defaults, /readyz turns 200,
// SIGTERM stops it all with nothing left running, and a second start finds the data again.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../db/embedded-postgres.ts';
import { projectRoot } from '../../config/config.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'entry/start.ts')], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return { child, url, output: () => output };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`not ready within 120 s:\n${output}`);
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  return await exited;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('serves, stops cleanly on SIGTERM, and finds its data on the next start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'start-test-'));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      DEVSERVER_PORT: String(await freePort()),
    };

    const first = await start(env);
    expect(first.output()).toContain(`API   ${first.url}`);
    const docs = (await fetch(`${first.url}/docs/json`).then((r) => r.json())) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toContain('/readyz');
    const postgresPid = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const dbUrl = `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/party_cycles`;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(`insert into system_setting (key, value, updated_at) values ('start-test', '"kept"', now())`);
    await client.end();

    const stoppedAt = Date.now();
    expect(await stop(first)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(alive(postgresPid)).toBe(false);
    expect(first.output()).toMatch(/"part":"embedded postgres".*"msg":"stopped"/);

    const second = await start(env);
    const again = new pg.Client({ connectionString: dbUrl });
    await again.connect();
    const { rows } = await again.query(`select value from system_setting where key = 'start-test'`);
    await again.end();
    expect(rows).toEqual([{ value: 'kept' }]);
    expect(await stop(second)).toBe(0);
  }, 180_000);
});
