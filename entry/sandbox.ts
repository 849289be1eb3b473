// `npm run sandbox`: the whole service as a rehearsal (培训/演示环境) — a throwaway embedded
// PostgreSQL (wiped at each start) with the demo district loaded, the embedded Temporal-compatible
// server in time-skipping mode whose calendar moves only through POST /sandbox/clock, the worker
// and the API, on their own ports and data folder. Every answer carries X-Environment: sandbox,
// every page a banner, every PDF the watermark 演示环境.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkThrowawayFolder, SANDBOX_DATABASE, SANDBOX_MARKER, sandboxEnvironment } from '../config/sandbox.ts';
import { ConfigError } from '../config/config.ts';
import { main } from './main.ts';
import { startApi, startDatabase, startEmbeddedTemporal, startOrm, startTemporalClient, startWorker } from './components.ts';
import { lateBoundClock, sandboxControl } from './sandbox-control.ts';
import { shanghaiIso } from '../domain/sandbox/calendar.ts';

try {
  Object.assign(process.env, sandboxEnvironment(process.env));
  delete process.env.DATABASE_URL;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`npm run sandbox refused to start:\n  ${error.problems.join('\n  ')}`);
  process.exit(2);
}

await main(async (config, logger, lifecycle) => {
  checkThrowawayFolder(config.DATA_DIR);
  await rm(config.DATA_DIR, { recursive: true, force: true });
  await mkdir(config.DATA_DIR, { recursive: true });
  await writeFile(path.join(config.DATA_DIR, SANDBOX_MARKER), 'A sandbox (npm run sandbox) keeps its throwaway data here; it is wiped at each start.\n');

  const { clock, bind } = lateBoundClock();
  const databaseUrl = await startDatabase(config, logger, lifecycle, SANDBOX_DATABASE);
  const orm = await startOrm(config, databaseUrl, logger, lifecycle, clock);
  const { seedDemo } = await import('../seeds/demo.ts');
  const summary = await seedDemo(orm);
  logger.info(summary, 'demo jurisdiction loaded (see docs/demo-accounts.md)');
  const devserver = await startEmbeddedTemporal(config, databaseUrl, logger, lifecycle, true);
  bind(() => devserver.clock.now());
  await startWorker(config, devserver.address, orm, logger, lifecycle, { clock, watermark: '演示环境' });
  const temporal = startTemporalClient(config, devserver.address, lifecycle);
  const sandbox = sandboxControl(devserver, config.TEMPORAL_NAMESPACE, clock);
  // 月调度、季督导 tasks start workflows, so they are set once the worker and the client are up.
  const { seedSteeringDemo } = await import('../seeds/demo-steering.ts');
  logger.info({ steeringTasks: await seedSteeringDemo({ orm, temporal, clock, config }) }, 'demo steering tasks set');
  const url = await startApi(config, orm, temporal, logger, lifecycle, sandbox);
  console.log(`\n  SANDBOX 演示环境 — throwaway data in ${config.DATA_DIR}\n  API   ${url}\n  Docs  ${url}/docs\n  Clock ${url}/sandbox/clock (now ${shanghaiIso(clock.now())})\n  Ready ${url}/readyz\n`);
});
