// The Temporal worker's thread (see threads.ts): its own ORM on the service's database, the
// workflows' and reports' workers and the notice deliveries, as `npm run worker` runs them in a
// process of their own. Its activities' SQL and the SDK's activations then run here, not on the
// API's event loop.
import type { Config } from '../config/config.ts';
import { createLogger, startOrm, startWorker } from './components.ts';
import { Lifecycle } from './lifecycle.ts';
import { runPartThread } from './threads.ts';

export interface WorkerThreadData {
  config: Config;
  databaseUrl: string;
  temporalAddress: string;
}

await runPartThread(async ({ config, databaseUrl, temporalAddress }: WorkerThreadData) => {
  const logger = createLogger(config).child({ thread: 'worker' });
  const lifecycle = new Lifecycle(logger);
  try {
    // The API's process copies the audit checkpoints out; this one only writes through its ORM.
    const orm = await startOrm(config, databaseUrl, logger, lifecycle, undefined, { primary: false });
    await startWorker(config, temporalAddress, orm, logger, lifecycle);
  } catch (error) {
    await lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS);
    throw error;
  }
  return { ready: true, stop: () => lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS) };
});
