// A unary gRPC server on node:http2, in place of @grpc/grpc-js' Server (issue 12, deliver 4).
// Every Temporal RPC is unary, and grpc-js' server spent a large share of the devserver's CPU
// per call (interceptor chains, Metadata objects, per-call stream wrappers, a zlib stream per
// gzipped request). The wire protocol is small (grpc/doc/PROTOCOL-HTTP2.md):
//   request:  POST /<service>/<Method>, content-type application/grpc[+proto], optional
//             grpc-encoding (gzip/deflate/identity) and grpc-timeout; DATA = one length-prefixed
//             message (1 byte compressed flag, 4 bytes big-endian length, the bytes)
//   response: :status 200 and content-type, DATA = one length-prefixed message (uncompressed),
//             then trailers grpc-status / grpc-message / grpc-status-details-bin; an error is a
//             "trailers-only" response (all of it in the one HEADERS frame).
// Cancellation is the stream closing (RST_STREAM) before the answer; the deadline comes from
// grpc-timeout (the handlers that wait, long polls, answer before it themselves).
import http2 from 'node:http2';
import zlib from 'node:zlib';
import { status } from '@grpc/grpc-js';
import type { Logger } from './logger.ts';
import { decodeMessage, encodeMessage, encodeWithHistory, historyFieldId, lookupType, packAny, root } from './proto.ts';
import { ServiceError, UnimplementedError } from './errors.ts';
import type { CallContext, Handlers } from './grpc.ts';

interface Method {
  decode: (bytes: Uint8Array) => object;
  encode: (value: object) => Uint8Array;
  handler?: (request: object, ctx: CallContext) => Promise<object> | object;
  name: string;
}

const MAX_RECEIVE = 128 * 1024 * 1024;
const CANCELLED = new Error('call cancelled by the client');
const TIMEOUT_UNITS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);

