// The workflows' own pending timers (workflow.sleep and condition timeouts), read from the open
// runs' stored snapshots: what will happen next on the calendar by itself. The sandbox's
// "move to the next deadline" reads it; activity and task timeouts are not listed.
import { fromJson } from './store/codec.ts';
import type { WorkflowStore } from './store/types.ts';
import type { RunState } from './workflow/state.ts';

export interface PendingTimer {
  namespace: string;
  workflowId: string;
  workflowType: string;
  /** Epoch milliseconds. */
  fireTime: number;
}

/** Every user timer of every open run, soonest first. */
export async function pendingTimers(store: WorkflowStore, namespace?: string): Promise<PendingTimer[]> {
  const timers: PendingTimer[] = [];
  for (const run of await store.loadOpenRuns()) {
    if (namespace && run.key.namespace !== namespace) continue;
    const state = fromJson<RunState>(run.snapshot);
    for (const timer of Object.values(state.timers ?? {})) {
      timers.push({ namespace: run.key.namespace, workflowId: run.key.workflowId, workflowType: state.workflowType, fireTime: timer.fireTime });
    }
  }
  return timers.sort((a, b) => a.fireTime - b.fireTime);
}
