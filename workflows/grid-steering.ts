// One steering task (月调度、季督导): workflow ID `grid-steering/<taskId>`. Each month of the task
// the owner (a street or a functional department) reports its progress: reminded a few days
// before the month ends, flagged overdue and escalated to the supervising unit when the month ends
// without one. Quarterly supervision findings carry a rectification deadline with their own
// reminder and escalation. The supervisor closes the task once it reported 100% with every finding
// rectified. People act through updates whose validators refuse at once; the database is written
// by activities only. Each Shanghai year is one run (continued as new in January, or earlier
// when the history grows long), so a task that lives for years keeps a small history.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo, ApplicationFailure } from '@temporalio/workflow';
import type { GridSteeringActivities, SteeringStep } from '../activities/grid-steering.ts';
import {
  addSteeringFinding, closeSteeringTask, fileSteeringReport, rectifySteeringFinding, steeringStatus, type GridSteeringInput, type GridSteeringResult,
} from '../domain/grid-steering/contracts.ts';
import { shanghaiDate } from '../domain/time.ts';
import { apply, fire, initialState, nextAlarm, refusal, type Action, type Actor, type SteeringState } from '../domain/grid-steering/state.ts';

const acts = proxyActivities<GridSteeringActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes' },
});

/** Continue as new past this many events even if the server does not suggest it. */
const HISTORY_LIMIT = 2_000;

export async function gridSteeringTask(input: GridSteeringInput): Promise<GridSteeringResult> {
  const { taskId } = input;
  const fresh = !input.carried;
  const state: SteeringState = input.carried ?? initialState(input.months);
  const runYear = shanghaiDate(Date.now()).slice(0, 4);
  const snapshot = (): SteeringState => JSON.parse(JSON.stringify(state)) as SteeringState;
  setHandler(steeringStatus, snapshot);

  let recording = 0;
  const record = async (step: SteeringStep, actor: Actor | null, detail: Record<string, unknown> = {}) => {
    recording += 1;
    try {
      await acts.recordSteeringStep({ taskId, step, actor, state: snapshot(), detail, at: Date.now() });
    } finally {
      recording -= 1;
    }
  };
  const check = (action: Action) => {
    const refused = refusal(state, action, Date.now());
    if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
  };
  const act = async (action: Action, step: SteeringStep, actor: Actor, detail: Record<string, unknown>) => {
    apply(state, action, Date.now());
    await record(step, actor, detail);
    return snapshot();
  };

  setHandler(fileSteeringReport, (a) => act({ kind: 'report', month: a.month, progress: a.progress }, 'reported', a.actor,
    { month: a.month, progress: a.progress, content: a.content }), { validator: (a) => check({ kind: 'report', month: a.month, progress: a.progress }) });
  setHandler(addSteeringFinding, (a) => act({ kind: 'finding', findingId: a.findingId, rectifyBy: a.rectifyBy }, 'finding_added', a.actor,
    { findingId: a.findingId, finding: a.finding, rectifyBy: a.rectifyBy }), {
    validator: (a) => check({ kind: 'finding', findingId: a.findingId, rectifyBy: a.rectifyBy }),
  });
  setHandler(rectifySteeringFinding, (a) => act({ kind: 'rectify', findingId: a.findingId }, 'rectified', a.actor,
    { findingId: a.findingId, rectification: a.rectification }), { validator: (a) => check({ kind: 'rectify', findingId: a.findingId }) });
  setHandler(closeSteeringTask, (a) => act({ kind: 'close' }, 'closed', a.actor, { note: a.note }), { validator: (_a) => check({ kind: 'close' }) });

  if (fresh) {
    state.revision += 1;
    await record('started', null);
  }
  // A function, so the compiler does not narrow the status handlers change while the loop waits.
  const closed = () => state.status === 'closed';
  while (!closed()) {
    const info = workflowInfo();
    const newYear = shanghaiDate(Date.now()).slice(0, 4) > runYear;
    if (newYear || info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT) {
      await condition(() => allHandlersFinished() && recording === 0);
      if (!closed()) await continueAsNew<typeof gridSteeringTask>({ ...input, carried: snapshot() });
    }
    const revision = state.revision;
    const changed = () => state.revision !== revision;
    const alarm = nextAlarm(state);
    if (!alarm) {
      await condition(changed);
      continue;
    }
    const ms = alarm.at - Date.now();
    if (ms > 0 && (await condition(changed, ms))) continue;
    fire(state, alarm);
    await record(alarm.kind, null, 'month' in alarm ? { month: alarm.month } : { findingId: alarm.findingId });
  }
  await condition(() => allHandlersFinished() && recording === 0);
  return { status: 'closed', filed: state.filed.length, overdue: state.overdue.length, findings: state.findings.length };
}
