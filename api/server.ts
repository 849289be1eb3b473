// Builds the Fastify server around the app plugin (used by the entry points and by tests).
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { app } from './app.ts';
import type { AppServices } from './app-services.ts';

export interface ServerOptions {
  logger: Logger;
  /** Upper bound of a JSON body; uploads have their own limits. */
  bodyLimit?: number;
  /** How long the app plugin may take to load (Fastify's default: 10 s); the tests allow more on a loaded machine. */
  pluginTimeout?: number;
}

export async function buildServer(services: AppServices, options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    forceCloseConnections: true,
    return503OnClosing: true,
    ...(options.pluginTimeout ? { pluginTimeout: options.pluginTimeout } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  await server.register(app, services);
  await server.ready();
  return server as unknown as FastifyInstance;
}
