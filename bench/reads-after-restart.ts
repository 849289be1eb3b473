// Benchmark of reading a dual-commitment set right after the service restarts (issue 11,
// finding 2: it took 60 s after a restart while the query waited on the dead worker). Runs
// `npm start` (entry/start.ts: embedded PostgreSQL, devserver, worker, API) as a child process on
// the demo district, starts a cycle for one enterprise and submits its set (so its workflow has
// a sticky worker), then restarts the service twice, gracefully (SIGTERM) and with SIGKILL of
// its process group, and from the moment the new API answers reads GET /dual-commitments/sets/{id}
// for a while from a few concurrent clients. Prints p50/p99/max per phase and the load average.
//   npm run bench:reads -- [seconds per phase, default 15]
// Env: BENCH_CLIENTS (default 4) concurrent readers; BENCH_KEEP=1 keeps the data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.argv[2] ?? 15);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-reads-'));
const [apiPort, pgPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
const API = `http://127.0.0.1:${apiPort}`;
const serviceEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(apiPort), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort), DEVSERVER_PORT: String(temporalPort), LOG_LEVEL: 'warn', SEED_DEMO: 'true' };

let service: ChildProcess | null = null;
let serviceLog = '';
function startService(): ChildProcess {
  const child = spawn(process.execPath, ['--max-old-space-size=1024', '--max-semi-space-size=8', path.join(root, 'entry/start.ts')], { cwd: root, env: serviceEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (c: Buffer) => (serviceLog = (serviceLog + c.toString()).slice(-4000)));
  child.stderr!.on('data', (c: Buffer) => (serviceLog = (serviceLog + c.toString()).slice(-4000)));
  return child;
}
async function stopService(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const child = service;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // SIGKILL reaches the whole process group (node and what it spawned in its group), as a crash would.
  if (signal === 'SIGKILL') process.kill(-child.pid!, 'SIGKILL');
  else child.kill('SIGTERM');
  await exited;
}

async function request(method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; json: any; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${API}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, ms };
}

/** Resolves once the API answers /healthz; the time it took. */
async function untilUp(ms = 180_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      if ((await fetch(`${API}/healthz`)).ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > ms) throw new Error(`the service did not come up within ${ms} ms:\n${serviceLog}`);
    await sleep(100);
  }
}

/** CLIENTS readers of the set for SECONDS; latencies of every read, and answers other than 200. */
async function readFor(token: string, setId: string): Promise<{ ms: number[]; failures: Record<string, number> }> {
  const ms: number[] = [];
  const failures: Record<string, number> = {};
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < until) {
      try {
        const answer = await request('GET', `/dual-commitments/sets/${setId}`, token);
        ms.push(answer.ms);
        if (answer.status !== 200) failures[String(answer.status)] = (failures[String(answer.status)] ?? 0) + 1;
      } catch (error) {
        failures[(error as Error).message] = (failures[(error as Error).message] ?? 0) + 1;
      }
    }
  }));
  return { ms, failures };
}

const report = (phase: string, result: { ms: number[]; failures: Record<string, number> }, extra = '') =>
  console.log(
    `${phase.padEnd(34)} reads ${String(result.ms.length).padStart(5)}  p50 ${percentile(result.ms, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(result.ms, 99).toFixed(1).padStart(7)} ms  max ${Math.max(...result.ms).toFixed(1).padStart(8)} ms  non-200 ${JSON.stringify(result.failures)}  load ${load()}${extra}`,
  );

try {
  console.log(`bench:reads  ${SECONDS} s per phase, ${CLIENTS} readers, ${os.cpus().length} cores, node ${process.version}, load ${load()}`);
  service = startService();
  await untilUp();
  const login = async (who: string) => {
    const answer = await request('POST', '/auth/login', undefined, { login: who, password: 'Demo@2026' });
    if (answer.status !== 200) throw new Error(`login ${who}: ${answer.status} ${JSON.stringify(answer.json)}`);
    return answer.json.accessToken as string;
  };
  const dept = await login('orgdept');
  const ent = await login('ent001');
  const shanghai = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const year = Number(shanghai(0).slice(0, 4));
  const orgId = (await request('GET', '/organizations', ent)).json.items[0].id as string;
  const started = await request('POST', '/dual-commitments/cycles', dept, { year, organizationIds: [orgId], settings: { submissionDeadline: shanghai(5), practiceEnd: shanghai(10), evaluationStart: shanghai(11), evaluationEnd: shanghai(20), publicationDays: 1 } });
  if (started.status !== 202) throw new Error(`cycle start: ${started.status} ${JSON.stringify(started.json)}`);
  for (let i = 0; i < 600 && !(await request('GET', `/dual-commitments/cycles/${started.json.id}`, dept)).json.start.done; i++) await sleep(100);
  const setId = (await request('GET', `/dual-commitments/sets?year=${year}`, ent)).json.items[0].id as string;
  const commitments = [
    { key: 'p1', side: 'party', title: '形势政策宣讲', content: '每季度组织职工宣讲', target: '全年宣讲4次', indicator: '宣讲≥4次', deadline: shanghai(8), responsiblePerson: { name: '王建国' } },
    { key: 'e1', side: 'enterprise', title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用', indicator: '面积≥30平方米', deadline: shanghai(8), responsiblePerson: { name: '李总' } },
  ];
  await request('PUT', `/dual-commitments/sets/${setId}/draft`, ent, { commitments });
  const submitted = await request('POST', `/dual-commitments/sets/${setId}/submit`, ent);
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.json)}`);
  report('running (worker up)', await readFor(ent, setId));

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    await stopService(signal);
    service = startService();
    const upMs = await untilUp();
    report(`right after restart (${signal})`, await readFor(ent, setId), `  (API up ${(upMs / 1000).toFixed(1)} s after start)`);
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopService('SIGTERM').catch(() => undefined);
  if (process.env.BENCH_KEEP !== '1') await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
}