/** grpc-message is percent-encoded: everything outside printable ASCII, and '%'. */
function percentEncode(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export class Http2GrpcServer {
  private readonly methods = new Map<string, Method>();
  private readonly server: http2.Http2Server;
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
    // maxSessionMemory (MB): the SDK keeps dozens of long polls open on one connection.
    this.server = http2.createServer({ maxSessionMemory: 512, settings: { maxConcurrentStreams: 10_000 } });
    this.server.on('stream', (stream, headers) => this.onStream(stream, headers));
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => {});
    });
  }

  /** Registers every method of the protobuf service; those without a handler answer UNIMPLEMENTED. */
  addService(serviceName: string, handlers: Handlers): void {
    const service = root.lookupService(`.${serviceName}`);
    for (const method of Object.values(service.methods)) {
      const requestType = lookupType(method.resolvedRequestType?.fullName.slice(1) ?? method.requestType);
      const responseType = lookupType(method.resolvedResponseType?.fullName.slice(1) ?? method.responseType);
      const historyId = historyFieldId(responseType);
      this.methods.set(`/${serviceName}/${method.name}`, {
        name: method.name,
        decode: (bytes) => decodeMessage(requestType, bytes),
        encode: historyId === undefined ? (value) => encodeMessage(responseType, value) : (value) => encodeWithHistory(responseType, historyId, value as never),
        handler: handlers[lowerFirst(method.name)],
      });
    }
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  /** Closes every connection at once (as grpc-js' forceShutdown). */
  close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => {});
    const path = headers[':path'] ?? '';
    const method = this.methods.get(path);
    const contentType = headers['content-type'] ?? '';
    if (headers[':method'] !== 'POST' || !contentType.startsWith('application/grpc')) {
      if (!stream.destroyed) stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RECEIVE + 5) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!method?.handler) {
        this.fail(stream, new UnimplementedError(method?.name ?? path.slice(path.lastIndexOf('/') + 1)), method?.name ?? path);
        return;
      }
      if (size > MAX_RECEIVE + 5) {
        this.fail(stream, new ServiceError(status.RESOURCE_EXHAUSTED, `Received message larger than max (${size - 5} vs. ${MAX_RECEIVE})`), method.name);
        return;
      }
      let request: object;
      try {
        request = method.decode(this.message(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), headers['grpc-encoding'] as string | undefined));
      } catch (error) {
        this.fail(stream, error instanceof ServiceError ? error : new ServiceError(status.INTERNAL, 'Failed to parse the request'), method.name);
        return;
      }
      this.call(stream, method, request, headers['grpc-timeout'] as string | undefined);
    });
  }

  /** The one message of a unary request, inflated if its flag says so. */
  private message(body: Buffer, encoding: string | undefined): Uint8Array {
    if (body.length < 5) throw new ServiceError(status.INTERNAL, 'Received an incomplete message');
    const length = body.readUInt32BE(1);
    const payload = body.subarray(5, 5 + length);
    if (body[0] === 0) return payload;
    if (encoding === 'gzip') return zlib.gunzipSync(payload, { maxOutputLength: MAX_RECEIVE });
    if (encoding === 'deflate') return zlib.inflateSync(payload, { maxOutputLength: MAX_RECEIVE });
    throw new ServiceError(status.UNIMPLEMENTED, `Received message compressed with unsupported encoding "${encoding}"`);
  }

  private call(stream: http2.ServerHttp2Stream, method: Method, request: object, timeout: string | undefined): void {
    let deadline = Infinity;
    if (timeout) {
      const amount = Number(timeout.slice(0, -1));
      const unit = TIMEOUT_UNITS[timeout.slice(-1)];
      if (unit !== undefined && Number.isFinite(amount)) deadline = Date.now() + amount * unit;
    }
    // Only long polls read the signal: the controller and its listener are made on first use.
    let abort: AbortController | undefined;
    let done = false;
    const ctx: CallContext = {
      get signal() {
        if (!abort) {
          const controller = new AbortController();
          abort = controller;
          if (stream.closed || stream.destroyed) controller.abort(CANCELLED);
          else stream.once('close', () => done || controller.abort(CANCELLED));
        }
        return abort.signal;
      },
      deadline,
    };
    const answer = (response: object) => {
      done = true;
      if (stream.closed || stream.destroyed) return;
      let bytes: Uint8Array;
      try {
        bytes = method.encode(response);
      } catch (error) {
        this.fail(stream, error, method.name);
        return;
      }
      const frame = Buffer.allocUnsafe(5 + bytes.length);
      frame[0] = 0;
      frame.writeUInt32BE(bytes.length, 1);
      frame.set(bytes, 5);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame);
    };
    const fail = (error: unknown) => {
      done = true;
      this.fail(stream, error, method.name);
    };
    let result: Promise<object> | object;
    try {
      result = method.handler!(request, ctx);
    } catch (error) {
      fail(error);
      return;
    }
    if (result instanceof Promise) result.then(answer, fail);
    else answer(result);
  }

  /** A trailers-only error response, with Temporal's error details where the error has them. */
  private fail(stream: http2.ServerHttp2Stream, error: unknown, methodName: string): void {
    if (!(error instanceof ServiceError)) this.logger.error({ err: error, method: methodName }, 'devserver handler failed');
    else this.logger.debug({ method: methodName, code: error.code, msg: error.message }, 'devserver call rejected');
    if (stream.closed || stream.destroyed || stream.headersSent) return;
    const code = error instanceof ServiceError ? error.code : status.INTERNAL;
    const message = error instanceof Error ? error.message : String(error);
    const headers: http2.OutgoingHttpHeaders = {
      ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': percentEncode(message),
    };
    if (error instanceof ServiceError) {
      const details = error.detail ? [packAny(error.detail.typeName, error.detail.value)] : [];
      headers['grpc-status-details-bin'] = Buffer.from(encodeMessage(lookupType('google.rpc.Status'), { code, message, details })).toString('base64');
    }
    stream.respond(headers, { endStream: true });
  }
}
