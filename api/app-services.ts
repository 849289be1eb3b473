// What the API needs from the process around it; passed to the app plugin, never imported globally.
import type { MikroORM } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config.ts';
import type { Clock } from '../domain/clock.ts';

/** A workflow timer still to fire: something the calendar will bring by itself. */
export interface UpcomingTimer {
  workflowId: string;
  workflowType: string;
  /** Epoch milliseconds. */
  fireTime: number;
}

/** The sandbox's calendar (`npm run sandbox`): present only there; the /sandbox routes exist only with it. */
export interface SandboxControl {
  clock: Clock;
  /**
   * Moves the calendar forward to `at` (epoch ms): every timer due on the way fires in order and
   * the work it starts (workflow tasks, activities, PDFs) runs at its own simulated time. Resolves
   * once that work has settled (`settled: false` when it was still busy at the time limit).
   */
  moveTo(at: number): Promise<{ settled: boolean }>;
  /** The workflows' pending timers, soonest first, once the work in flight has settled. */
  upcomingTimers(): Promise<UpcomingTimer[]>;
}

export interface AppServices {
  config: Config;
  orm: MikroORM;
  temporal: Client;
  /** The service's clock; defaults to the one bound to the ORM (the system clock unless given). */
  clock?: Clock;
  sandbox?: SandboxControl;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices & { clock: Clock };
  }
}
