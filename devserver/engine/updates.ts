// Updates: admitted (in memory), accepted or rejected by the worker (rejections leave no
// events), completed; waiting for a stage, PollWorkflowExecutionUpdate.
import { InvalidArgumentError, NotFoundError, WorkflowClosedError, WorkflowNotFoundError } from '../errors.ts';
import { decodeMessage, lookupType } from '../proto.ts';
import type { RunKey } from '../store/types.ts';
import type { RunState } from '../workflow/state.ts';
import { type Obj, MAX_POLL_WAIT_MS, type Run } from './model.ts';
import { EngineQueries } from './queries.ts';

export abstract class EngineUpdates extends EngineQueries {
  protected applyProtocolMessage(run: Run, message: Obj, completedId: number): void {
    const typeName = String(message.body?.type_url ?? '').replace(/^.*\//, '');
    if (!typeName.startsWith('temporal.api.update.v1.')) return;
    const body = decodeMessage<Obj>(lookupType(typeName), message.body.value);
    const updateId: string = message.protocolInstanceId;
    const s = run.s;
    const adm = run.admitted.get(updateId);
    if (typeName === 'temporal.api.update.v1.Acceptance') {
      if (s.updates[updateId]) return;
      const ev = this.write(run, 'workflowExecutionUpdateAccepted', {
        protocolInstanceId: updateId,
        acceptedRequestMessageId: body.acceptedRequestMessageId,
        acceptedRequestSequencingEventId: body.acceptedRequestSequencingEventId,
        acceptedRequest: adm?.request ?? body.acceptedRequest,
      });
      s.updates[updateId] = { updateId, acceptedEventId: ev.eventId };
      run.admitted.delete(updateId);
      this.notifyUpdateSoon(s.runId, updateId);
    } else if (typeName === 'temporal.api.update.v1.Rejection') {
      // Like Temporal, a rejection is not stored with the run: its callers get it, then it is forgotten.
      if (run.rejected.size >= 100) run.rejected.clear();
      run.rejected.set(updateId, { failure: body.failure });
      run.admitted.delete(updateId);
      this.notifyUpdateSoon(s.runId, updateId);
    } else if (typeName === 'temporal.api.update.v1.Response') {
      const rec = s.updates[updateId];
      if (!rec?.acceptedEventId || rec.outcome) return;
      this.write(run, 'workflowExecutionUpdateCompleted', {
        meta: body.meta ?? { updateId },
        acceptedEventId: rec.acceptedEventId,
        outcome: body.outcome,
      });
      rec.outcome = body.outcome;
      this.notifyUpdateSoon(s.runId, updateId);
    }
    void completedId;
  }

  protected updateStage(state: RunState, run: Run | undefined, updateId: string): 'none' | 'admitted' | 'accepted' | 'completed' {
    const rec = state.updates[updateId];
    if (rec?.outcome || run?.rejected.has(updateId)) return 'completed';
    if (rec?.acceptedEventId) return 'accepted';
    if (run?.admitted.has(updateId)) return 'admitted';
    return 'none';
  }

  protected updateResponse(state: RunState, updateId: string, stage: string, run?: Run): Obj {
    return {
      updateRef: { workflowExecution: { workflowId: state.workflowId, runId: state.runId }, updateId },
      outcome: state.updates[updateId]?.outcome ?? run?.rejected.get(updateId),
      stage: {
        none: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED',
        admitted: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED',
        accepted: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED',
        completed: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED',
      }[stage],
    };
  }

  protected waitForUpdate(runId: string, updateId: string, until: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const key = `${runId}/${updateId}`;
      let set = this.updateWaiters.get(key);
      if (!set) {
        set = new Set();
        this.updateWaiters.set(key, set);
      }
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /**
   * Waits until the update reaches `wanted` (or the wait times out: the caller gets the stage it
   * reached). A closed run answers from its committed state: an update completed in the task
   * that also closed the workflow returns its result; one never accepted was aborted.
   */
  protected async awaitUpdateStage(
    key: RunKey,
    updateId: string,
    wanted: 'accepted' | 'completed',
    until: number,
    signal: AbortSignal | undefined,
  ): Promise<Obj> {
    for (;;) {
      const run = this.runs.get(key.runId);
      // A closing run leaves RAM once its close is committed; until then, wait for that commit.
      if (!run?.closing) {
        const state = run?.s ?? (await this.loadRunState(key));
        if (!state) throw new WorkflowNotFoundError(key.workflowId, key.runId);
        const stage = this.updateStage(state, run, updateId);
        if (stage === 'completed' || (wanted === 'accepted' && stage === 'accepted')) return this.updateResponse(state, updateId, stage, run);
        if (state.status !== 'Running') throw new NotFoundError('workflow update was aborted by closing workflow');
        if (stage === 'none') throw new NotFoundError(`update ${updateId} not found`);
        if (Date.now() >= until || signal?.aborted) return this.updateResponse(state, updateId, stage, run);
      } else if (Date.now() >= until || signal?.aborted) {
        return this.updateResponse(run.s, updateId, this.updateStage(run.s, run, updateId), run);
      }
      await this.waitForUpdate(key.runId, updateId, until, signal);
    }
  }

  async updateWorkflow(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    const { run, state } = await this.resolveRun(req.namespace, req.workflowExecution);
    const updateId: string = req.request?.meta?.updateId;
    if (!updateId) throw new InvalidArgumentError('Update ID is not set on request.');
    const stage = this.updateStage(state, run, updateId);
    if (stage === 'completed') return this.updateResponse(state, updateId, stage, run);
    if (!run || !this.isOpen(run)) throw new WorkflowClosedError();
    if (stage === 'none') {
      run.admitted.set(updateId, { request: req.request, delivered: false });
      if (!run.s.wft) {
        // Nothing is written for it (a rejected update leaves no trace): queue it directly.
        this.scheduleSpeculativeWorkflowTask(run);
        this.afterMutation(run);
      }
    }
    const wanted =
      req.waitPolicy?.lifecycleStage === 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' ? 'completed' : 'accepted';
    const until = Math.min(deadline - 1000, Date.now() + 20_000);
    return this.awaitUpdateStage({ namespace: run.s.namespace, workflowId: run.s.workflowId, runId: run.s.runId }, updateId, wanted, until, signal);
  }

  async pollUpdate(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    const { run, state } = await this.resolveRun(req.namespace, req.updateRef?.workflowExecution);
    const updateId: string = req.updateRef?.updateId;
    const stage = this.updateStage(state, run, updateId);
    if (stage === 'none') throw new NotFoundError(`update ${updateId} not found`);
    const wanted =
      req.waitPolicy?.lifecycleStage === 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED' ? 'accepted' : 'completed';
    const until = Math.min(deadline - 1000, Date.now() + MAX_POLL_WAIT_MS);
    return this.awaitUpdateStage({ namespace: state.namespace, workflowId: state.workflowId, runId: state.runId }, updateId, wanted, until, signal);
  }
}
