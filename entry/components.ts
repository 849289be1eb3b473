// The parts of the service, each started from the configuration and registered with the
// lifecycle so it is stopped in order. The entry points combine them.
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { clockOf, type Clock } from '../domain/clock.ts';
import { deliverNow } from '../domain/notifications/delivery.ts';
import type { DevServer } from '../devserver/index.ts';
import type { SandboxControl } from '../api/app-services.ts';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { initOrm } from '../db/orm.ts';
import { loadAuditKey } from '../domain/audit/key.ts';
import { copyCheckpointsOut } from '../domain/audit/checkpoint-file.ts';
import { createActivities } from '../activities/index.ts';
import { createReportActivities, reportWorkerConcurrency } from '../activities/reports.ts';
import { createReportRenderer } from '../reports/index.ts';
import { createReportStore } from '../reports/store.ts';
import { connectTemporalClient } from '../temporal/client.ts';
import { temporalLogger } from '../temporal/logger.ts';
import { startWorkers } from '../temporal/worker.ts';
import { buildServer } from '../api/server.ts';
import type { Lifecycle } from './lifecycle.ts';
import { lowerV8PlatformThreadsPriority, PART_THREAD_NICE, startPartThread } from './threads.ts';
import type { DevServerThreadData } from './devserver-thread.ts';
import type { WorkerThreadData } from './worker-thread.ts';

export const EMBEDDED_DATABASE = 'party_cycles';

export function createLogger(config: Config): Logger {
  return pino({ level: config.LOG_LEVEL, base: { service: 'party-cycles' } });
}

/** DATABASE_URL, or the embedded PostgreSQL under DATA_DIR when it is unset. */
export async function startDatabase(config: Config, logger: Logger, lifecycle: Lifecycle, database = EMBEDDED_DATABASE): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const log = logger.child({ component: 'embedded-postgres' });
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(config.DATA_DIR, 'postgres'),
    port: config.EMBEDDED_PG_PORT,
    database,
    log: (message) => log.debug(message),
  });
  lifecycle.add('embedded postgres', () => pg.stop());
  log.info({ port: pg.port, dataDir: path.join(config.DATA_DIR, 'postgres') }, 'embedded PostgreSQL started');
  return pg.url;
}

const AUDIT_COPY_MS = 5 * 60 * 1000;

/**
 * The ORM, with the audit secret from AUDIT_SECRET or DATA_DIR/audit-secret bound to it. The
 * process's primary ORM (the default) also warns about a superuser role and copies the audit
 * checkpoints out; a second one in the same process (the worker's thread) leaves that to it.
 */
export async function startOrm(
  config: Config, databaseUrl: string, logger: Logger, lifecycle: Lifecycle, clock?: Clock, { primary = true }: { primary?: boolean } = {},
): Promise<MikroORM> {
  const auditKey = await loadAuditKey({ secret: config.AUDIT_SECRET, dataDir: config.DATA_DIR });
  const orm = await initOrm({ url: databaseUrl, logger, auditKey, clock });
  lifecycle.add('orm', () => orm.close(true));
  if (!primary) return orm;
  const [role] = await orm.em.fork().getConnection().execute<{ rolsuper: boolean }[]>('select rolsuper from pg_roles where rolname = current_user');
  if (role?.rolsuper) logger.warn('DATABASE_URL connects as a PostgreSQL superuser, who can disable the audit log\'s triggers and read files: give the service its own role (README, "A real PostgreSQL")');
  // The signed checkpoints are copied out of the database at start and every few minutes.
  const copyOut = () => copyCheckpointsOut(orm.em.fork() as EntityManager).catch((error) => logger.warn({ err: error }, 'could not copy the audit checkpoints out of the database'));
  await copyOut();
  const timer = setInterval(copyOut, AUDIT_COPY_MS);
  timer.unref();
  lifecycle.add('audit checkpoint copy', async () => clearInterval(timer));
  return orm;
}

/**
 * TEMPORAL_ADDRESS, or the project's own Temporal-compatible server on the service's database,
 * on a thread of its own (threads.ts) so it never competes with the API's event loop.
 */
export async function startTemporalServer(config: Config, databaseUrl: string, logger: Logger, lifecycle: Lifecycle): Promise<string> {
  if (config.TEMPORAL_ADDRESS) return config.TEMPORAL_ADDRESS;
  const data: DevServerThreadData = { host: '127.0.0.1', port: config.DEVSERVER_PORT, databaseUrl, logLevel: config.LOG_LEVEL };
  const server = startPartThread<string>(new URL('./devserver-thread.ts', import.meta.url), 'devserver', data, logger);
  lifecycle.add('temporal devserver', async () => {
    if (!(await server.stop(config.SHUTDOWN_TIMEOUT_MS))) throw new Error('the devserver thread did not stop cleanly');
  });
  const address = await server.ready;
  logger.info({ address, thread: 'devserver' }, 'embedded Temporal-compatible server started');
  return address;
}

/**
 * The project's own server; with `timeSkipping` its clock is the sandbox's calendar, locked so
 * that it never skips by itself (only a move through the sandbox's control does).
 */
