// The devserver in its own process for bench/devserver.ts (forked with an IPC channel), so the
// server does not share an event loop with the SDK worker — as in real use, where the server and
// the workers are separate processes. Messages from the parent: 'stats' (answers engine stats,
// RSS and CPU time) and 'stop'. The store comes as JSON in argv[2].
import { startDevServer, type StoreOption } from '../devserver/index.ts';

const store = JSON.parse(process.argv[2] ?? '"memory"') as StoreOption;
const server = await startDevServer({ port: 0, store });

const send = (message: object) => process.send!(message);

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    global.gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    send({ type: 'stats', stats: server.engine.stats(), rss: memory.rss, heapUsed: memory.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (message.type === 'stop') {
    void server.stop().then(() => process.exit(0));
  }
});
send({ type: 'ready', address: server.address });
