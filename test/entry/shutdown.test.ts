// `npm start` stopped the way people stop it, several times over: Ctrl-C in a terminal (SIGINT
// to the whole process group) and SIGTERM (a service manager). Every time everything stops
// within 5 s, PostgreSQL included, with exit code 0 and no error line.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../db/embedded-postgres.ts';
import { projectRoot } from '../../config/config.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Lines a person would read as an error: pino error/fatal, or anything on stderr that is not a log line. */
function errorLines(stdout: string, stderr: string): string[] {
  const logged = stdout.split('\n').filter((line) => /^\{.*"level":(50|60)/.test(line));
  const loose = stderr.split('\n').filter((line) => line.trim() !== '' && !/^\{.*"level":(10|20|30|40)[,}]/.test(line));
  return [...logged, ...loose];
}

describe('stopping npm start', () => {
  it('Ctrl-C and SIGTERM stop everything within 5 s with no error line, every time', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shutdown-test-'));
    dirs.push(dataDir);
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      DEVSERVER_PORT: String(await freePort()),
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGINT', 'SIGTERM'] as const;
    for (const [round, signal] of signals.entries()) {
      // Its own process group, as a shell gives a foreground job: Ctrl-C signals the whole group.
      const child = spawn(process.execPath, [path.join(projectRoot, 'entry/start.ts')], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 120_000;
      while (!(await fetch(`http://127.0.0.1:${env.PORT}/readyz`).then((r) => r.ok, () => false))) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`round ${round}: not ready:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const postgres = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

      const stoppedAt = Date.now();
      if (signal === 'SIGINT') process.kill(-child.pid!, 'SIGINT');
      else child.kill('SIGTERM');
      const code = await exited;
      const took = Date.now() - stoppedAt;

      expect({ round, signal, code, errors: errorLines(stdout, stderr) }).toEqual({ round, signal, code: 0, errors: [] });
      expect(took).toBeLessThan(5000);
      expect(alive(postgres)).toBe(false);
      // Nothing of the process group is left (workers, the devserver, a browser).
      expect(alive(-child.pid!)).toBe(false);
      expect(stdout).toMatch(/"part":"embedded postgres".*"msg":"stopped"/);
    }
  }, 600_000);
});
