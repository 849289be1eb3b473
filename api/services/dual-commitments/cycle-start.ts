// Starting a dual commitments cycle's workflows in the background. The state is in the
// database, not in memory: a set is pending while started_at and start_error are both null,
// started once its workflow exists, failed with the reason otherwise. A start that was cut
// short (the API process stopped) is resumed at the next boot, and failed starts can be
// retried; the workflow ID is the business key, so starting twice never runs a cycle twice.
import type { FastifyBaseLogger } from 'fastify';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { CommitmentSet } from '../../../domain/entities/commitment.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { gatePlan, resolveSettings, variantForKind } from '../../../domain/dual-commitment/rules.ts';
import { DUAL_COMMITMENT_WORKFLOW, type DualCommitmentInput } from '../../../domain/dual-commitment/contracts.ts';
import { clockOf } from '../../../domain/clock.ts';
import { createBacklogPacer, DEFAULT_PACING, processLoopDelay, workflowQueueBacklog, type BacklogPacer, type PacerOptions } from '../backlog-pacer.ts';

/** Workflows started at once while a cycle starts; the rest queue behind them. */
const START_CONCURRENCY = 32;
/** Sets read from the database per round, so a 10,000-organization start stays small in memory. */
const BATCH = 500;
/**
 * Temporal's priority key of the cycle's workflows (1 highest .. 5 lowest, unset = 3): below
 * the default, so the start's first workflow tasks, matched lowest key first, never hold up the
 * tasks and activities of other workflows (other cycles, grid matters) on the same queues. Their
 * own later tasks keep it; those of a cached workflow go to its worker's sticky queue, which the
 * start's backlog does not reach, and the pacing bounds that backlog for the rest.
 */
export const CYCLE_START_PRIORITY_KEY = 4;

export interface CycleStarter {
  /** Starts every pending set of the cycle in the background; returns at once. */
  startInBackground(cycleId: string): void;
  /** Resolves when no start of this cycle is running in this process (tests, shutdown). */
  idle(cycleId: string): Promise<void>;
  /** Resumes every cycle with pending sets (called at boot). */
  resumePending(): Promise<void>;
  close(): Promise<void>;
}

export interface CycleStarterDeps {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
  log: FastifyBaseLogger;
  /**
   * How the start is paced by the workflow task queue's backlog (see backlog-pacer.ts): people's
   * updates queue behind at most this backlog, not behind thousands of first workflow tasks.
   * `false` starts unpaced (benches compare both).
   */
  pacing?: PacerOptions | false;
}

export function createCycleStarter(deps: CycleStarterDeps): CycleStarter {
  const running = new Map<string, Promise<void>>();
  let closing = false;

  async function startPending(cycleId: string): Promise<void> {
    const em = deps.orm.em.fork() as EntityManager;
    const cycle = await em.findOneOrFail(Cycle, { id: cycleId });
    const plan = gatePlan(cycle.year, resolveSettings(cycle.year, cycle.settings).settings);
    const counts = { started: 0, failed: 0 };
    const pacing = deps.pacing ?? DEFAULT_PACING;
    const loop = pacing ? processLoopDelay() : null;
    const pacer = pacing ? createBacklogPacer(workflowQueueBacklog(deps.temporal, deps.taskQueue), pacing, () => closing, loop!.read) : null;
    const begun = performance.now();
    try {
      await startRounds(em, cycleId, plan, pacer, counts);
    } finally {
      loop?.close();
    }
    const seconds = Math.round(performance.now() - begun) / 1000;
    const paced = pacer ? { pacedSeconds: Math.round(pacer.stats.waitedMs) / 1000, ...pacer.stats } : { paced: false };
    deps.log.info({ cycleId, ...counts, seconds, ...paced }, 'dual commitments cycle start finished');
  }

  type Counts = { started: number; failed: number };
  async function startRounds(em: EntityManager, cycleId: string, plan: DualCommitmentInput['plan'], pacer: BacklogPacer | null, counts: Counts) {
    for (;;) {
      if (closing) return;
      em.clear();
      const sets = await em.find(
        CommitmentSet,
        { cycle: cycleId, startedAt: null, startError: null },
        { populate: ['organization'], limit: BATCH, orderBy: { id: 'asc' } },
      );
      if (sets.length === 0) break;
      let next = 0;
      const startedIds: string[] = [];
      const worker = async () => {
        for (let set = sets[next++]; set && !closing; set = sets[next++]) {
          const input: DualCommitmentInput = { setId: set.id, cycleId, organizationId: set.organization.id, year: set.year, plan };
          // The organization's kind decides the variant: resident units run 四双.
          if (variantForKind(set.organization.getEntity().kind) === 'resident_unit') input.variant = 'resident_unit';
          if (pacer && !(await pacer.acquire())) return;
          try {
            await deps.temporal.workflow.start(DUAL_COMMITMENT_WORKFLOW, {
              taskQueue: deps.taskQueue, workflowId: set.workflowId, args: [input], priority: { priorityKey: CYCLE_START_PRIORITY_KEY },
            });
          } catch (error) {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
              counts.failed += 1;
              deps.log.error({ err: error, setId: set.id, cycleId }, 'could not start a dual commitment workflow');
              await em.nativeUpdate(CommitmentSet, { id: set.id }, { startError: reasonOf(error) });
              continue;
            }
          } finally {
            pacer?.started();
          }
          counts.started += 1;
          startedIds.push(set.id);
        }
      };
      await Promise.all(Array.from({ length: START_CONCURRENCY }, worker));
      // One write per batch; a set started but not yet marked (the process stopped here) is
      // started again at the next boot, which finds it running and marks it.
      if (startedIds.length > 0) await em.nativeUpdate(CommitmentSet, { id: { $in: startedIds } }, { startedAt: clockOf(em).now(), startError: null });
    }
  }

  function startInBackground(cycleId: string): void {
    const previous = running.get(cycleId);
    // A start already running for this cycle picks up newly pending sets in its next round;
    // one more round after it ends catches those it had already passed.
    const run = (previous ?? Promise.resolve())
      .then(() => startPending(cycleId))
      .catch((error) => deps.log.error({ err: error, cycleId }, 'dual commitments cycle start stopped; it resumes at the next boot or retry'))
      .finally(() => { if (running.get(cycleId) === run) running.delete(cycleId); });
    running.set(cycleId, run);
  }

  return {
    startInBackground,
    async idle(cycleId) {
      while (running.has(cycleId)) await running.get(cycleId);
    },
    async resumePending() {
      const rows = await deps.orm.em
        .fork()
        .getConnection()
        .execute<{ cycle_id: string }[]>(
          "select distinct s.cycle_id from commitment_set s join cycle c on c.id = s.cycle_id where c.status = 'running' and s.started_at is null and " +
            "s.start_error is null",
        );
      for (const row of rows) startInBackground(row.cycle_id);
      if (rows.length) deps.log.info({ cycles: rows.length }, 'resuming dual commitments cycle starts cut short');
    },
    async close() {
      closing = true;
      await Promise.all(running.values());
    },
  };
}

const reasonOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
