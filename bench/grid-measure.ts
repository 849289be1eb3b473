// What bench/grid.ts measures besides wall time, so its figures survive a loaded machine (issue
// 18.6): CPU time by process and by thread, read from /proc, and the SQL statements sent.
// - This process: the main thread (API, devserver, the worker's JS side), the workflow thread
//   (the SDK's worker thread that runs workflow activations), the SDK's Rust core (tokio and
//   temporal threads), V8's helpers (GC, compiler) and libuv's pool; "exited" is what threads
//   that are gone took (the per-call watchdogs of vm.runInContext among them): the process's
//   total minus its live threads.
// - PostgreSQL: the postmaster, its live backends and, through the postmaster's cutime/cstime,
//   every backend that exited meanwhile (ps reads only the live ones, so exited backends' CPU
//   used to vanish from the count).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const TICK_S = 0.01; // USER_HZ: 100 on Linux
const THREAD_GROUPS: [string, RegExp][] = [
  ['main', /^MainThread$/],
  ['workflow', /^WorkerThread$/],
  ['core', /^(tokio|temporal|workflow-proces)/],
  ['v8', /^(V8|v8:)/],
  ['libuv', /^libuv/],
];

/** utime+stime (and, with `children`, cutime+cstime) of a /proc stat line, in seconds. */
function statSeconds(path: string, children = false): number {
  try {
    const text = readFileSync(path, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number); // f[0] is field 3 (state)
    return (f[11]! + f[12]! + (children ? f[13]! + f[14]! : 0)) * TICK_S;
  } catch {
    return 0;
  }
}

export interface CpuSample {
  /** This process by thread group (seconds), and its total. */
  node: Record<string, number> & { total: number };
  /** PostgreSQL's processes, exited backends included (seconds). */
  pg: number;
}

/** The postmaster: the child of this process whose command is postgres. */
function postmasters(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && stat.includes('(postgres)')) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function cpuSample(): CpuSample {
  const node: Record<string, number> & { total: number } = { total: statSeconds('/proc/self/stat') };
  for (const [name] of THREAD_GROUPS) node[name] = 0;
  let live = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const seconds = statSeconds(`/proc/self/task/${tid}/stat`);
    live += seconds;
    const group = THREAD_GROUPS.find(([, re]) => re.test(comm))?.[0] ?? 'other';
    node[group] = (node[group] ?? 0) + seconds;
  }
  node.exited = Math.max(0, node.total - live);
  let pg = 0;
  for (const postmaster of postmasters()) {
    pg += statSeconds(`/proc/${postmaster}/stat`, true);
    for (const backend of childrenOf(postmaster)) pg += statSeconds(`/proc/${backend}/stat`);
  }
  return { node, pg };
}

/** Resident memory (MB) of PostgreSQL's processes, read from /proc (no ps spawned every few seconds in the measured process). */
export function pgRssMb(): number {
  let pages = 0;
  for (const postmaster of postmasters()) {
    for (const pid of [postmaster, ...childrenOf(postmaster)]) {
      try {
        pages += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      } catch {
        // exited meanwhile
      }
    }
  }
  return Math.round((pages * 4096) / 1024 / 1024);
}

/** Milliseconds per matter between two samples, by group: "main 40, workflow 12, … | PostgreSQL 20". */
export function cpuPerMatter(a: CpuSample, b: CpuSample, matters: number): { text: string; nodeMs: number; pgMs: number } {
  const ms = (s: number) => (s * 1000) / matters;
  const groups = Object.keys(b.node).filter((k) => k !== 'total');
  const parts = groups.map((k) => `${k} ${ms((b.node[k] ?? 0) - (a.node[k] ?? 0)).toFixed(1)}`);
  const nodeMs = ms(b.node.total - a.node.total);
  const pgMs = ms(b.pg - a.pg);
  return { text: `node ${nodeMs.toFixed(0)} ms (${parts.join(', ')}) + PostgreSQL ${pgMs.toFixed(0)} ms`, nodeMs, pgMs };
}

/**
 * SQL statements sent to PostgreSQL, counted at both pg clients in this process (the devserver's store and the ORM's own copy):
 * the devserver's (its "temporal" schema), transaction control, and the service's (API and activities).
 */
export const statements = { devserver: 0, transaction: 0, service: 0 };
export const sqlTexts = new Map<string, number>();

export function countStatements(from: string, keepTexts: boolean): void {
  for (const origin of [from, createRequire(from).resolve('@mikro-orm/postgresql')]) {
    const Client = (createRequire(origin)('pg') as { Client: { prototype: { query: (...a: unknown[]) => unknown } } }).Client;
    const query = Client.prototype.query;
    if ((query as { counted?: boolean }).counted) continue;
    const counted = function (this: unknown, ...a: unknown[]) {
      const text = typeof a[0] === 'string' ? a[0] : String((a[0] as { text?: string } | undefined)?.text ?? '');
      if (text.includes('"temporal".')) statements.devserver += 1;
      else if (/^\s*(begin|commit|rollback|savepoint|release)/i.test(text)) statements.transaction += 1;
      else statements.service += 1;
      if (keepTexts) {
        const key = text.slice(0, 110).replace(/\s+/g, ' ');
        sqlTexts.set(key, (sqlTexts.get(key) ?? 0) + 1);
      }
      return query.apply(this, a);
    };
    Object.assign(counted, { counted: true });
    Client.prototype.query = counted;
  }
}
