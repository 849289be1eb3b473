// Builds grpc-js service definitions from the protobufjs Root and binds handler objects to
// them. Every method of the service is registered: methods without a handler answer
// UNIMPLEMENTED naming the method, as the real server does for what it lacks.
import { Metadata, status, type MethodDefinition, type Server, type ServerUnaryCall, type ServiceDefinition, type sendUnaryData } from '@grpc/grpc-js';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import type { Logger } from './logger.ts';
import { decodeMessage, encodeMessage, encodeWithHistory, historyFieldId, lookupType, packAny, root } from './proto.ts';
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

// The SDK worker (Rust core) gzips every request. grpc-js inflates each one through a zlib
// stream on the libuv thread pool: a stream set up per message plus a thread-pool round trip,
// ~0.3 ms of CPU per small request and the biggest single cost of the server in a CPU profile.
// Requests are small, so inflate them synchronously (same result, same size limit and errors);
// big ones (over 1 MB compressed) keep grpc-js' streaming path. Patched once per process on
// grpc-js' internal class; if a grpc-js upgrade renames it, the patch is skipped (still correct).
const SYNC_INFLATE_LIMIT = 1024 * 1024;
let inflatePatched = false;

function patchRequestInflate(): void {
  if (inflatePatched) return;
  inflatePatched = true;
  const require = createRequire(import.meta.url);
  let proto: { decompressMessage?: (message: Buffer, encoding: string) => unknown; maxReceiveMessageSize?: number } | undefined;
  try {
    proto = require('@grpc/grpc-js/build/src/server-interceptors.js').BaseServerInterceptingCall?.prototype;
  } catch {
    return;
  }
  const original = proto?.decompressMessage;
  if (!proto || typeof original !== 'function') return;
  proto.decompressMessage = function (this: { maxReceiveMessageSize?: number }, message: Buffer, encoding: string) {
    if ((encoding !== 'gzip' && encoding !== 'deflate') || message.length > SYNC_INFLATE_LIMIT) {
      return original.call(this, message, encoding);
    }
    const limit = this.maxReceiveMessageSize;
    const options = limit !== undefined && limit !== -1 ? { maxOutputLength: limit } : {};
    try {
      const contents = message.subarray(5);
      return encoding === 'gzip' ? zlib.gunzipSync(contents, options) : zlib.inflateSync(contents, options);
    } catch (error) {
      return Promise.reject(
        (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? { code: status.RESOURCE_EXHAUSTED, details: `Received message that decompresses to a size larger than ${limit}` }
          : { code: status.INTERNAL, details: 'Failed to decompress message' },
      );
    }
  };
}

const CANCELLED = new Error('call cancelled by the client');

/** protobufjs already gives Buffers under Node; view other Uint8Arrays instead of copying. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function lowerFirst(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

export function bindService(server: Server, serviceName: string, handlers: Handlers, logger: Logger): void {
  patchRequestInflate();
  const service = root.lookupService(`.${serviceName}`);
  const definition: Record<string, MethodDefinition<object, object>> = {};
  const implementation: Record<string, (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => void> = {};
  for (const method of Object.values(service.methods)) {
    const requestType = lookupType(method.resolvedRequestType?.fullName.slice(1) ?? method.requestType);
    const responseType = lookupType(method.resolvedResponseType?.fullName.slice(1) ?? method.responseType);
    const historyId = historyFieldId(responseType);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestDeserialize: (bytes: Buffer) => decodeMessage(requestType, bytes),
      requestSerialize: (value: object) => Buffer.from(encodeMessage(requestType, value)),
      responseSerialize:
        historyId === undefined
          ? (value: object) => asBuffer(encodeMessage(responseType, value))
          : (value: object) => asBuffer(encodeWithHistory(responseType, historyId, value)),
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
      // grpc-js emits 'cancelled' when every call's stream closes, answered or not. An
      // AbortController per call aborted there built a DOMException per call (~0.2 ms of CPU per
      // workflow in a profile). Only long polls read the signal: the controller and the listener
      // are made on first use, and abort only while the handler is still running, with a reason
      // (no DOMException).
      let abort: AbortController | undefined;
      let done = false;
      const deadlineValue = call.getDeadline();
      const deadline = deadlineValue instanceof Date ? deadlineValue.getTime() : Number.isFinite(deadlineValue) ? Number(deadlineValue) : Infinity;
      const ctx: CallContext = {
        get signal() {
          if (!abort) {
            const controller = new AbortController();
            abort = controller;
            if (call.cancelled) controller.abort(CANCELLED);
            else call.once('cancelled', () => done || controller.abort(CANCELLED));
          }
          return abort.signal;
        },
        deadline,
      };
      const answer = (response: object) => {
        done = true;
        callback(null, response);
      };
      const fail = (error: unknown) => {
        done = true;
        if (!(error instanceof ServiceError)) logger.error({ err: error, method: methodName }, 'devserver handler failed');
        else logger.debug({ method: methodName, code: error.code, msg: error.message }, 'devserver call rejected');
        callback(toGrpcError(error));
      };
      let result: Promise<object> | object;
      try {
        result = handler(call.request, ctx);
      } catch (error) {
        fail(error);
        return;
      }
      if (result instanceof Promise) result.then(answer, fail);
      else answer(result);
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
