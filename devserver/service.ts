// WorkflowService handlers: request validation and response shapes; semantics live in engine.ts.
import { status } from '@grpc/grpc-js';
import type { Engine } from './engine.ts';
import { executionInfoFromRecord } from './engine.ts';
import { ServiceError } from './errors.ts';
import type { Handlers } from './grpc.ts';
import type { Namespaces } from './namespaces.ts';
import type { WorkflowStore } from './store/types.ts';
import { TaskQueues } from './taskqueues.ts';
import { parseVisibilityQuery } from './visibility/query.ts';
import { toDuration, toTimestamp } from './workflow/time.ts';

export const SERVER_VERSION = '1.27.0-devserver';

export function workflowServiceHandlers(engine: Engine, namespaces: Namespaces, store: WorkflowStore): Handlers {
  const listExecutions: Handlers[string] = async (req) => {
    namespaces.require(req.namespace);
    const filter = parseVisibilityQuery(req.query);
    const token = req.nextPageToken?.length ? Buffer.from(req.nextPageToken).toString() : undefined;
    const page = await store.listRuns(req.namespace, filter, req.pageSize || 1000, token);
    return {
      executions: page.records.map(executionInfoFromRecord),
      nextPageToken: page.nextPageToken ? Buffer.from(page.nextPageToken) : undefined,
    };
  };
  return {
    getSystemInfo: () => ({
      serverVersion: SERVER_VERSION,
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        supportsSchedules: false,
        encodedFailureAttributes: true,
        buildIdBasedVersioning: false,
        upsertMemo: true,
        eagerWorkflowStart: false,
        sdkMetadata: true,
        countGroupByExecutionStatus: false,
        nexus: false,
      },
    }),
    describeNamespace: (req) => namespaces.describe(namespaces.require(req.namespace || req.id || 'default')),
    listNamespaces: () => ({ namespaces: namespaces.list().map((ns) => namespaces.describe(ns)) }),
    registerNamespace: async (req) => {
      await namespaces.register(req);
      return {};
    },
    startWorkflowExecution: async (req) => {
      const { runId, started } = await engine.startWorkflow(req);
      return { runId, started };
    },
    signalWithStartWorkflowExecution: async (req) => {
      const { runId, started } = await engine.signalWithStart(req);
      return { runId, started };
    },
    signalWorkflowExecution: async (req) => {
      await engine.signalWorkflow(req);
      return {};
    },
    requestCancelWorkflowExecution: async (req) => {
      await engine.requestCancel(req);
      return {};
    },
    terminateWorkflowExecution: async (req) => {
      await engine.terminate(req);
      return {};
    },
    describeWorkflowExecution: (req) => engine.describe(req),
    getWorkflowExecutionHistory: (req, ctx) => engine.getHistory(req, ctx.signal, ctx.deadline),
    pollWorkflowTaskQueue: (req, ctx) => engine.pollWorkflowTask(req, ctx.signal, ctx.deadline),
    respondWorkflowTaskCompleted: (req) => engine.respondWorkflowTaskCompleted(req),
    respondWorkflowTaskFailed: async (req) => {
      await engine.respondWorkflowTaskFailed(req);
      return {};
    },
    respondQueryTaskCompleted: (req) => {
      engine.respondQueryTaskCompleted(req);
      return {};
    },
    pollActivityTaskQueue: (req, ctx) => engine.pollActivityTask(req, ctx.signal, ctx.deadline),
    recordActivityTaskHeartbeat: (req) => engine.recordHeartbeat(req),
    recordActivityTaskHeartbeatById: (req) => engine.recordHeartbeat({ ...req, taskToken: engine.tokenForActivityById(req) }),
    respondActivityTaskCompleted: async (req) => {
      await engine.respondActivityCompleted(req);
      return {};
    },
    respondActivityTaskCompletedById: async (req) => {
      await engine.respondActivityCompleted({ ...req, taskToken: engine.tokenForActivityById(req) });
      return {};
    },
    respondActivityTaskFailed: async (req) => {
      await engine.respondActivityFailed(req);
      return { failures: [] };
    },
    respondActivityTaskFailedById: async (req) => {
      await engine.respondActivityFailed({ ...req, taskToken: engine.tokenForActivityById(req) });
      return { failures: [] };
    },
    respondActivityTaskCanceled: async (req) => {
      await engine.respondActivityCanceled(req);
      return {};
    },
    respondActivityTaskCanceledById: async (req) => {
      await engine.respondActivityCanceled({ ...req, taskToken: engine.tokenForActivityById(req) });
      return {};
    },
    queryWorkflow: (req, ctx) => engine.query(req, ctx.deadline),
    updateWorkflowExecution: (req, ctx) => engine.updateWorkflow(req, ctx.signal, ctx.deadline),
    pollWorkflowExecutionUpdate: (req, ctx) => engine.pollUpdate(req, ctx.signal, ctx.deadline),
    executeMultiOperation: async (req, ctx) => {
      const [startOp, updateOp] = req.operations ?? [];
      if (!startOp?.startWorkflow || !updateOp?.updateWorkflow) {
        throw new ServiceError(status.INVALID_ARGUMENT, 'devserver supports ExecuteMultiOperation only as [startWorkflow, updateWorkflow]');
      }
      const start = await engine.startWorkflow({ ...startOp.startWorkflow, namespace: req.namespace });
      const update = await engine.updateWorkflow(
        { ...updateOp.updateWorkflow, namespace: req.namespace, workflowExecution: { workflowId: startOp.startWorkflow.workflowId, runId: start.runId } },
        ctx.signal,
        ctx.deadline,
      );
      return { responses: [{ startWorkflow: { runId: start.runId, started: start.started } }, { updateWorkflow: update }] };
    },
    listWorkflowExecutions: listExecutions,
    scanWorkflowExecutions: listExecutions,
    countWorkflowExecutions: async (req) => {
      namespaces.require(req.namespace);
      return { count: await store.countRuns(req.namespace, parseVisibilityQuery(req.query)) };
    },
    getSearchAttributes: () => ({ keys: {} }),
    resetStickyTaskQueue: async (req) => {
      await engine.resetSticky(req);
      return {};
    },
    shutdownWorker: async (req) => {
      await engine.shutdownWorker(req.stickyTaskQueue, req.namespace || 'default');
      return {};
    },
    recordWorkerHeartbeat: () => ({}),
    // Backlog stats (reportStats), so a producer can pace itself by what the workers absorb, as
    // on Temporal: bench/cycle and the cycle start read approximateBacklogCount.
    describeTaskQueue: (req) => {
      namespaces.require(req.namespace);
      if (!req.taskQueue?.name) throw new ServiceError(status.INVALID_ARGUMENT, 'TaskQueue is not set on request.');
      const kind = req.taskQueueType === 'TASK_QUEUE_TYPE_ACTIVITY' ? 'activity' : 'workflow';
      const st = engine.queues.stats(TaskQueues.key(req.namespace, kind, req.taskQueue.name));
      const stats = { approximateBacklogCount: st.backlog, approximateBacklogAge: toDuration(st.oldestAgeMs), tasksAddRate: 0, tasksDispatchRate: 0 };
      return {
        pollers: st.lastPoll ? [{ lastAccessTime: toTimestamp(st.lastPoll), identity: 'devserver' }] : [],
        stats: req.reportStats ? stats : undefined,
      };
    },
  };
}
