// The embedded Temporal-compatible server's thread (see threads.ts): the server on the
// service's database, real clock. The sandbox keeps its server in-process instead, since its
// calendar is moved through the server's clock object.
import pino from 'pino';
import { startDevServer } from '../devserver/index.ts';
import { runPartThread } from './threads.ts';

export interface DevServerThreadData {
  host: string;
  port: number;
  databaseUrl: string;
  logLevel: string;
}

await runPartThread(async (data: DevServerThreadData) => {
  const logger = pino({ level: data.logLevel, base: { service: 'party-cycles', component: 'devserver' } });
  const server = await startDevServer({ host: data.host, port: data.port, store: { kind: 'postgres', url: data.databaseUrl }, timeSkipping: false, logger });
  return {
    ready: server.address,
    stop: async () => {
      await server.stop();
      return true;
    },
  };
});
