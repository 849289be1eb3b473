// startDevServer: wires store, clock, engine and the two gRPC services onto one port.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { RealClock, SkippingClock, type Clock } from './clock.ts';
import { Engine } from './engine.ts';
import { bindService, type Handlers } from './grpc.ts';
import { H2GrpcServer } from './h2/server.ts';
import { Http2GrpcServer } from './http2-server.ts';
import { silentLogger, type Logger } from './logger.ts';
import { Namespaces } from './namespaces.ts';
import { workflowServiceHandlers } from './service.ts';
import { MemoryStore } from './store/memory.ts';
import type { WorkflowStore } from './store/types.ts';
import { testServiceHandlers } from './testservice.ts';
import { pendingTimers, type PendingTimer } from './timers.ts';

export interface DevServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** 'memory' (default), PostgreSQL ({ kind: 'postgres', url } or { databaseUrl }), or any WorkflowStore. */
  store?: StoreOption;
  /** Enables TestService time skipping (the Java test server's semantics). */
  timeSkipping?: boolean;
  /** With time skipping: start with skipping unlocked (like --enable-time-skipping). */
  timeSkippingUnlocked?: boolean;
  logger?: Logger;
  /**
   * 'h2' (default): unary gRPC on the server's own HTTP/2 framing (h2/server.ts; about half the
   * server's CPU per workflow of grpc-js, see README round 7); 'grpc-js': the @grpc/grpc-js Server;
   * 'http2': unary gRPC on node:http2 (http2-server.ts). Env DEVSERVER_TRANSPORT picks one too.
   */
  transport?: 'h2' | 'http2' | 'grpc-js';
}

export interface DevServer {
  /** host:port to give Temporal clients and workers. */
  address: string;
  port: number;
  engine: Engine;
  /** The server's clock: a SkippingClock with time skipping (the sandbox moves it in-process). */
  clock: Clock;
  /** The workflows' pending timers, soonest first (see timers.ts). */
  pendingTimers(namespace?: string): Promise<PendingTimer[]>;
  stop(): Promise<void>;
}

export type StoreOption =
  | 'memory'
  | { kind: 'memory'; maxClosedRuns?: number }
  | { kind: 'postgres'; url: string; schema?: string }
  | { databaseUrl: string; schema?: string }
  | WorkflowStore;

async function openStore(option: StoreOption | undefined): Promise<WorkflowStore> {
  if (!option || option === 'memory') return new MemoryStore();
  if ('kind' in option && option.kind === 'memory') return new MemoryStore({ maxClosedRuns: option.maxClosedRuns });
  if (('kind' in option && option.kind === 'postgres') || 'databaseUrl' in option) {
    const url = 'url' in option ? option.url : (option as { databaseUrl: string }).databaseUrl;
    // Loaded lazily so bin/devserver (memory store) never pays for pg.
    const { PostgresStore } = await import('./store/postgres.ts');
    return new PostgresStore({ connectionString: url, schema: (option as { schema?: string }).schema });
  }
  return option as WorkflowStore;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const store = await openStore(options.store);
  await store.open();
  const clock: Clock = options.timeSkipping ? new SkippingClock(!options.timeSkippingUnlocked) : new RealClock();
  const namespaces = new Namespaces(store);
  await namespaces.load();
  const engine = new Engine({ store, clock, logger, namespaces });
  const recovered = await engine.recover();
  if (recovered > 0) logger.info({ recovered }, 'devserver resumed open workflows');

  const services: [string, Handlers][] = [
    ['temporal.api.workflowservice.v1.WorkflowService', workflowServiceHandlers(engine, namespaces, store)],
    ['temporal.api.testservice.v1.TestService', clock instanceof SkippingClock ? testServiceHandlers(clock) : {}],
    ['grpc.health.v1.Health', { check: () => ({ status: 'SERVING' }) }],
  ];
  const envTransport = process.env.DEVSERVER_TRANSPORT;
  const transport = options.transport ?? (envTransport === 'http2' || envTransport === 'grpc-js' ? envTransport : 'h2');
  let port: number;
  let shutdown: () => Promise<void> | void;
  if (transport === 'h2') {
    const server = new H2GrpcServer(logger);
    for (const [name, handlers] of services) server.addService(name, handlers);
    port = await server.listen(host, options.port ?? 0);
    shutdown = () => server.close();
  } else if (transport === 'http2') {
    const server = new Http2GrpcServer(logger);
    for (const [name, handlers] of services) server.addService(name, handlers);
    port = await server.listen(host, options.port ?? 0);
    shutdown = () => server.close();
  } else {
    // No channelz: its per-call counters are never read here.
    const server = new Server({ 'grpc.max_receive_message_length': 128 * 1024 * 1024, 'grpc.enable_channelz': 0 });
    for (const [name, handlers] of services) bindService(server, name, handlers, logger);
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    shutdown = () => server.forceShutdown();
  }
  logger.info({ host, port, timeSkipping: !!options.timeSkipping, transport }, 'devserver listening');
  let stopped = false;
  return {
    address: `${host}:${port}`,
    port,
    engine,
    clock,
    pendingTimers: (namespace) => pendingTimers(store, namespace),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      engine.stop();
      if (clock instanceof SkippingClock) clock.stop();
      await shutdown();
      await store.close();
    },
  };
}