export async function startEmbeddedTemporal(config: Config, databaseUrl: string, logger: Logger, lifecycle: Lifecycle, timeSkipping: boolean): Promise<DevServer> {
  const { startDevServer } = await import('../devserver/index.ts');
  const server = await startDevServer({
    host: '127.0.0.1',
    port: config.DEVSERVER_PORT,
    store: { kind: 'postgres', url: databaseUrl },
    timeSkipping,
    logger: logger.child({ component: 'devserver' }),
  });
  lifecycle.add('temporal devserver', () => server.stop());
  logger.info({ address: server.address, timeSkipping }, 'embedded Temporal-compatible server started');
  return server;
}

/** What the sandbox changes in the worker: its clock, and the watermark on every PDF. */
export interface WorkerOptions {
  clock?: Clock;
  watermark?: string;
}

/** Pages printing at once per worker process; each holds a browser context. */
const REPORT_PAGES = 2;

export async function startWorker(config: Config, temporalAddress: string, orm: MikroORM, logger: Logger, lifecycle: Lifecycle, options: WorkerOptions = {}): Promise<void> {
  installTemporalRuntime(logger);
  const connection = await NativeConnection.connect({ address: temporalAddress });
  lifecycle.add('worker connection', () => connection.close());
  // The browser starts on the first render, so a worker that never prints never pays for it.
  const clock = options.clock;
  const renderer = createReportRenderer({
    maxConcurrentPages: REPORT_PAGES, logger, browserExecutablePath: config.CHROMIUM_PATH, clock: clock && (() => clock.now()), watermark: options.watermark,
  });
  lifecycle.add('report renderer', () => renderer.close());
  const workers = await startWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({ orm, dataDir: config.DATA_DIR, clock, publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}` }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    reports: {
      activities: createReportActivities({ renderer, store: createReportStore({ dataDir: config.DATA_DIR }), orm, clock }),
      concurrency: reportWorkerConcurrency(REPORT_PAGES),
    },
  });
  workers.done.catch((error) => logger.fatal({ err: error }, 'worker stopped with an error'));
  // Notices leave the application only from a real calendar: the sandbox sends nothing.
  if (!clock?.simulated) startDeliveries(orm, logger, lifecycle);
  lifecycle.add('worker', () => workers.shutdown());
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
}

/**
 * The worker (startWorker) on a thread of its own with its own ORM (threads.ts): the SDK's
 * activations and the activities' SQL stay off the API's event loop. `npm start` runs it so;
 * the sandbox keeps its worker in-process (its clock is the devserver's, read in-process).
 */
export async function startWorkerThread(config: Config, temporalAddress: string, databaseUrl: string, logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const data: WorkerThreadData = { config, databaseUrl, temporalAddress };
  const worker = startPartThread<true>(new URL('./worker-thread.ts', import.meta.url), 'worker', data, logger);
  // Registered at once, so the parts started while it bundles the workflows (the API) stop before it.
  lifecycle.add('worker thread', async () => {
    if (!(await worker.stop(config.SHUTDOWN_TIMEOUT_MS))) throw new Error('the worker thread did not stop cleanly');
  });
  await worker.ready;
  // The workflow thread's and the worker's garbage collection runs on V8's shared platform threads: they yield to the API too.
  lowerV8PlatformThreadsPriority(PART_THREAD_NICE);
}

const DELIVERY_EVERY_MS = 30_000;

/** The delivery dispatcher (domain/notifications/delivery.ts): plans and sends due notices every 30 s. */
function startDeliveries(orm: MikroORM, logger: Logger, lifecycle: Lifecycle): void {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = deliverNow(orm.em.fork() as EntityManager, clockOf(orm.em).now())
      .then((outcome) => {
        if (outcome.sent + outcome.failed + outcome.retrying > 0) logger.info(outcome, 'notices delivered');
      })
      .catch((error) => logger.warn({ err: error }, 'notice delivery round failed; it is retried on the next round'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, DELIVERY_EVERY_MS);
  timer.unref();
  lifecycle.add('notice delivery', async () => {
    clearInterval(timer);
    await running;
  });
}

export function startTemporalClient(config: Config, temporalAddress: string, lifecycle: Lifecycle): Client {
  const client = connectTemporalClient({ address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE });
  lifecycle.add('temporal client', () => client.connection.close());
  return client;
}

/** Builds the API and listens once `listenAfter` (the worker being ready) has resolved, so /readyz never turns 200 before people's actions can be taken. */
export async function startApi(
  config: Config, orm: MikroORM, temporal: Client, logger: Logger, lifecycle: Lifecycle, sandbox?: SandboxControl, listenAfter?: Promise<unknown>,
): Promise<string> {
  const server = await buildServer({ config, orm, temporal, ...(sandbox ? { clock: sandbox.clock, sandbox } : {}) }, { logger });
  try {
    await listenAfter;
  } catch (error) {
    await server.close();
    throw error;
  }
  await server.listen({ host: config.HOST, port: config.PORT });
  lifecycle.add('api', () => server.close());
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return `http://${shownHost}:${config.PORT}`;
}

let runtimeInstalled = false;
function installTemporalRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: temporalLogger(logger), shutdownSignals: [] });
}
