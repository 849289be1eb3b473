// The postmaster's process: initdb on first start, the postmaster in its own process group with
// its exit watched from the start, its stop (fast, then immediate, then kill), and the clean-up
// after a killed run (stale postmaster.pid, orphaned postmaster of our data folder).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { RunAs } from './binaries.ts';
import { SUPERUSER } from './roles.ts';

const READY = 'database system is ready to accept connections';
const STOP_GRACE_MS = 3000;

function spawnAs(file: string, args: string[], runAs: RunAs | null, detached: boolean): ChildProcess {
  return spawn(file, args, {
    ...(runAs ?? {}),
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C', LANGUAGE: '' },
  });
}

export async function initdb(binaries: string, dataDir: string, runAs: RunAs | null, log: (m: string) => void): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const passwordFile = path.join(path.dirname(dataDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${SUPERUSER.password}\n`, { mode: 0o600 });
  if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
  try {
    const child = spawnAs(path.join(binaries, 'bin', 'initdb'), [
      `--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER.user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--lc-messages=C',
    ], runAs, false);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.trim()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

export interface Postmaster {
  pid: number;
  stop(): Promise<void>;
}

export async function startPostmaster(binaries: string, dataDir: string, port: number, runAs: RunAs | null, log: (m: string) => void): Promise<Postmaster> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await startOnce(binaries, dataDir, port, runAs, log);
    } catch (error) {
      const message = (error as Error).message;
      // The backends of a postmaster killed a moment ago still hold its shared memory, or its pid
      // file came back: give them a moment to exit, then clear what they left.
      const transient = /shared memory block is still in use|lock file "postmaster\.pid" already exists/.test(message);
      if (!transient || Date.now() > deadline) throw error;
      log(`embedded PostgreSQL: ${message.split('\n')[0]}; retrying`);
      await new Promise((r) => setTimeout(r, 300));
      await recoverFromKilledRun(dataDir, log);
    }
  }
}

async function startOnce(binaries: string, dataDir: string, port: number, runAs: RunAs | null, log: (m: string) => void): Promise<Postmaster> {
  // A process group of its own: Ctrl-C in a terminal signals the service, not the database
  // under it; the service stops it last, after its connections are closed.
  const child = spawnAs(path.join(binaries, 'bin', 'postgres'), [
    '-D', dataDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200',
  ], runAs, true);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded PostgreSQL did not become ready on port ${port} within 60 s: ${recent.join('').trim()}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      recent.push(text);
      if (recent.length > 20) recent.shift();
      log(text.trimEnd());
      if (text.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL could not be started: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL failed to start on port ${port} (exit ${code ?? signal}): ${recent.join('').trim()}`));
    });
  });

  // If the process ends without stop() (an uncaught error, process.exit), ask the postmaster
  // for a fast shutdown so it does not outlive us; a SIGKILLed process is handled at the next start.
  const onExit = () => {
    try {
      child.kill('SIGINT');
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        // SIGINT: fast shutdown (sessions ended, data flushed); then immediate, then kill.
        child.kill('SIGINT');
        if (await within(exited, STOP_GRACE_MS)) return;
        child.kill('SIGQUIT');
        if (await within(exited, 1000)) return;
        child.kill('SIGKILL');
        await exited;
      })();
      return stopping;
    },
  };
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([promise.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return result;
}

/**
 * A killed run leaves either a postmaster.pid naming a dead process (or a process reused
 * since) or a live orphaned postmaster still holding the data directory. Remove the first,
 * shut the second down.
 */
export async function recoverFromKilledRun(dataDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && (await isPostgresOf(pid, dataDir))) {
    log(`stopping orphaned postgres (pid ${pid}) left by an earlier run`);
    // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, data is flushed.
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 15_000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  if (existsSync(pidFile)) {
    log(`removing stale ${pidFile}`);
    await rm(pidFile, { force: true });
  }
}

async function isPostgresOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return path.basename(cmdline[0] ?? '') === 'postgres' && cmdline.some((arg) => path.resolve(arg) === dataDir);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`embedded PostgreSQL cannot listen on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (set EMBEDDED_PG_PORT)' : error.message}`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A free TCP port on loopback, for tests and throwaway clusters. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
