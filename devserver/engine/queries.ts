// Queries: riding a workflow task or sent as query tasks (sticky queue first when its worker is
// alive, else the normal queue), answered by the worker or timed out.
import { randomUUID } from 'node:crypto';
import { NotFoundError, QueryFailedError } from '../errors.ts';
import { TaskQueues, type TaskRef } from '../taskqueues.ts';
import type { RunState } from '../workflow/state.ts';
import { toTimestamp } from '../workflow/time.ts';
import { statusEnumName } from '../visibility/record.ts';
import {
  type Obj,
  DEFAULT_STICKY_TIMEOUT_MS,
  HISTORY_PAGE_SIZE,
  MAX_POLL_WAIT_MS,
  encodeToken,
  decodeToken,
  type QueryWaiter,
  type Run,
} from './model.ts';
import { EngineWorkflowTasks } from './workflow-tasks.ts';

export abstract class EngineQueries extends EngineWorkflowTasks {
  async query(req: Obj, deadline: number): Promise<Obj> {
    const { run, state } = await this.resolveRun(req.namespace, req.execution);
    const reject = req.queryRejectCondition as string | undefined;
    if (state.status !== 'Running') {
      if (
        reject === 'QUERY_REJECT_CONDITION_NOT_OPEN' ||
        (reject === 'QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY' && state.status !== 'Completed')
      ) {
        return { queryRejected: { status: statusEnumName(state.status) } };
      }
    }
    const id = randomUUID();
    const key = { namespace: state.namespace, workflowId: state.workflowId, runId: state.runId };
    return new Promise<Obj>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.clearQueryStickyTimer(waiter);
          this.queries.delete(id);
          reject(new QueryFailedError('query timed out: no worker answered'));
        },
        Math.max(1000, Math.min(deadline - Date.now() - 500, MAX_POLL_WAIT_MS)),
      );
      const waiter: QueryWaiter = {
        id,
        key,
        taskQueue: state.taskQueue,
        query: req.query,
        state: 'waiting',
        resolve: (r) => {
          clearTimeout(timer);
          this.clearQueryStickyTimer(waiter);
          this.queries.delete(id);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.clearQueryStickyTimer(waiter);
          this.queries.delete(id);
          reject(e);
        },
      };
      this.queries.set(id, waiter);
      if (run && this.isOpen(run) && run.s.wft) return; // rides the pending or next workflow task
      if (run && this.isOpen(run)) this.enqueueQueryTask(waiter, run);
      else this.enqueueQueryTaskOnQueue(waiter, state);
    });
  }

  protected enqueueQueryTask(q: QueryWaiter, run: Run): void {
    this.enqueueQueryTaskOnQueue(q, run.s, run);
  }

  /**
   * Queues a query task, as Temporal's history does: on the run's sticky queue when its worker
   * polled it lately, for at most the sticky schedule-to-start timeout; otherwise (or after that)
   * stickiness is cleared and the query goes to the normal queue, where any worker can answer it.
   */
  protected enqueueQueryTaskOnQueue(q: QueryWaiter, state: RunState | undefined, run?: Run): void {
    q.state = 'queued';
    this.clearQueryStickyTimer(q);
    let queue = q.taskQueue;
    if (run && state && this.isOpen(run) && state.stickyQueue) {
      if (this.stickyAvailable(state)) {
        queue = state.stickyQueue;
        q.stickyQueue = queue;
        q.stickyTimer = setTimeout(() => this.stickyQueryTimedOut(q, run, queue), state.stickyScheduleToStartMs || DEFAULT_STICKY_TIMEOUT_MS);
      } else {
        this.counters.stickyUnavailable++;
        this.clearStickiness(run);
        this.commitSoon();
      }
    }
    this.queues.offer(TaskQueues.key(q.key.namespace, 'workflow', queue), {
      kind: 'query',
      namespace: q.key.namespace,
      workflowId: q.key.workflowId,
      runId: q.key.runId,
      priorityKey: state?.priority?.priorityKey,
      id: q.id,
    });
  }

  protected clearQueryStickyTimer(q: QueryWaiter): void {
    if (q.stickyTimer) clearTimeout(q.stickyTimer);
    q.stickyTimer = undefined;
    q.stickyQueue = undefined;
  }

  /** Nobody took the query from the sticky queue in time: the worker is gone or stuck. */
  protected stickyQueryTimedOut(q: QueryWaiter, run: Run, queue: string): void {
    if (this.queries.get(q.id) !== q || q.state !== 'queued' || q.stickyQueue !== queue) return;
    this.counters.stickyFallbacks++;
    if (this.isOpen(run) && run.s.stickyQueue === queue) {
      this.clearStickiness(run);
      this.commitSoon();
    }
    this.enqueueQueryTaskOnQueue(q, run.s, run);
  }

  protected async dispatchQueryTask(ref: TaskRef, queueName: string): Promise<Obj | undefined> {
    const q = this.queries.get(ref.id!);
    if (!q || q.state !== 'queued') return undefined;
    const run = this.runs.get(ref.runId);
    const state = run?.s ?? (await this.loadRunState(q.key));
    if (!state || !this.queries.has(q.id) || q.state !== 'queued') return undefined;
    q.state = 'task';
    this.clearQueryStickyTimer(q);
    // A sticky worker has the run cached: its query task carries no history.
    const sticky = queueName !== state.taskQueue;
    const events = sticky ? [] : run ? run.events.slice(0, HISTORY_PAGE_SIZE) : await this.store.readHistory(q.key, 1, HISTORY_PAGE_SIZE);
    const total = state.nextEventId - 1 - (run ? 0 : 0);
    const lastSent = events.length ? events[events.length - 1]!.eventId : 0;
    return {
      taskToken: encodeToken({ k: 'q', ns: q.key.namespace, wid: q.key.workflowId, rid: q.key.runId, qid: q.id }),
      workflowExecution: { workflowId: state.workflowId, runId: state.runId },
      workflowType: { name: state.workflowType },
      previousStartedEventId: state.previousStartedEventId || undefined,
      startedEventId: state.previousStartedEventId || undefined,
      attempt: 1,
      history: { events },
      nextPageToken: !sticky && lastSent < total ? this.pageToken(state.runId, lastSent + 1) : undefined,
      query: q.query,
      workflowExecutionTaskQueue: { name: state.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      scheduledTime: toTimestamp(this.now()),
      startedTime: toTimestamp(this.now()),
    };
  }

  respondQueryTaskCompleted(req: Obj): void {
    const token = decodeToken(req.taskToken);
    const q = this.queries.get(token.qid ?? '');
    if (!q) throw new NotFoundError('query not found (it may have timed out)');
    if (req.completedType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: req.queryResult });
    else q.reject(new QueryFailedError(req.errorMessage ?? 'query failed', req.failure));
  }

  protected answerWftQueries(results: Obj | undefined): void {
    if (!results) return;
    for (const [id, result] of Object.entries(results as Record<string, Obj>)) {
      const q = this.queries.get(id);
      if (!q) continue;
      if (result.resultType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: result.answer });
      else q.reject(new QueryFailedError(result.errorMessage ?? 'query failed', result.failure));
    }
  }
}
