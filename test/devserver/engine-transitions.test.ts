// State transitions of the devserver's engine that are easy to get wrong, driven directly through
// the Engine's RPC methods (the shapes the service hands it) with a clock the test moves by hand:
// timeouts racing completions, cancellation of in-flight activities, update stages.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Clock, TimerHandle } from '../../devserver/clock.ts';
import { Engine } from '../../devserver/engine.ts';
import { NotFoundError } from '../../devserver/errors.ts';
import { Namespaces } from '../../devserver/namespaces.ts';
import { decodeMessage, lookupType, packAny } from '../../devserver/proto.ts';
import { MemoryStore } from '../../devserver/store/memory.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** A clock that moves only when the test says so; due timers run in time order, each awaited. */
class ManualClock implements Clock {
  readonly skipping = false;
  private t = Date.UTC(2026, 0, 5, 8);
  private timers: { at: number; seq: number; callback: () => unknown; cancelled: boolean }[] = [];
  private seq = 0;
  now(): number {
    return this.t;
  }
  schedule(at: number, callback: () => unknown): TimerHandle {
    const timer = { at, seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  lock(): void {}
  unlock(): void {}
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => !x.cancelled && x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.cancelled = true;
      this.t = Math.max(this.t, due.at);
      await due.callback();
    }
    this.t = target;
  }
}

const ns = 'default';
const taskQueue = 'transitions';
let clock: ManualClock;
let engine: Engine;
let seq = 0;

beforeEach(async () => {
  const store = new MemoryStore();
  await store.open();
  const namespaces = new Namespaces(store);
  await namespaces.load();
  clock = new ManualClock();
  engine = new Engine({ store, clock, logger: { info() {}, warn() {}, error() {}, debug() {} } as never, namespaces });
});

afterEach(() => engine.stop());

const soon = () => Date.now() + 3000;

async function start(): Promise<string> {
  const workflowId = `wf-${++seq}`;
  await engine.startWorkflow({ namespace: ns, workflowId, workflowType: { name: 'w' }, taskQueue: { name: taskQueue }, requestId: `r-${seq}` });
  return workflowId;
}

async function pollWorkflowTask(): Promise<Obj> {
  const task = await engine.pollWorkflowTask({ namespace: ns, taskQueue: { name: taskQueue }, identity: 'test' }, new AbortController().signal, soon());
  expect(task.taskToken).toBeDefined();
  return task;
}

async function pollActivityTask(): Promise<Obj> {
  const task = await engine.pollActivityTask({ namespace: ns, taskQueue: { name: taskQueue }, identity: 'test' }, new AbortController().signal, soon());
  expect(task.taskToken).toBeDefined();
  return task;
}

async function complete(task: Obj, commands: Obj[], messages: Obj[] = []): Promise<Obj> {
  return engine.respondWorkflowTaskCompleted({ taskToken: task.taskToken, commands, messages, identity: 'test' });
}

/** Whether a workflow task waits for a worker (its Scheduled event is written when one takes it). */
async function taskPending(workflowId: string): Promise<boolean> {
  const d = await engine.describe({ namespace: ns, execution: { workflowId } });
  return d.pendingWorkflowTask?.state === 'PENDING_WORKFLOW_TASK_STATE_SCHEDULED';
}

async function eventTypes(workflowId: string): Promise<string[]> {
  const page = await engine.getHistory({ namespace: ns, execution: { workflowId } }, new AbortController().signal, soon());
  return (page.history.events as Obj[]).map((e) => String(e.eventType).replace('EVENT_TYPE_', ''));
}

const scheduleActivity = (activityId: string, extra: Obj = {}): Obj => ({
  commandType: 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK',
  scheduleActivityTaskCommandAttributes: {
    activityId,
    activityType: { name: 'act' },
    startToCloseTimeout: { seconds: 5 },
    retryPolicy: { maximumAttempts: 1 },
    ...extra,
  },
});

/** Starts a workflow whose first task schedules one activity, and starts that activity. */
async function withRunningActivity(extra: Obj = {}): Promise<{ workflowId: string; activity: Obj }> {
  const workflowId = await start();
  await complete(await pollWorkflowTask(), [scheduleActivity('a1', extra)]);
  return { workflowId, activity: await pollActivityTask() };
}

