// Prints one workflow's event timeline from a small concurrent run (diagnosing bench latency).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startDevServer } from '../devserver/index.ts';
const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
Runtime.install({ logger: quiet as never });
const here = path.dirname(fileURLToPath(import.meta.url));
const workflowBundle = await bundleWorkflowCode({ workflowsPath: path.join(here, 'devserver-workflows.ts'), logger: quiet });
const server = await startDevServer({ port: 0 });
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection });
const native = await NativeConnection.connect({ address: server.address });
const worker = await Worker.create({ connection: native, taskQueue: 'trace', workflowBundle, activities: { touch: async (n: number) => n } });
const running = worker.run();
const N = Number(process.argv[2] ?? 50);
await Promise.all(Array.from({ length: N }, (_v, i) => client.workflow.execute('activityThenTimer', { taskQueue: 'trace', workflowId: `t-${i}`, args: [i] })));
for (const id of ['t-0', `t-${Math.floor(N / 2)}`, `t-${N - 1}`]) {
  const history = await client.workflow.getHandle(id).fetchHistory();
  const t0 = Number(history.events![0]!.eventTime!.seconds) * 1000 + Math.floor(history.events![0]!.eventTime!.nanos! / 1e6);
  console.log(id, history.events!.map((e) => `${String(e.eventType).replace('EVENT_TYPE_', '')}@${Number(e.eventTime!.seconds) * 1000 + Math.floor(e.eventTime!.nanos! / 1e6) - t0}`).join(' '));
}
worker.shutdown();
await running;
await native.close();
await connection.close();
await server.stop();
