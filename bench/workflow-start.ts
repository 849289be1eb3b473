// CPU of the SDK's workflow thread per dual-commitment first workflow task, without a server:
// N copies of a first task (started, task, timer armed) replayed through Worker.runReplayHistories,
// the workflow thread's CPU read from /proc. Compares bundles side by side in one process.
//   node bench/workflow-start.ts [N]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Runtime, Worker } from '@temporalio/worker';
import { WORKFLOW_PRELOAD_MODULES } from '../temporal/worker.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const N = Number(process.argv[2] ?? 2000);
const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
Runtime.install({ logger: quiet as never });
const full = JSON.parse(readFileSync(path.join(here, '../test/workflows/histories/dual-commitment-filings-v1.json'), 'utf8'));
const firstTask = { events: full.events.slice(0, 5) };

const threadsCpu = () => {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    out.set(`${name}#${tid}`, (Number(f[11]) + Number(f[12])) * 10);
  }
  return out;
};
const workflowPath = path.join(here, '../workflows/index.ts');
const variants = process.env.VARIANTS?.split(',') ?? ['plain', 'preload'];
for (const variant of variants) {
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowPath, logger: quiet, ...(variant === 'preload' ? { preloadModules: WORKFLOW_PRELOAD_MODULES } : {}) });
  for (let round = 0; round < 2; round++) {
    const before = threadsCpu();
    const t = performance.now();
    const histories = (async function* () {
      for (let i = 0; i < N; i++) yield { workflowId: `bench-${variant}-${round}-${i}`, history: firstTask };
    })();
    let failed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: `${variant}-${round}` }, histories)) if (result.error) failed++;
    const ms = performance.now() - t;
    const after = threadsCpu();
    const byName = new Map<string, number>();
    for (const [k, v] of after) {
      const name = k.split('#')[0]!;
      byName.set(name, (byName.get(name) ?? 0) + v - (before.get(k) ?? 0));
    }
    const main = byName.get(path.basename(process.argv0)) ?? byName.get('node') ?? NaN;
    const wf = byName.get('WorkerThread') ?? NaN;
    console.log(`${variant} round ${round}: ${N} first tasks in ${(ms / 1000).toFixed(1)} s, failed ${failed}; workflow thread ${(wf / N).toFixed(2)} ms/wf, main ${(main / N).toFixed(2)} ms/wf, ` +
      `all ${[...byName].filter(([, v]) => v > 50).map(([k, v]) => `${k} ${(v / N).toFixed(2)}`).join(', ')}`);
  }
}
