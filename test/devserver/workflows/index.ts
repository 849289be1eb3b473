// Workflows the devserver conformance suite drives through the real SDK.
import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from './activities.ts';

const acts = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', retry: { initialInterval: '10ms', maximumAttempts: 5 } });

export const approve = defineSignal<[string]>('approve');
export const status = defineQuery<string>('status');
export const setLimit = defineUpdate<number, [number]>('setLimit');

export async function activityAndTimer(name: string): Promise<string> {
  const greeting = await acts.greet(name);
  await sleep('1 day');
  return `${greeting} after a day at ${new Date().toISOString().slice(0, 4)}`;
}

export async function flakyThenOk(): Promise<number> {
  return await acts.flaky(3);
}

export async function nonRetryable(): Promise<string> {
  return await acts.failHard();
}

export async function signalsQueriesUpdates(): Promise<string[]> {
  const approvals: string[] = [];
  let limit = 10;
  setHandler(approve, (who) => void approvals.push(who));
  setHandler(status, () => `approvals=${approvals.length} limit=${limit}`);
  setHandler(
    setLimit,
    (value) => {
      const previous = limit;
      limit = value;
      return previous;
    },
    {
      validator: (value) => {
        if (value < 0) throw new Error('limit must not be negative');
      },
    },
  );
  await condition(() => approvals.length >= 2);
  return [...approvals, `limit=${limit}`];
}

export async function waitForCancel(): Promise<string> {
  try {
    await condition(() => false);
    return 'never';
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => acts.greet('cleanup'));
      throw error;
    }
    throw error;
  }
}

export async function counter(n: number, until: number): Promise<number> {
  if (n < until) await continueAsNew<typeof counter>(n + 1, until);
  return n;
}

export async function child(x: number): Promise<number> {
  if (x < 0) throw ApplicationFailure.nonRetryable('negative', 'BadInput');
  await sleep('1 hour');
  return x * 2;
}

export async function longChild(): Promise<void> {
  await sleep('365 days');
}

export async function parent(x: number): Promise<string> {
  const doubled = await executeChild(child, { args: [x] });
  let failure = '';
  try {
    await executeChild(child, { args: [-1] });
  } catch (error) {
    failure = (error as Error & { cause?: Error }).cause?.message ?? String(error);
  }
  const abandoned = await startChild(longChild, { workflowId: `${workflowInfo().workflowId}-abandoned`, parentClosePolicy: ParentClosePolicy.ABANDON });
  await startChild(longChild, { workflowId: `${workflowInfo().workflowId}-terminated` });
  void abandoned;
  return `${doubled}|${failure}`;
}

export async function cancelChild(): Promise<string> {
  const handle = await startChild(longChild, { workflowId: `${workflowInfo().workflowId}-child` });
  await sleep('1 minute');
  const scope = new CancellationScope();
  void scope;
  await getExternalWorkflowHandle(handle.workflowId).cancel();
  try {
    await handle.result();
    return 'completed';
  } catch (error) {
    return (error as Error & { cause?: Error }).cause?.name ?? 'failed';
  }
}

export async function signaller(target: string): Promise<void> {
  await getExternalWorkflowHandle(target).signal(approve, 'external');
  await getExternalWorkflowHandle(target).signal(approve, 'external-2');
}

export async function heartbeatCancel(): Promise<string> {
  const heartbeating = proxyActivities<typeof activities>({
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: '5s',
    cancellationType: 'WAIT_CANCELLATION_COMPLETED' as never,
  });
  const scope = new CancellationScope();
  const promise = scope.run(() => heartbeating.heartbeatUntilCancelled());
  await sleep('2s');
  scope.cancel();
  try {
    return await promise;
  } catch (error) {
    return isCancellation(error) ? 'cancelled' : String(error);
  }
}

export async function heartbeatTimeout(): Promise<string> {
  const slow = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute', heartbeatTimeout: '1s', retry: { maximumAttempts: 2, initialInterval: '10ms' } });
  try {
    await slow.stopsHeartbeating();
    return 'ok';
  } catch (error) {
    const cause = (error as Error & { cause?: Error & { timeoutType?: number } }).cause;
    return `${cause?.name}:${cause?.timeoutType}`;
  }
}

export async function searchable(tag: string): Promise<void> {
  upsertSearchAttributes({ CustomKeywordField: [tag] });
  upsertMemo({ note: `memo-${tag}` });
  await sleep('1 second');
}

export async function failsOnce(): Promise<string> {
  if (workflowInfo().attempt < 2) throw ApplicationFailure.retryable('first attempt fails', 'Transient');
  return `attempt ${workflowInfo().attempt}`;
}

export async function durable(name: string): Promise<string> {
  const slowActs = proxyActivities<typeof activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '100ms' } });
  const approvals: string[] = [];
  setHandler(approve, (who) => void approvals.push(who));
  const greeting = await slowActs.slowGreet(name);
  await sleep('3s');
  await condition(() => approvals.length > 0);
  return `${greeting}/${approvals.join(',')}`;
}

export const finish = defineUpdate<string, [string]>('finish');

/** Its `finish` update lets the workflow return in the same workflow task that runs the handler. */
export async function finishedByUpdate(): Promise<string> {
  let finishedBy: string | undefined;
  setHandler(
    finish,
    (who) => {
      finishedBy = who;
      return `bye ${who}`;
    },
    {
      validator: (who) => {
        if (!who) throw new Error('who is required');
      },
    },
  );
  await condition(() => finishedBy !== undefined);
  return `finished by ${finishedBy}`;
}

const orderActs = proxyActivities<{ processOrder(): Promise<void>; sendReminder(): Promise<void> }>({ startToCloseTimeout: '3 days' });

/** Sends a reminder when processing takes longer than a day (samples-typescript timer-examples). */
export async function remindIfSlow(): Promise<string> {
  let processing = true;
  const processed = orderActs.processOrder().then(() => {
    processing = false;
  });
  await Promise.race([processed, sleep('1 day')]);
  let reminded = false;
  if (processing) {
    await orderActs.sendReminder();
    reminded = true;
  }
  await processed;
  return reminded ? 'reminded' : 'on time';
}

/** The workflow's own priority key and those its activities get: one inherited, one of its own. */
export async function priorities(): Promise<(number | undefined)[]> {
  const inherited = await acts.priorityKey();
  const own = await proxyActivities<typeof activities>({ startToCloseTimeout: '10s', priority: { priorityKey: 2 } }).priorityKey();
  return [workflowInfo().priority?.priorityKey, inherited, own];
}
