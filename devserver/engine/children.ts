// Child workflows and external workflows: starting children, telling parents how they ended,
// signalling and cancelling other workflows.
import { inheritPriority, type RunState } from '../workflow/state.ts';
import { durationMs } from '../workflow/time.ts';
import { type Obj, attrsOf, type Run } from './model.ts';
import { EngineExecutions } from './executions.ts';

export abstract class EngineChildren extends EngineExecutions {
  protected notifyParent(run: Run, status: RunState['status'], attrs: Obj): void {
    const p = run.s.parent;
    if (!p) return;
    const parent = this.runs.get(p.runId);
    if (!parent || !this.isOpen(parent)) return;
    const child = parent.s.children[String(p.initiatedEventId)];
    if (!child) return;
    delete parent.s.children[String(p.initiatedEventId)];
    const common = {
      namespace: run.s.namespace,
      workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      workflowType: { name: run.s.workflowType },
      initiatedEventId: p.initiatedEventId,
      startedEventId: child.startedEventId ?? -2,
    };
    switch (status) {
      case 'Completed':
        this.record(parent, 'childWorkflowExecutionCompleted', { ...common, result: attrs.result });
        break;
      case 'Failed':
        this.record(parent, 'childWorkflowExecutionFailed', { ...common, failure: attrs.failure, retryState: attrs.retryState });
        break;
      case 'Canceled':
        this.record(parent, 'childWorkflowExecutionCanceled', { ...common, details: attrs.details });
        break;
      case 'TimedOut':
        this.record(parent, 'childWorkflowExecutionTimedOut', { ...common, retryState: attrs.retryState });
        break;
      case 'Terminated':
        this.record(parent, 'childWorkflowExecutionTerminated', common);
        break;
      default:
        return;
    }
    this.scheduleWorkflowTask(parent);
  }

  /** Starts children whose StartChildWorkflowExecutionInitiated is committed but not acted on. */
  protected startPendingChildren(run: Run): void {
    for (const child of Object.values(run.s.children)) {
      if (child.runId || run.startingChildren.has(String(child.initiatedEventId))) continue;
      run.startingChildren.add(String(child.initiatedEventId));
      this.startChild(run, child.initiatedEventId)
        .catch((error: unknown) => this.logger.error({ err: error }, 'devserver child start failed'))
        .finally(() => run.startingChildren.delete(String(child.initiatedEventId)));
    }
  }

