// `npm start`: the whole service in one process tree on embedded defaults — PostgreSQL,
// the Temporal-compatible server, the worker and the API.
import { main } from './main.ts';
import { startApi, startDatabase, startOrm, startTemporalClient, startTemporalServer, startWorker } from './components.ts';

await main(async (config, logger, lifecycle) => {
  const databaseUrl = await startDatabase(config, logger, lifecycle);
  const orm = await startOrm(config, databaseUrl, logger, lifecycle);
  if (config.SEED_DEMO) {
    const { seedDemo } = await import('../seeds/demo.ts');
    const summary = await seedDemo(orm);
    logger.info(summary, summary.seeded ? 'demo jurisdiction loaded (see docs/demo-accounts.md)' : 'demo jurisdiction already present');
  }
  const temporalAddress = await startTemporalServer(config, databaseUrl, logger, lifecycle);
  await startWorker(config, temporalAddress, orm, logger, lifecycle);
  const temporal = startTemporalClient(config, temporalAddress, lifecycle);
  const url = await startApi(config, orm, temporal, logger, lifecycle);
  console.log(`\n  API   ${url}\n  Docs  ${url}/docs\n  Ready ${url}/readyz\n`);
});
