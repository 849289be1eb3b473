// CPU of this process by thread (Linux /proc/self/task), so a bench can say how much of the
// work ran on the main thread (the API's event loop) and how much on the others (the
// devserver's and the worker's threads, the SDK's core, V8's GC helpers), plus the main
// thread's event-loop utilization over the same window.
import { readdirSync, readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100;

interface ThreadTimes {
  /** CPU ms by thread id. */
  byTid: Map<number, { name: string; ms: number }>;
}

function readThreads(): ThreadTimes {
  const byTid = new Map<number, { name: string; ms: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const name = stat.slice(stat.indexOf('(') + 1, close);
        const fields = stat.slice(close + 2).split(' ');
        // fields[11], [12]: utime, stime (fields 14 and 15 of stat, counted after the name).
        byTid.set(Number(tid), { name, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND });
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return { byTid };
}

/** ms the main thread has spent runnable but waiting for a core (/proc schedstat), NaN where unknown. */
function mainRunQueueMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

export interface CpuWindow {
  /** Wall ms since the window opened. */
  wallMs: number;
  /** Main thread's event-loop utilization (0..1). */
  elu: number;
  /** CPU ms of the main thread (the API's event loop when the service runs in this process). */
  mainMs: number;
  /** ms the main thread was ready to run but waited for a core (the machine's other load). */
  mainWaitMs: number;
  /** CPU ms of the whole process (every thread). */
  processMs: number;
  /** CPU ms by thread name (threads that started within the window count in full), largest first. */
  byName: [string, number][];
}

/** Opens a window; `read()` gives the CPU and event-loop use since it opened. */
export function cpuWindow(): { read(): CpuWindow } {
  const wall0 = performance.now();
  const elu0: EventLoopUtilization = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const threads0 = readThreads();
  const wait0 = mainRunQueueMs();
  return {
    read() {
      const threads = readThreads();
      const used = process.cpuUsage(cpu0);
      const byName = new Map<string, number>();
      let mainMs = NaN;
      for (const [tid, { name, ms }] of threads.byTid) {
        const delta = ms - (threads0.byTid.get(tid)?.ms ?? 0);
        if (tid === process.pid) mainMs = delta;
        else byName.set(name, (byName.get(name) ?? 0) + delta);
      }
      return {
        wallMs: performance.now() - wall0,
        elu: performance.eventLoopUtilization(elu0).utilization,
        mainMs,
        mainWaitMs: mainRunQueueMs() - wait0,
        processMs: (used.user + used.system) / 1000,
        byName: [...byName.entries()].sort((a, b) => b[1] - a[1]),
      };
    },
  };
}

/** One line: utilization of the main loop, its CPU and the process's, the busiest other threads. */
export function describeWindow(w: CpuWindow, top = 5): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const others = w.byName.slice(0, top).filter(([, ms]) => ms >= 100).map(([name, ms]) => `${name} ${s(ms)}`).join(', ');
  const main = `main thread (API event loop) ${(w.elu * 100).toFixed(0)}% busy, ${s(w.mainMs)} s CPU, ${s(w.mainWaitMs)} s waiting for a core`;
  return `${main}; process ${s(w.processMs)} s CPU ` +
    `over ${s(w.wallMs)} s (${(w.processMs / w.wallMs).toFixed(2)} cores)${others ? `; other threads: ${others}` : ''}`;
}