  protected async startChild(parent: Run, initiatedEventId: number): Promise<void> {
    const initiated = parent.events[initiatedEventId - 1];
    if (!initiated) return;
    const a = attrsOf(initiated);
    const child = parent.s.children[String(initiatedEventId)];
    if (!child) return;
    const requestId = `${parent.s.runId}:${initiatedEventId}`;
    const current = await this.lookupCurrent(child.namespace, child.workflowId);
    if (!this.isOpen(parent) || parent.s.children[String(initiatedEventId)] !== child || child.runId) return;
    const open = this.openByWorkflowId.get(this.wfKey(child.namespace, child.workflowId));
    let childRun: Run | undefined;
    if (open && open.s.startRequestId === requestId) childRun = open;
    else if (current.closed?.startRequestId === requestId) {
      // Started and already finished before a restart: the parent heard of it through notifyParent.
      return;
    } else {
      const reuse: string = a.workflowIdReusePolicy ?? 'WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED';
      const rejected =
        !!open ||
        (current.closed &&
          (reuse === 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE' ||
            (reuse === 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && current.closed.status === 'Completed')));
      if (rejected) {
        delete parent.s.children[String(initiatedEventId)];
        this.record(parent, 'startChildWorkflowExecutionFailed', {
          namespace: child.namespace,
          workflowId: child.workflowId,
          workflowType: a.workflowType,
          cause: 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS',
          control: a.control,
          initiatedEventId,
          workflowTaskCompletedEventId: a.workflowTaskCompletedEventId,
        });
        this.scheduleWorkflowTask(parent);
        await this.commit();
        return;
      }
      childRun = this.createRun({
        namespace: child.namespace,
        workflowId: child.workflowId,
        workflowType: child.workflowType,
        taskQueue: a.taskQueue?.name || parent.s.taskQueue,
        input: a.input,
        header: a.header,
        executionTimeoutMs: durationMs(a.workflowExecutionTimeout),
        runTimeoutMs: durationMs(a.workflowRunTimeout),
        taskTimeoutMs: durationMs(a.workflowTaskTimeout),
        requestId,
        retryPolicy: a.retryPolicy,
        attempt: 1,
        cronSchedule: a.cronSchedule,
        memo: a.memo?.fields,
        searchAttributes: a.searchAttributes?.indexedFields,
        parent: { namespace: parent.s.namespace, workflowId: parent.s.workflowId, runId: parent.s.runId, initiatedEventId },
        root: parent.s.root,
        priority: inheritPriority(a.priority ?? undefined, parent.s.priority),
      });
    }
    child.runId = childRun.s.runId;
    this.record(parent, 'childWorkflowExecutionStarted', {
      namespace: child.namespace,
      initiatedEventId,
      workflowExecution: { workflowId: child.workflowId, runId: childRun.s.runId },
      workflowType: { name: child.workflowType },
      header: a.header,
    });
    const last = parent.s.buffered.length === 0 ? parent.events[parent.events.length - 1] : undefined;
    if (last?.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED') child.startedEventId = last.eventId;
    this.scheduleWorkflowTask(parent);
    await this.commit();
  }

  protected signalExternal(run: Run, a: Obj, completedId: number): void {
    const namespace = a.namespace || run.s.namespace;
    const initiated = this.write(run, 'signalExternalWorkflowExecutionInitiated', {
      workflowTaskCompletedEventId: completedId,
      namespace,
      workflowExecution: a.execution,
      signalName: a.signalName,
      input: a.input,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      header: a.header,
    });
    const target = this.findOpenTarget(namespace, a.execution, a.childWorkflowOnly, run);
    if (!target) {
      this.record(run, 'signalExternalWorkflowExecutionFailed', {
        cause: 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
        workflowTaskCompletedEventId: completedId,
        namespace,
        workflowExecution: a.execution,
        initiatedEventId: initiated.eventId,
        control: a.control,
      });
    } else {
      this.deliverSignal(target, {
        signalName: a.signalName,
        input: a.input,
        header: a.header,
        externalWorkflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      });
      this.record(run, 'externalWorkflowExecutionSignaled', {
        initiatedEventId: initiated.eventId,
        namespace,
        workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
        control: a.control,
      });
    }
    this.scheduleWorkflowTask(run);
  }

  protected cancelExternal(run: Run, a: Obj, completedId: number): void {
    const namespace = a.namespace || run.s.namespace;
    const execution = { workflowId: a.workflowId, runId: a.runId };
    const initiated = this.write(run, 'requestCancelExternalWorkflowExecutionInitiated', {
      workflowTaskCompletedEventId: completedId,
      namespace,
      workflowExecution: execution,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      reason: a.reason,
    });
    const target = this.findOpenTarget(namespace, execution, a.childWorkflowOnly, run);
    if (!target) {
      this.record(run, 'requestCancelExternalWorkflowExecutionFailed', {
        cause: 'CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
        workflowTaskCompletedEventId: completedId,
        namespace,
        workflowExecution: execution,
        initiatedEventId: initiated.eventId,
        control: a.control,
      });
    } else {
      this.requestCancelRun(target, {
        cause: a.reason,
        externalInitiatedEventId: initiated.eventId,
        externalWorkflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      });
      this.record(run, 'externalWorkflowExecutionCancelRequested', {
        initiatedEventId: initiated.eventId,
        namespace,
        workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
      });
    }
    this.scheduleWorkflowTask(run);
  }

  protected findOpenTarget(namespace: string, execution: Obj | undefined, childOnly: boolean, source: Run): Run | undefined {
    const workflowId: string | undefined = execution?.workflowId;
    if (!workflowId) return undefined;
    const target = this.openByWorkflowId.get(this.wfKey(namespace, workflowId));
    if (!target || (execution?.runId && target.s.runId !== execution.runId && target.s.firstRunId !== execution.runId)) return undefined;
    if (childOnly && target.s.parent?.runId !== source.s.runId) return undefined;
    return target;
  }
}
