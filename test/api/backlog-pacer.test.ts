// The cycle start's pacing against a simulated workflow task queue: workers take tasks first in
// first out at a fixed rate, the producer starts workflows through the pacer with 16 starts in
// flight, and a person's task joins the queue every 250 ms. The pacer must keep that person's wait
// near its target whatever the workers' rate and however slow a start is, without starving the
// workers; a lagging event loop holds the start back; a server without stats leaves it unpaced.
import { describe, expect, it } from '@jest/globals';
import { createBacklogPacer, DEFAULT_PACING, type Backlog } from '../../api/services/backlog-pacer.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the producer for `ms` against workers draining `perSecond`; returns the persons' waits and the throughput. */
async function simulate(perSecond: number, ms: number, { withStats = true, startMs = 5, lagMs = null as number | null } = {}) {
  const queue: { at: number; person: boolean }[] = [];
  const waits: number[] = [];
  let taken = 0;
  let credit = 0;
  let last = performance.now();
  const drain = () => {
    const now = performance.now();
    credit += ((now - last) * perSecond) / 1000;
    last = now;
    while (credit >= 1 && queue.length) {
      const task = queue.shift()!;
      credit -= 1;
      if (task.person) waits.push(now - task.at);
      else taken += 1;
    }
    if (!queue.length) credit = Math.min(credit, 1); // idle workers do not bank capacity
  };
  const read = async (): Promise<Backlog | null> => {
    await sleep(2);
    drain();
    return withStats ? { count: queue.length, ageMs: queue.length ? performance.now() - queue[0]!.at : 0 } : null;
  };
  let stop = false;
  const pacer = createBacklogPacer(read, DEFAULT_PACING, () => stop, () => lagMs);
  const workers = setInterval(drain, 5);
  const persons = setInterval(() => queue.push({ at: performance.now(), person: true }), 250);
  const producer = async () => {
    while (await pacer.acquire()) {
      await sleep(startMs); // the start RPC
      queue.push({ at: performance.now(), person: false });
      pacer.started();
    }
  };
  const producers = Array.from({ length: 16 }, producer);
  await sleep(ms);
  stop = true;
  await Promise.all(producers);
  clearInterval(workers);
  clearInterval(persons);
  const sorted = waits.sort((a, b) => a - b);
  const throughput = (taken * 1000) / ms;
  return { p99: sorted[Math.floor(sorted.length * 0.99)] ?? Infinity, throughput, reads: pacer.stats.reads, backlog: queue.length };
}

describe('the cycle start paced by the task queue backlog', () => {
  it('keeps a person\'s task wait near the target whether the workers are fast or slow, and keeps them busy', async () => {
    const fast = await simulate(150, 3000);
    expect(fast.p99).toBeLessThan(700);
    expect(fast.throughput).toBeGreaterThan((150 - 4) * 0.7);
    const slow = await simulate(20, 3000);
    expect(slow.p99).toBeLessThan(700);
    expect(slow.throughput).toBeGreaterThan((20 - 4) * 0.7);
    expect(slow.reads).toBeLessThan(3000 / DEFAULT_PACING.pollMs + 5);
  }, 30_000);

  it('keeps up with fast workers when each start takes long (the window grows; it does not learn a rate from its own trickle)', async () => {
    // 16 starts in flight of 80 ms each can feed 200 tasks/s; the workers take 150.
    const slowStarts = await simulate(150, 4000, { startMs: 80 });
    expect(slowStarts.throughput).toBeGreaterThan(150 * 0.7);
    expect(slowStarts.p99).toBeLessThan(700);
  }, 30_000);

  it('holds the start back to its smallest window while the event loop lags, whatever the workers could take', async () => {
    const lagging = await simulate(150, 2000, { lagMs: 400 });
    // At most minBacklog (4) per read of 100 ms, against ~150/s with a quiet loop.
    expect(lagging.throughput).toBeLessThan(50);
    expect(lagging.throughput).toBeGreaterThan(5);
  }, 30_000);

  it('starts unpaced when the server reports no backlog stats (the queue then grows, as before)', async () => {
    const unpaced = await simulate(20, 1000, { withStats: false });
    expect(unpaced.backlog).toBeGreaterThan(200);
    expect(unpaced.p99).toBeGreaterThan(1000);
  }, 30_000);
});
