// Evaluates a parsed visibility filter against one record (the in-memory store's List/Count).
import type { SearchValue, VisibilityFilter, VisibilityRecord } from '../store/types.ts';

export function fieldValue(record: VisibilityRecord, field: string): SearchValue | undefined {
  switch (field) {
    case 'WorkflowId':
      return record.workflowId;
    case 'RunId':
      return record.runId;
    case 'WorkflowType':
      return record.workflowType;
    case 'ExecutionStatus':
      return record.status;
    case 'TaskQueue':
      return record.taskQueue;
    case 'StartTime':
      return record.startTime;
    case 'CloseTime':
      return record.closeTime;
    case 'ExecutionTime':
      return record.executionTime;
    case 'HistoryLength':
      return record.historyLength;
    case 'ParentWorkflowId':
      return record.parent?.workflowId;
    default:
      return record.searchValues?.[field];
  }
}

function compareScalar(a: SearchValue, b: SearchValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Datetime search attributes are stored as ISO strings; compare them as times.
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && /\d{4}-\d{2}-\d{2}/.test(a) && /\d{4}-\d{2}-\d{2}/.test(b)) return ta - tb;
  }
  if (typeof a === 'string' && typeof b === 'number') {
    const ta = Date.parse(a);
    if (!Number.isNaN(ta)) return ta - b;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function anyOf(value: SearchValue | undefined, test: (v: SearchValue) => boolean): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => test(v));
  return test(value);
}

export function matches(record: VisibilityRecord, filter: VisibilityFilter | undefined): boolean {
  if (!filter) return true;
  switch (filter.kind) {
    case 'and':
      return matches(record, filter.left) && matches(record, filter.right);
    case 'or':
      return matches(record, filter.left) || matches(record, filter.right);
    case 'not':
      return !matches(record, filter.operand);
    case 'isNull': {
      const v = fieldValue(record, filter.field);
      return v === undefined || v === null;
    }
    case 'startsWith':
      return anyOf(fieldValue(record, filter.field), (v) => String(v).startsWith(filter.prefix));
    case 'in':
      return anyOf(fieldValue(record, filter.field), (v) => filter.values.some((x) => compareScalar(v, x) === 0));
    case 'between':
      return anyOf(
        fieldValue(record, filter.field),
        (v) => compareScalar(v, filter.low) >= 0 && compareScalar(v, filter.high) <= 0,
      );
    case 'compare': {
      const value = fieldValue(record, filter.field);
      if (filter.op === '!=') return !anyOf(value, (v) => compareScalar(v, filter.value) === 0);
      return anyOf(value, (v) => {
        const c = compareScalar(v, filter.value);
        switch (filter.op) {
          case '=':
            return c === 0;
          case '<':
            return c < 0;
          case '<=':
            return c <= 0;
          case '>':
            return c > 0;
          default:
            return c >= 0;
        }
      });
    }
  }
}
