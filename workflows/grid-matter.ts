// One grid matter (网格事项), reported, dispatched, handled and rated: workflow ID
// `grid-matter/<number>`. Handlers act through updates whose validators refuse at once
// (accept, answer, rate, merge); a timer reminds before the level's deadline and, past it,
// the matter climbs the chain 小区党支部 → 社区党委 → 街道党工委 → 县级党委 with the next level's
// deadline. The reporter's rating closes it, reopens it once, or sends it a level up. The
// database is written by activities only (the API reads it); a long-lived matter continues as
// new with its state carried.
import {
  allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo, ApplicationFailure,
} from '@temporalio/workflow';
import type { GridMatterActivities, MatterStep } from '../activities/grid-matter.ts';
import {
  absorbGridMatter,
  acceptGridMatter,
  answerGridMatter,
  gridMatterStatus,
  mergeGridMatter,
  rateGridMatter,
  type GridMatterInput,
  type GridMatterResult,
} from '../domain/grid-matter/contracts.ts';
import { apply, initialState, nextAlarm, overdue, refusal, type Action, type Actor, type GridMatterState } from '../domain/grid-matter/state.ts';

const options = { startToCloseTimeout: '1 minute', retry: { initialInterval: '2s', maximumInterval: '5 minutes' } } as const;
const acts = proxyActivities<GridMatterActivities>(options);
/**
 * The same activities run by the worker inside the workflow task (a marker in the history
 * instead of a scheduled activity and two more workflow tasks; a step's writes are one short
 * transaction): the steps nobody waits on (dispatch, reminders, climbs, the unrated close) and
 * the points credited after a rating was answered, and (since LOCAL_UPDATE_STEPS_PATCH) an
 * update's own step too: the update is accepted and completed in one workflow task, whose
 * completion waits for the write (milliseconds), instead of two tasks around an activity.
 */
const local = proxyLocalActivities<GridMatterActivities>(options);
/** Runs started before this patch record every step as an activity and still replay (test/workflows/histories/grid-matter-*-v1.json). */
export const LOCAL_STEPS_PATCH = 'grid-matter-local-steps';
/**
 * Runs started before this patch record an update's step as an activity and the rating's points
 * credit as a local activity of its own (histories/grid-matter-*-v2.json); after it, the update's
 * step is a local activity that also credits the points when the rating closed the matter.
 */
export const LOCAL_UPDATE_STEPS_PATCH = 'grid-matter-local-update-steps';
/** Steps recorded inside an update's handler, before its caller is answered. */
const UPDATE_STEPS: ReadonlySet<MatterStep> = new Set(['accepted', 'answered', 'rated', 'merged', 'absorbed']);

/** Continue as new past this many events even if the server does not suggest it (a matter lives days, rarely months). */
const HISTORY_LIMIT = 2_000;

