// The load bench/grid.ts drives (issue 18.6), pure so that a test can hold it to the campaign it
// claims: how many matters each simulated day brings (about MATTERS/DAYS, one day in ten a burst
// of three times that), and what happens to each matter (its fate): most are accepted, answered
// and rated the day they are reported (one in ten not satisfied at first: reopened, answered
// again, then satisfied); some wait days for an answer, so their reminders go out and they
// climb the chain before the district answers; some are answered and never rated, so the rating
// window closes them. Settings from the environment: GRID_BENCH_MATTERS, GRID_BENCH_DAYS,
// GRID_BENCH_CONCURRENCY (or --matters/--days/--concurrency).

export type Fate =
  /** Accepted, answered and rated satisfied the day it is reported. */
  | 'prompt'
  /** As prompt, but the first rating is unsatisfied: reopened, answered again, rated satisfied. */
  | 'reopened'
  /** Nobody answers for LATE_DAYS days: reminded, climbs; then answered and rated satisfied. */
  | 'late'
  /** Answered the same day and never rated: closes unrated when the rating window ends. */
  | 'unrated';

/** Days a late matter waits for its answer (every default deadline passes at least once in 3 days). */
export const LATE_DAYS = 3;

export function fateOf(n: number): Fate {
  if (n % 20 === 7) return 'late';
  if (n % 20 === 11) return 'unrated';
  if (n % 10 === 3) return 'reopened';
  return 'prompt';
}

/** Matters reported on each day: weights 0.8-1.2, every tenth day (the 8th, 18th, …) a burst of 3; they sum to `matters`. */
export function dayVolumes(matters: number, days: number): number[] {
  const weights = Array.from({ length: days }, (_, d) => (d % 10 === 7 ? 3 : 0.8 + ((d * 37) % 5) / 10));
  const sum = weights.reduce((a, b) => a + b, 0);
  const volumes = weights.map((w) => Math.floor((w / sum) * matters));
  volumes[volumes.length - 1]! += matters - volumes.reduce((a, b) => a + b, 0);
  return volumes;
}

export interface GridBenchSettings {
  matters: number;
  days: number;
  concurrency: number;
}

/** Settings from --matters/--days/--concurrency, else GRID_BENCH_MATTERS/DAYS/CONCURRENCY, else the campaign (200,000 over 100 days). */
export function benchSettings(args: { matters?: string; days?: string; concurrency?: string }, env: NodeJS.ProcessEnv): GridBenchSettings {
  const pick = (arg: string | undefined, name: string, fallback: number) => {
    const value = Number(arg ?? env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number above 0, not ${arg ?? env[name]}`);
    return value;
  };
  return {
    matters: pick(args.matters, 'GRID_BENCH_MATTERS', 200_000),
    days: pick(args.days, 'GRID_BENCH_DAYS', 100),
    // Four requests in flight per core: more only queues them (longer p99) without more matters/s.
    concurrency: pick(args.concurrency, 'GRID_BENCH_CONCURRENCY', 8),
  };
}

/** The p-th percentile (nearest rank) of some durations, rounded; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!) : NaN;
}

/** Runs the jobs `concurrency` at a time (each runner takes the next job when its last one is done). */
export async function inPool(jobs: (() => Promise<unknown>)[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) await jobs[next++]!();
  }));
}

/** A loopback port free right now (for the embedded PostgreSQL, the devserver and the API of a bench). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
