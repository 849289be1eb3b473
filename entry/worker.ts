// `npm run worker`: a Temporal worker alone, for scaled deployments.
import { main } from './main.ts';
import { startOrm, startWorker } from './components.ts';
import { requireExternal } from './require-external.ts';

await main(async (config, logger, lifecycle) => {
  const { databaseUrl, temporalAddress } = requireExternal(config, 'npm run worker');
  const orm = await startOrm(config, databaseUrl, logger, lifecycle);
  await startWorker(config, temporalAddress, orm, logger, lifecycle);
});
