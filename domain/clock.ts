// The service's clock: where activities, the API and domain code read "now". Workflows read
// workflow time instead. In production it is the system clock; in the sandbox (`npm run sandbox`)
// it is the simulated calendar of the embedded Temporal-compatible server, which moves only when
// someone moves it (POST /sandbox/clock), so records, PDFs, reminders and SQL comparisons all
// carry the same simulated date as the workflows that caused them.
// This file is the one place in activities/, api/ and domain/ allowed to read the host's clock
// (test/architecture/clock.test.ts keeps it so).

export interface Clock {
  now(): Date;
  /** True when the calendar is simulated (the sandbox). */
  readonly simulated?: boolean;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock reading another time source in epoch milliseconds (the sandbox's devserver clock). */
export function clockFrom(nowMs: () => number, simulated = true): Clock {
  return { now: () => new Date(nowMs()), simulated };
}

// The clock belongs to the ORM it was bound to (initOrm), so every EntityManager forked from it,
// and the entities' creation and update timestamps, read the same time without each caller
// passing it along.
const clocks = new WeakMap<object, Clock>();

export function bindClock(ormConfig: object, clock: Clock): void {
  clocks.set(ormConfig, clock);
}

/** The clock bound to this EntityManager's ORM, or the system clock. */
export function clockOf(em: { config: object } | null | undefined): Clock {
  return (em && clocks.get(em.config)) || systemClock;
}

/** Milliseconds since the epoch on this clock. */
export const nowMs = (clock: Clock): number => clock.now().getTime();
