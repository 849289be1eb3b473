// `npm run api`: the HTTP API alone, for scaled deployments against a shared PostgreSQL and Temporal.
import { main } from './main.ts';
import { startApi, startOrm, startTemporalClient } from './components.ts';
import { requireExternal } from './require-external.ts';

await main(async (config, logger, lifecycle) => {
  const { databaseUrl, temporalAddress } = requireExternal(config, 'npm run api');
  const orm = await startOrm(config, databaseUrl, logger, lifecycle);
  const temporal = startTemporalClient(config, temporalAddress, lifecycle);
  const url = await startApi(config, orm, temporal, logger, lifecycle);
  logger.info({ url, docs: `${url}/docs` }, 'API listening');
});
