// Benchmark of the report renderer (npm run bench:reports): PDFs per second for a 2-page report
// with one reused browser (warm-up excluded), then peak memory of this process plus every
// browser process while rendering 500 reports, sampled from /proc to show it stays flat.
// Wall-clock throughput depends on what else runs on the machine, so it also prints the CPU
// time one PDF costs across Node and all browser processes, and the load average.
// Env: REPORT_POOL (pages, default 2), REPORT_COUNT (default 500), REPORT_TIMED (default 200).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import pino from 'pino';
import { createReportRenderer, type ReportRenderer } from '../reports/index.ts';
import { REPORT_SAMPLES } from '../reports/samples/index.ts';

const POOL = Number(process.env.REPORT_POOL ?? 2);
const MEMORY_RUN = Number(process.env.REPORT_COUNT ?? 500);
const TIMED = Number(process.env.REPORT_TIMED ?? 200);
const TYPE = 'year-end-ranking';
const { data, meta } = REPORT_SAMPLES[TYPE];

/** Renders `count` reports keeping the pool full; calls `onDone` after each one. */
async function renderMany(renderer: ReportRenderer, count: number, onDone?: (done: number) => void): Promise<void> {
  let started = 0;
  let done = 0;
  async function client(): Promise<void> {
    while (started < count) {
      started += 1;
      await renderer.render(TYPE, data, meta);
      done += 1;
      onDone?.(done);
    }
  }
  // One client more than pages, so a page never idles while Node prepares the next report.
  await Promise.all(Array.from({ length: POOL + 1 }, client));
}

/** ms of CPU (user + system) a process has used, 0 if it is gone. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
// USER_HZ is 100 on Linux for every architecture this runs on.
const CLOCK_TICKS = 100;

function childrenOf(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return children;
}

function descendants(pid: number): number[] {
  const children = childrenOf();
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of children.get(next) ?? []) {
      result.push(child);
      queue.push(child);
    }
  }
  return result;
}

/** kB of a /proc status or smaps_rollup field, 0 if the process is gone. */
function procKb(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const match = readFileSync(`/proc/${pid}/${file}`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

interface MemorySample {
  nodeRss: number;
  browserRss: number;
  /** Proportional set size: shared pages counted once across the browser's processes. */
  totalPss: number;
  browserProcesses: number;
}

function browserProcesses(renderer: ReportRenderer): number[] {
  const browserPid = renderer.browserProcessId();
  return browserPid ? [browserPid, ...descendants(browserPid)] : [];
}

function sampleMemory(browserPids: number[], withPss: boolean): MemorySample {
  const mb = (kb: number) => kb / 1024;
  return {
    nodeRss: process.memoryUsage.rss() / 1024 / 1024,
    browserRss: mb(browserPids.reduce((sum, pid) => sum + procKb(pid, 'status', 'VmRSS'), 0)),
    totalPss: withPss ? mb([process.pid, ...browserPids].reduce((sum, pid) => sum + procKb(pid, 'smaps_rollup', 'Pss'), 0)) : 0,
    browserProcesses: browserPids.length,
  };
}

const fmt = (value: number) => value.toFixed(0).padStart(5);

const renderer = createReportRenderer({ maxConcurrentPages: POOL, logger: pino({ level: 'warn' }) });
try {
  console.log(`report benchmark: ${TYPE}, pool ${POOL} pages, ${os.cpus().length} CPUs, Node ${process.version}`);
  const first = await renderer.render(TYPE, data, meta);
  console.log(`report: ${first.pages} pages, ${(first.bytes / 1024).toFixed(0)} KiB`);

  // Warm-up: every pooled page opened and its fonts decoded.
  await renderMany(renderer, POOL * 4);

  const measured = [process.pid, ...browserProcesses(renderer)];
  const cpuBefore = measured.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const loadBefore = os.loadavg()[0];
  const started = performance.now();
  await renderMany(renderer, TIMED);
  const seconds = (performance.now() - started) / 1000;
  const cpuPerPdf = (measured.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore) / TIMED;
  console.log(`throughput: ${TIMED} PDFs in ${seconds.toFixed(2)} s = ${(TIMED / seconds).toFixed(1)} PDFs/s (target >= 10)`);
  console.log(`load average 1 min: ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after (${os.cpus().length} CPUs)`);
  console.log(`CPU per PDF (node + browser processes): ${cpuPerPdf.toFixed(0)} ms, so ${((os.cpus().length * 1000) / cpuPerPdf).toFixed(1)} PDFs/s at most with all CPUs free`);

  console.log(`memory while rendering ${MEMORY_RUN} reports (MB):`);
  console.log('   done  nodeRSS browserRSS  RSS-sum  PSS-sum  processes');
  let peakRss = 0;
  let peakPss = 0;
  // The process list is refreshed at each printed line; between them only VmRSS is read, every
  // 250 ms, so that sampling does not slow down what it measures.
  let pids = browserProcesses(renderer);
  const track = (withPss: boolean) => {
    const sample = sampleMemory(pids, withPss);
    peakRss = Math.max(peakRss, sample.nodeRss + sample.browserRss);
    peakPss = Math.max(peakPss, sample.totalPss);
    return sample;
  };
  const print = (done: number) => {
    pids = browserProcesses(renderer);
    const s = track(true);
    console.log(`  ${String(done).padStart(5)}  ${fmt(s.nodeRss)}  ${fmt(s.browserRss)}      ${fmt(s.nodeRss + s.browserRss)}    ${fmt(s.totalPss)}    ${s.browserProcesses}`);
  };
  print(0);
  const sampler = setInterval(() => track(false), 250);
  const memoryStarted = performance.now();
  await renderMany(renderer, MEMORY_RUN, (done) => {
    if (done % 50 === 0) print(done);
  });
  clearInterval(sampler);
  const memorySeconds = (performance.now() - memoryStarted) / 1000;
  console.log(`${MEMORY_RUN} PDFs in ${memorySeconds.toFixed(1)} s = ${(MEMORY_RUN / memorySeconds).toFixed(1)} PDFs/s`);
  console.log(`peak RSS (node + browser processes, shared pages counted per process): ${peakRss.toFixed(0)} MB`);
  console.log(`peak PSS (shared pages counted once): ${peakPss.toFixed(0)} MB`);
} finally {
  await renderer.close();
}
