// bench/grid.ts reports CPU per matter by thread and by process, read from /proc, so that its
// figures survive a machine shared with others: a thread's work lands in its own group, and a
// thread that exits keeps its CPU in the count ("exited"), as the per-call watchdogs of the
// workflow sandbox and PostgreSQL's exited backends must.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from '@jest/globals';
import { cpuPerMatter, cpuSample } from '../../bench/grid-measure.ts';

// 400 ms of CPU, however busy the machine (a wall-clock spin would get a fraction of it under load).
const spin = `const c = process.cpuUsage(); while (process.cpuUsage(c).user + process.cpuUsage(c).system < 400_000);`;

describe('bench:grid CPU measure', () => {
  it("puts a worker thread's CPU in the workflow group while it runs and keeps it once the thread exits", async () => {
    const before = cpuSample();
    const worker = new Worker(`${spin} require('node:worker_threads').parentPort.postMessage('done'); setInterval(() => {}, 1000);`, { eval: true });
    await new Promise((resolve) => worker.once('message', resolve));
    const running = cpuSample();
    expect(running.node.workflow! - before.node.workflow!).toBeGreaterThan(0.25);
    await worker.terminate();
    const after = cpuSample();
    expect(after.node.exited! - before.node.exited!).toBeGreaterThan(0.25);
    expect(after.node.total - before.node.total).toBeGreaterThan(0.3);
    const { text, nodeMs } = cpuPerMatter(before, after, 10);
    expect(nodeMs).toBeGreaterThan(30);
    expect(text).toMatch(/^node \d+ ms \(main [\d.]+, workflow [\d.]+, .*exited [\d.]+\) \+ PostgreSQL 0 ms$/);
  });
});
