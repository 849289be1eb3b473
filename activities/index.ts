// All activities of the service, built from their dependencies (no globals), so tests can
// pass their own ORM, renderer or clock.
import type { MikroORM } from '@mikro-orm/core';

export interface ActivityDeps {
  orm: MikroORM;
}

export function createActivities(_deps: ActivityDeps) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
