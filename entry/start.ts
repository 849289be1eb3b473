// `npm start`: the whole service in one process tree on embedded defaults — PostgreSQL (a
// child process), the Temporal-compatible server and the worker (each on a thread of its own,
// see threads.ts) and the API on the main thread.
import { main } from './main.ts';
import { startApi, startDatabase, startOrm, startTemporalClient, startTemporalServer, startWorkerThread } from './components.ts';

await main(async (config, logger, lifecycle) => {
  const databaseUrl = await startDatabase(config, logger, lifecycle);
  const orm = await startOrm(config, databaseUrl, logger, lifecycle);
  if (config.SEED_DEMO) {
    const { seedDemo } = await import('../seeds/demo.ts');
    const summary = await seedDemo(orm);
    logger.info(summary, summary.seeded ? 'demo jurisdiction loaded (see docs/demo-accounts.md)' : 'demo jurisdiction already present');
  }
  const temporalAddress = await startTemporalServer(config, databaseUrl, logger, lifecycle);
  // The worker bundles its workflows on its thread while the API is built here; the API listens once the worker polls.
  const worker = startWorkerThread(config, temporalAddress, databaseUrl, logger, lifecycle);
  worker.catch(() => {}); // awaited by startApi; a failure stops the start there
  const temporal = startTemporalClient(config, temporalAddress, lifecycle);
  const url = await startApi(config, orm, temporal, logger, lifecycle, undefined, worker);
  console.log(`\n  API   ${url}\n  Docs  ${url}/docs\n  Ready ${url}/readyz\n`);
});
