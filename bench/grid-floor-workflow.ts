// The workflow of bench/grid-floor.ts: a grid matter's shape with none of its logic. Started by the
// report; each update (accept, answer, rate) is one workflow task that runs one local activity (one
// PostgreSQL insert) before answering, as the matter's updates do; while it waits, a timer is armed
// (the matter's reminder, deadline or rating window) and, when it fires, one local activity records
// it; a satisfied rating, or the rating window passing, ends it.
import { allHandlersFinished, condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export type FloorStep = 'accept' | 'answer' | 'satisfied' | 'unsatisfied';
export const floorStep = defineUpdate<number, [FloorStep]>('floorStep');

export interface FloorActivities {
  insertStep(input: { matterId: string; step: string; at: number }): Promise<void>;
}

const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });
const DAY_MS = 86_400_000;

export async function gridFloor(input: { matterId: string; ratingWindowDays: number }): Promise<void> {
  let status = 'open' as 'open' | 'answered' | 'closed';
  let revision = 0;
  setHandler(floorStep, async (step) => {
    revision += 1;
    if (step === 'answer') status = 'answered';
    else if (step === 'satisfied') status = 'closed';
    else if (step === 'unsatisfied') status = 'open';
    await local.insertStep({ matterId: input.matterId, step, at: Date.now() });
    return revision;
  });
  while (status !== 'closed') {
    const seen = revision;
    const waiting = status;
    if (await condition(() => revision !== seen, waiting === 'answered' ? input.ratingWindowDays * DAY_MS : DAY_MS)) continue;
    await local.insertStep({ matterId: input.matterId, step: waiting === 'answered' ? 'closed_unrated' : 'timer', at: Date.now() });
    if (waiting === 'answered') status = 'closed';
  }
  await condition(allHandlersFinished);
}
