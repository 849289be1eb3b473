// The devserver in its own process for bench/devserver.ts (forked with an IPC channel), so the
// server does not share an event loop with the SDK worker — as in real use, where the server and
// the workers are separate processes. Messages from the parent: 'stats' (answers engine stats,
// RSS and CPU time) and 'stop'. The store comes as JSON in argv[2].
// BENCH_PROFILE=dir: a CPU profile of this process over the measured window only (from the
// first 'stats', after the warm-up, to the second, when the batch is done), written to
// dir/devserver-<store>-<time>.cpuprofile; start-up and module compilation stay out of it.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { startDevServer, type StoreOption } from '../devserver/index.ts';

const store = JSON.parse(process.argv[2] ?? '"memory"') as StoreOption;
const server = await startDevServer({ port: 0, store });

const send = (message: object) => process.send!(message);

const profileDir = process.env.BENCH_PROFILE;
let session: Session | undefined;
let statsCalls = 0;

async function profileStep(): Promise<void> {
  statsCalls++;
  if (!profileDir) return;
  if (statsCalls === 1) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
  } else if (statsCalls === 2 && session) {
    const { profile } = await session.post('Profiler.stop');
    const kind = typeof store === 'string' ? store : ((store as { kind?: string }).kind ?? 'custom');
    const file = path.join(profileDir, `devserver-${kind}-${Date.now()}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    session = undefined;
    console.log(`server profile of the measured window: ${file}`);
  }
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    global.gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    send({ type: 'stats', stats: server.engine.stats(), rss: memory.rss, heapUsed: memory.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000, sysMs: cpu.system / 1000 });
    void profileStep();
  } else if (message.type === 'stop') {
    void server.stop().then(() => process.exit(0));
  }
});
send({ type: 'ready', address: server.address });
