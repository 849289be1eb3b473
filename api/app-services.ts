// What the API needs from the process around it; passed to the app plugin, never imported globally.
import type { MikroORM } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config.ts';

export interface AppServices {
  config: Config;
  orm: MikroORM;
  temporal: Client;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}
