// `npm run devserver` and bin/devserver entry.
//   node devserver/main.ts [port] [--enable-time-skipping] [--time-skipping] [--store memory|postgres]
// Environment: DEVSERVER_PORT, DEVSERVER_HOST, DEVSERVER_STORE (memory|postgres), DATABASE_URL,
// DEVSERVER_TIME_SKIPPING (1/0), DEVSERVER_LOG (pino level; silent by default).
// Like Temporal's Java test server, `<port>` alone gives time skipping that starts locked
// (the SDK unlocks it while waiting on results); --enable-time-skipping starts it unlocked.
// `server start-dev --port N --ip IP ...` (how TestWorkflowEnvironment.createLocal() starts the
// Temporal CLI) gives a real-clock server on that address; the CLI's other flags are ignored.
import { startDevServer, type DevServerOptions } from './server.ts';
import type { Logger } from './logger.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.find((a, i) => /^\d+$/.test(a) && (i === 0 || !args[i - 1]!.startsWith('--')));
const startDev = args[0] === 'server' && args[1] === 'start-dev';

const port = Number((startDev ? option('--port') : positional) ?? process.env.DEVSERVER_PORT ?? 7233);
const storeKind = option('--store') ?? process.env.DEVSERVER_STORE ?? 'memory';
const timeSkippingEnv = process.env.DEVSERVER_TIME_SKIPPING;
const timeSkipping =
  !startDev && (flag('--time-skipping') || flag('--enable-time-skipping') || (timeSkippingEnv ? timeSkippingEnv === '1' : storeKind === 'memory'));

let store: DevServerOptions['store'] = 'memory';
if (storeKind === 'postgres') {
  const databaseUrl = option('--database-url') ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('devserver: --store postgres needs DATABASE_URL\n');
    process.exit(2);
  }
  store = { databaseUrl };
}

let logger: Logger | undefined;
const level = process.env.DEVSERVER_LOG;
if (level && level !== 'silent') {
  const { pino } = await import('pino');
  logger = pino({ level, name: 'devserver' });
}

const server = await startDevServer({
  port,
  host: (startDev ? option('--ip') : undefined) ?? process.env.DEVSERVER_HOST ?? '127.0.0.1',
  store,
  timeSkipping,
  timeSkippingUnlocked: flag('--enable-time-skipping'),
  logger,
});
process.stdout.write(`devserver listening on ${server.address}\n`);

const shutdown = () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
