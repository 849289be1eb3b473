// Builds grpc-js service definitions from the protobufjs Root and binds handler objects to
// them. Every method of the service is registered: methods without a handler answer
// UNIMPLEMENTED naming the method, as the real server does for what it lacks.
import { Metadata, status, type MethodDefinition, type Server, type ServerUnaryCall, type ServiceDefinition, type sendUnaryData } from '@grpc/grpc-js';
import type { Logger } from './logger.ts';
import { decodeMessage, encodeMessage, lookupType, packAny, root } from './proto.ts';
import { ServiceError, UnimplementedError } from './errors.ts';

export interface CallContext {
  /** Aborted when the caller cancels or disconnects: long polls must give up their slot. */
  signal: AbortSignal;
  /** Epoch ms by which the caller wants an answer (Infinity when none). */
  deadline: number;
}

// Requests and responses are plain protobuf objects; handlers are typed loosely on purpose
// because the generated shapes are large and the server reads only a few fields of each.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (request: any, ctx: CallContext) => Promise<object> | object;
export type Handlers = Record<string, Handler>;

const statusType = () => lookupType('google.rpc.Status');

function lowerFirst(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

export function bindService(server: Server, serviceName: string, handlers: Handlers, logger: Logger): void {
  const service = root.lookupService(serviceName);
  const definition: Record<string, MethodDefinition<object, object>> = {};
  const implementation: Record<string, (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => void> = {};
  for (const method of Object.values(service.methods)) {
    const requestType = lookupType(method.resolvedRequestType?.fullName.slice(1) ?? method.requestType);
    const responseType = lookupType(method.resolvedResponseType?.fullName.slice(1) ?? method.responseType);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestDeserialize: (bytes: Buffer) => decodeMessage(requestType, bytes),
      requestSerialize: (value: object) => Buffer.from(encodeMessage(requestType, value)),
      responseSerialize: (value: object) => Buffer.from(encodeMessage(responseType, value)),
      responseDeserialize: (bytes: Buffer) => decodeMessage(responseType, bytes),
      originalName: lowerFirst(method.name),
    };
    const handler = handlers[lowerFirst(method.name)];
    const methodName = method.name;
    implementation[method.name] = (call, callback) => {
      if (!handler) {
        callback(toGrpcError(new UnimplementedError(methodName)));
        return;
      }
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      const deadlineValue = call.getDeadline();
      const deadline = deadlineValue instanceof Date ? deadlineValue.getTime() : Number.isFinite(deadlineValue) ? Number(deadlineValue) : Infinity;
      Promise.resolve()
        .then(() => handler(call.request, { signal: abort.signal, deadline }))
        .then(
          (response) => callback(null, response),
          (error: unknown) => {
            if (!(error instanceof ServiceError)) logger.error({ err: error, method: methodName }, 'devserver handler failed');
            else logger.debug({ method: methodName, code: error.code, msg: error.message }, 'devserver call rejected');
            callback(toGrpcError(error));
          },
        );
    };
  }
  server.addService(definition as ServiceDefinition, implementation);
}

function toGrpcError(error: unknown): { code: status; details: string; metadata?: Metadata } {
  if (!(error instanceof ServiceError)) {
    return { code: status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
  }
  const metadata = new Metadata();
  const details = error.detail ? [packAny(error.detail.typeName, error.detail.value)] : [];
  metadata.set(
    'grpc-status-details-bin',
    Buffer.from(encodeMessage(statusType(), { code: error.code, message: error.message, details })),
  );
  return { code: error.code, details: error.message, metadata };
}
