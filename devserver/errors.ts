// Typed service errors. The gRPC layer turns each into a status code, a message and, where
// Temporal sends them, google.rpc.Status details the SDK decodes (grpc-status-details-bin).
import { status } from '@grpc/grpc-js';

export interface ErrorDetail {
  typeName: string;
  value: object;
}

export class ServiceError extends Error {
  readonly code: status;
  readonly detail?: ErrorDetail;
  constructor(code: status, message: string, detail?: ErrorDetail) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.detail = detail;
  }
}

export class NotFoundError extends ServiceError {
  constructor(message: string) {
    super(status.NOT_FOUND, message, { typeName: 'temporal.api.errordetails.v1.NotFoundFailure', value: {} });
  }
}

export class WorkflowNotFoundError extends NotFoundError {
  constructor(workflowId: string, runId?: string) {
    super(runId ? `workflow execution not found for workflow ID "${workflowId}" and run ID "${runId}"` : `workflow not found for ID: ${workflowId}`);
  }
}

export class NamespaceNotFoundError extends ServiceError {
  constructor(namespace: string) {
    super(status.NOT_FOUND, `Namespace ${namespace} is not found.`, {
      typeName: 'temporal.api.errordetails.v1.NamespaceNotFoundFailure',
      value: { namespace },
    });
  }
}

export class NamespaceAlreadyExistsError extends ServiceError {
  constructor(namespace: string) {
    super(status.ALREADY_EXISTS, `Namespace already exists: ${namespace}`, {
      typeName: 'temporal.api.errordetails.v1.NamespaceAlreadyExistsFailure',
      value: {},
    });
  }
}

export class WorkflowAlreadyStartedError extends ServiceError {
  readonly runId: string;
  constructor(workflowId: string, runId: string, startRequestId: string) {
    super(status.ALREADY_EXISTS, `Workflow execution is already running. WorkflowId: ${workflowId}, RunId: ${runId}.`, {
      typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
      value: { startRequestId, runId },
    });
    this.runId = runId;
  }
}

export class InvalidArgumentError extends ServiceError {
  constructor(message: string) {
    super(status.INVALID_ARGUMENT, message);
  }
}

export class FailedPreconditionError extends ServiceError {
  constructor(message: string) {
    super(status.FAILED_PRECONDITION, message);
  }
}

export class WorkflowClosedError extends NotFoundError {
  constructor() {
    super('workflow execution already completed');
  }
}

export class QueryFailedError extends ServiceError {
  constructor(message: string, failure?: object) {
    super(status.INVALID_ARGUMENT, message, {
      typeName: 'temporal.api.errordetails.v1.QueryFailedFailure',
      value: failure ? { failure } : {},
    });
  }
}

export class UnimplementedError extends ServiceError {
  constructor(method: string) {
    super(status.UNIMPLEMENTED, `method ${method} is not implemented by the devserver`);
  }
}

export class DeadlineError extends ServiceError {
  constructor(message: string) {
    super(status.DEADLINE_EXCEEDED, message);
  }
}

export class CancelledError extends ServiceError {
  constructor() {
    super(status.CANCELLED, 'call cancelled');
  }
}
