// A run's visibility row (List/Count/Describe) and the WorkflowExecutionInfo built from it.
import type { PayloadObject, SearchValue, VisibilityRecord } from '../store/types.ts';
import type { RunState } from '../workflow/state.ts';
import { toDuration, toTimestamp } from '../workflow/time.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function statusEnum(status: RunState['status']): string {
  return status.replace(/[A-Z]/g, (c, i: number) => (i > 0 ? '_' : '') + c).toUpperCase();
}

export function statusEnumName(status: RunState['status']): string {
  return 'WORKFLOW_EXECUTION_STATUS_' + statusEnum(status);
}

/** Decodes JSON search attribute payloads into comparable values. */
function searchValuesOf(fields: Record<string, PayloadObject> | undefined): Record<string, SearchValue> | undefined {
  if (!fields) return undefined;
  const out: Record<string, SearchValue> = {};
  for (const [name, payload] of Object.entries(fields)) {
    try {
      const value = JSON.parse(Buffer.from(payload.data ?? []).toString()) as unknown;
      if (Array.isArray(value)) out[name] = value.length === 1 && typeof value[0] !== 'string' ? (value[0] as SearchValue) : (value.map(String) as string[]);
      else out[name] = value as SearchValue;
    } catch {
      // Not JSON: not searchable.
    }
  }
  return out;
}

export function visibilityOfState(s: RunState): VisibilityRecord {
  return {
    namespace: s.namespace,
    workflowId: s.workflowId,
    runId: s.runId,
    workflowType: s.workflowType,
    taskQueue: s.taskQueue,
    status: s.status,
    startTime: s.startTime,
    executionTime: s.executionTime,
    closeTime: s.closeTime,
    historyLength: s.nextEventId - 1,
    parent: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : undefined,
    root: s.root,
    memo: s.memo,
    searchAttributes: s.searchAttributes,
    searchValues: searchValuesOf(s.searchAttributes),
  };
}

export function executionInfoFromRecord(r: VisibilityRecord): Obj {
  return {
    execution: { workflowId: r.workflowId, runId: r.runId },
    type: { name: r.workflowType },
    startTime: toTimestamp(r.startTime),
    closeTime: r.closeTime ? toTimestamp(r.closeTime) : undefined,
    status: statusEnumName(r.status),
    historyLength: r.historyLength,
    parentExecution: r.parent,
    executionTime: toTimestamp(r.executionTime),
    memo: r.memo ? { fields: r.memo } : undefined,
    searchAttributes: r.searchAttributes ? { indexedFields: r.searchAttributes } : undefined,
    taskQueue: r.taskQueue,
    rootExecution: r.root,
    executionDuration: r.closeTime ? toDuration(r.closeTime - r.executionTime) : undefined,
  };
}