describe('timeouts racing completions', () => {
  it('an activity completed after its start-to-close timeout fired is refused; the history keeps the timeout only', async () => {
    const { workflowId, activity } = await withRunningActivity();
    await clock.advance(5_000);
    await expect(engine.respondActivityCompleted({ taskToken: activity.taskToken, result: {} })).rejects.toBeInstanceOf(NotFoundError);
    const types = await eventTypes(workflowId);
    expect(types.slice(-3)).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_TIMED_OUT']);
    expect(types).not.toContain('ACTIVITY_TASK_COMPLETED');
    expect(await taskPending(workflowId)).toBe(true);
  });

  it('an activity completed just before its timeout is not timed out afterwards', async () => {
    const { workflowId, activity } = await withRunningActivity();
    await clock.advance(4_999);
    await engine.respondActivityCompleted({ taskToken: activity.taskToken, result: {} });
    await clock.advance(60_000);
    const types = await eventTypes(workflowId);
    expect(types.slice(-3)).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED']);
    expect(types).not.toContain('ACTIVITY_TASK_TIMED_OUT');
  });

  it('a retried activity attempt is a new task: the timed-out attempt cannot complete it', async () => {
    const { workflowId, activity } = await withRunningActivity({ retryPolicy: { maximumAttempts: 3, initialInterval: { seconds: 1 } } });
    await clock.advance(5_000);
    await clock.advance(1_000);
    const second = await pollActivityTask();
    expect(second.attempt).toBe(2);
    await expect(engine.respondActivityCompleted({ taskToken: activity.taskToken, result: {} })).rejects.toBeInstanceOf(NotFoundError);
    await engine.respondActivityCompleted({ taskToken: second.taskToken, result: {} });
    const types = await eventTypes(workflowId);
    // One Started (of the attempt that ended it) and one outcome, as Temporal writes them.
    expect(types.filter((t) => t.startsWith('ACTIVITY_TASK_'))).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED']);
  });

  it('a workflow task completed after its timeout is refused and the next attempt runs', async () => {
    const workflowId = await start();
    const first = await pollWorkflowTask();
    await clock.advance(10_000);
    await expect(complete(first, [])).rejects.toBeInstanceOf(NotFoundError);
    const second = await pollWorkflowTask();
    expect(second.attempt).toBe(2);
    await complete(second, [{ commandType: 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION', completeWorkflowExecutionCommandAttributes: {} }]);
    expect(await eventTypes(workflowId)).toEqual([
      'WORKFLOW_EXECUTION_STARTED',
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_TIMED_OUT',
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_COMPLETED',
      'WORKFLOW_EXECUTION_COMPLETED',
    ]);
  });

  it('a timer that fires while a workflow task runs is written after that task completes', async () => {
    const workflowId = await start();
    await complete(await pollWorkflowTask(), [
      { commandType: 'COMMAND_TYPE_START_TIMER', startTimerCommandAttributes: { timerId: 't1', startToFireTimeout: { seconds: 2 } } },
      { commandType: 'COMMAND_TYPE_START_TIMER', startTimerCommandAttributes: { timerId: 't2', startToFireTimeout: { seconds: 1 } } },
    ]);
    await clock.advance(1_000);
    const task = await pollWorkflowTask();
    await clock.advance(1_000); // t1 fires mid-task: buffered
    await complete(task, []);
    const types = await eventTypes(workflowId);
    expect(types.slice(-5)).toEqual(['TIMER_FIRED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_FIRED']);
    expect(await taskPending(workflowId)).toBe(true);
  });
});

describe('cancellation of activities', () => {
  it('a running activity learns of the cancel through its heartbeat and ends canceled', async () => {
    const { workflowId, activity } = await withRunningActivity({ heartbeatTimeout: { seconds: 3 } });
    // A signal gives the workflow a task in which it cancels the activity.
    await engine.signalWorkflow({ namespace: ns, workflowExecution: { workflowId }, signalName: 'stop' });
    const scheduledEventId = 5;
    await complete(await pollWorkflowTask(), [
      { commandType: 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK', requestCancelActivityTaskCommandAttributes: { scheduledEventId } },
    ]);
    expect((await engine.recordHeartbeat({ taskToken: activity.taskToken })).cancelRequested).toBe(true);
    await engine.respondActivityCanceled({ taskToken: activity.taskToken, identity: 'test' });
    const events = (await engine.getHistory({ namespace: ns, execution: { workflowId } }, new AbortController().signal, soon())).history.events as Obj[];
    const requested = events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED')!;
    const canceled = events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_CANCELED')!;
    expect(requested.activityTaskCancelRequestedEventAttributes.scheduledEventId).toBe(scheduledEventId);
    expect(canceled.activityTaskCanceledEventAttributes.latestCancelRequestedEventId).toBe(requested.eventId);
    expect(events.at(-1)!.eventType).toBe('EVENT_TYPE_ACTIVITY_TASK_CANCELED');
    expect(await taskPending(workflowId)).toBe(true);
    // The attempt is over: a late completion of it is refused.
    await expect(engine.respondActivityCompleted({ taskToken: activity.taskToken, result: {} })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a cancel-requested activity that fails is not retried', async () => {
    const { workflowId, activity } = await withRunningActivity({ retryPolicy: { maximumAttempts: 5 } });
    await engine.signalWorkflow({ namespace: ns, workflowExecution: { workflowId }, signalName: 'stop' });
    await complete(await pollWorkflowTask(), [
      { commandType: 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK', requestCancelActivityTaskCommandAttributes: { scheduledEventId: 5 } },
    ]);
    await engine.respondActivityFailed({ taskToken: activity.taskToken, failure: { message: 'boom', applicationFailureInfo: {} } });
    const types = await eventTypes(workflowId);
    expect(types.slice(-3)).toEqual(['ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_FAILED']);
    expect(await taskPending(workflowId)).toBe(true);
  });

  it('an activity not started yet is canceled at once and never handed to a worker', async () => {
    const workflowId = await start();
    await complete(await pollWorkflowTask(), [scheduleActivity('a1', { taskQueue: { name: 'nobody-polls' } })]);
    await engine.signalWorkflow({ namespace: ns, workflowExecution: { workflowId }, signalName: 'stop' });
    await complete(await pollWorkflowTask(), [
      { commandType: 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK', requestCancelActivityTaskCommandAttributes: { scheduledEventId: 5 } },
    ]);
    const types = await eventTypes(workflowId);
    expect(types.slice(-2)).toEqual(['ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED']);
    expect(await taskPending(workflowId)).toBe(true);
    const polled = await engine.pollActivityTask(
      { namespace: ns, taskQueue: { name: 'nobody-polls' }, identity: 'late' },
      new AbortController().signal,
      Date.now() + 1200,
    );
    expect(polled.taskToken).toBeUndefined();
  });
});

describe('update stages', () => {
  const updateRequest = (updateId: string) => ({ meta: { updateId, identity: 'test' }, input: { name: 'setLimit', args: {} } });
  const update = (workflowId: string, updateId: string, stage: 'ACCEPTED' | 'COMPLETED', deadline = soon()) =>
    engine.updateWorkflow(
      {
        namespace: ns,
        workflowExecution: { workflowId },
        request: updateRequest(updateId),
        waitPolicy: { lifecycleStage: `UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_${stage}` },
      },
      new AbortController().signal,
      deadline,
    );
  const message = (id: string, updateId: string, type: string, body: Obj) => ({
    id,
    protocolInstanceId: updateId,
    body: packAny(`temporal.api.update.v1.${type}`, body),
  });
  const protocolCommand = (messageId: string) => ({
    commandType: 'COMMAND_TYPE_PROTOCOL_MESSAGE',
    protocolMessageCommandAttributes: { messageId },
  });

  /** A workflow waiting (first task done, nothing pending). */
  async function idleWorkflow(): Promise<string> {
    const workflowId = await start();
    await complete(await pollWorkflowTask(), []);
    return workflowId;
  }

  it('admitted while no worker takes it, accepted, then completed with its outcome', async () => {
    const workflowId = await idleWorkflow();
    const admitted = await update(workflowId, 'u1', 'ACCEPTED', Date.now() + 1200);
    expect(admitted.stage).toBe('UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED');
    const before = await eventTypes(workflowId);

    const waiting = update(workflowId, 'u1', 'COMPLETED');
    const task = await pollWorkflowTask();
    const [request] = task.messages as Obj[];
    expect(request.protocolInstanceId).toBe('u1');
    expect(decodeMessage<Obj>(lookupType('temporal.api.update.v1.Request'), request.body.value).meta.updateId).toBe('u1');
    await complete(
      task,
      [protocolCommand('u1/accept')],
      [message('u1/accept', 'u1', 'Acceptance', { acceptedRequestMessageId: request.id, acceptedRequestSequencingEventId: request.eventId })],
    );
    const accepted = await engine.pollUpdate(
      {
        namespace: ns,
        updateRef: { workflowExecution: { workflowId }, updateId: 'u1' },
        waitPolicy: { lifecycleStage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED' },
      },
      new AbortController().signal,
      soon(),
    );
    expect(accepted.stage).toBe('UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED');
    expect(accepted.outcome).toBeUndefined();

    await engine.signalWorkflow({ namespace: ns, workflowExecution: { workflowId }, signalName: 'go' });
    const outcome = { success: { payloads: [{ metadata: {}, data: Buffer.from('"done"') }] } };
    await complete(await pollWorkflowTask(), [protocolCommand('u1/done')], [message('u1/done', 'u1', 'Response', { meta: { updateId: 'u1' }, outcome })]);
    const completed = await waiting;
    expect(completed.stage).toBe('UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED');
    expect(Buffer.from(completed.outcome.success.payloads[0].data).toString()).toBe('"done"');
    const after = await eventTypes(workflowId);
    expect(after.slice(before.length)).toEqual([
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_COMPLETED',
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'WORKFLOW_EXECUTION_SIGNALED',
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_COMPLETED',
      'WORKFLOW_EXECUTION_UPDATE_COMPLETED',
    ]);
    // Asked again by id, the completed update answers its outcome without a new task.
    expect((await update(workflowId, 'u1', 'COMPLETED')).stage).toBe('UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED');
  });

  it('rejected by the validator: the caller gets the failure and the history gets no events', async () => {
    const workflowId = await idleWorkflow();
    const before = await eventTypes(workflowId);
    const waiting = update(workflowId, 'u2', 'COMPLETED');
    const task = await pollWorkflowTask();
    const [request] = task.messages as Obj[];
    const res = await complete(task, [], [message('u2/reject', 'u2', 'Rejection', { rejectedRequestMessageId: request.id, failure: { message: 'not allowed' } })]);
    expect(res.resetHistoryEventId).toBe(before.length - 1); // the worker rolls back to the last completed task
    const rejected = await waiting;
    expect(rejected.stage).toBe('UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED');
    expect(rejected.outcome.failure.message).toBe('not allowed');
    expect(await eventTypes(workflowId)).toEqual(before);
  });

  it('accepted and left unfinished when the workflow completes: the caller gets AcceptedUpdateCompletedWorkflow', async () => {
    const workflowId = await idleWorkflow();
    const waiting = update(workflowId, 'u3', 'COMPLETED');
    const task = await pollWorkflowTask();
    const [request] = task.messages as Obj[];
    await complete(
      task,
      [protocolCommand('u3/accept'), { commandType: 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION', completeWorkflowExecutionCommandAttributes: {} }],
      [message('u3/accept', 'u3', 'Acceptance', { acceptedRequestMessageId: request.id, acceptedRequestSequencingEventId: request.eventId })],
    );
    const res = await waiting;
    expect(res.stage).toBe('UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED');
    expect(res.outcome.failure.applicationFailureInfo.type).toBe('AcceptedUpdateCompletedWorkflow');
  });

  it('an update admitted but never accepted when the workflow is terminated is aborted', async () => {
    const workflowId = await idleWorkflow();
    const waiting = update(workflowId, 'u4', 'COMPLETED');
    await new Promise((r) => setImmediate(r));
    await engine.terminate({ namespace: ns, workflowExecution: { workflowId }, reason: 'test' });
    await expect(waiting).rejects.toThrow(/aborted by closing workflow/);
  });
});