export async function gridMatter(input: GridMatterInput): Promise<GridMatterResult> {
  const { matterId, plan } = input;
  const fresh = !input.carried;
  const localSteps = patched(LOCAL_STEPS_PATCH);
  // Asked lazily: an old run's first update (recorded before the patch) finds no marker and goes on as recorded.
  let localUpdates: boolean | undefined;
  const updatesLocal = () => (localUpdates ??= localSteps && patched(LOCAL_UPDATE_STEPS_PATCH));
  const state: GridMatterState = input.carried ?? initialState(plan, input.dispatchedAt ?? Date.now());
  const snapshot = (): GridMatterState => ({ ...state, duplicates: [...state.duplicates] });
  setHandler(gridMatterStatus, snapshot);

  let recording = 0;
  const record = async (step: MatterStep, actor: Actor | null, detail: Record<string, unknown> = {}, credit = false) => {
    recording += 1;
    try {
      const runLocally = localSteps && (!UPDATE_STEPS.has(step) || updatesLocal());
      await (runLocally ? local : acts).recordMatterStep({ matterId, number: input.number, step, actor, state: snapshot(), detail, at: Date.now(),
        ...(credit ? { credit } : {}) });
    } finally {
      recording -= 1;
    }
  };
  const check = (action: Action) => {
    const refused = refusal(state, action);
    if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
  };
  const act = async (action: Action, step: MatterStep, actor: Actor | null, detail: Record<string, unknown> = {}) => {
    apply(state, action, plan, Date.now());
    // A rating that closes the matter credits the reporter's points in the same local activity (after the patch).
    const credit = step === 'rated' && state.lastOutcome === 'closed' && updatesLocal();
    await record(step, actor, detail, credit);
    return snapshot();
  };

  setHandler(acceptGridMatter, (a) => act({ kind: 'accept', ...a }, 'accepted', a.actor), { validator: (a) => check({ kind: 'accept', ...a }) });
  setHandler(answerGridMatter, (a) => act({ kind: 'answer', actor: a.actor, text: a.text }, 'answered', a.actor, { text: a.text, photoIds: a.photoIds }), {
    validator: (a) => check({ kind: 'answer', actor: a.actor, text: a.text }),
  });
  setHandler(
    rateGridMatter,
    async (a) => {
      const after = await act({ kind: 'rate', ...a }, 'rated', null, { rating: a.rating, comment: a.comment });
      if (after.lastOutcome === 'closed' && !updatesLocal()) await (localSteps ? local : acts).creditResidentPoints({ matterId, number: input.number });
      return after;
    },
    { validator: (a) => check({ kind: 'rate', ...a }) },
  );
  setHandler(
    mergeGridMatter,
    (a) => act({ kind: 'merge', actor: a.actor, into: a.into, self: input.number }, 'merged', a.actor, { into: a.into, intoId: a.intoId }),
    { validator: (a) => check({ kind: 'merge', actor: a.actor, into: a.into, self: input.number }) },
  );
  setHandler(absorbGridMatter, (a) => act({ kind: 'absorb', ...a }, 'absorbed', null, { duplicate: a.duplicate }), {
    validator: (a) => check({ kind: 'absorb', ...a }),
  });

  // A matter filed with its dispatch (input.dispatchedAt) starts waiting at once: one local activity fewer.
  if (fresh && input.dispatchedAt === undefined) await record('dispatched', null);
  const finished = () => state.status === 'closed' || state.status === 'merged';
  const waitUntil = (at: number, changed: () => boolean) => {
    const ms = at - Date.now();
    return ms > 0 ? condition(changed, ms) : Promise.resolve(changed());
  };

  while (!finished()) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT) {
      await condition(() => allHandlersFinished() && recording === 0);
      if (!finished()) await continueAsNew<typeof gridMatter>({ ...input, carried: snapshot() });
    }
    const revision = state.revision;
    const changed = () => state.revision !== revision;
    if (state.status === 'answered') {
      // The reporter rates within the window; silence closes the matter unrated.
      if (await waitUntil((state.answeredAt ?? Date.now()) + plan.ratingWindowMs, changed)) continue;
      state.status = 'closed';
      state.closedAt = Date.now();
      state.revision += 1;
      await record('closed_unrated', null);
      break;
    }
    const alarm = nextAlarm(state, plan);
    if (!alarm) {
      await condition(changed);
      continue;
    }
    if (await waitUntil(alarm.at, changed)) continue;
    if (alarm.kind === 'remind') {
      state.reminded = true;
      state.revision += 1;
      await record('reminded', null);
    } else {
      const from = state.level;
      const climbed = overdue(state, plan, Date.now());
      await record(climbed ? 'climbed' : 'overdue_at_top', null, { from, reason: 'overdue' });
    }
  }
  await condition(() => allHandlersFinished() && recording === 0);
  return { outcome: state.status === 'merged' ? 'merged' : 'closed', rating: state.rating, level: state.level, climbs: state.climbs };
}
