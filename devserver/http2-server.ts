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
import { status } from '@grpc/grpc-js';
import type { Logger } from './logger.ts';
import { ServiceError, UnimplementedError } from './errors.ts';
import type { CallContext, Handlers } from './grpc.ts';
import { errorHeaderList, listen, methodTable, requestMessage, timeoutDeadline, type Method } from './grpc-wire.ts';

const MAX_RECEIVE = 128 * 1024 * 1024;
const CANCELLED = new Error('call cancelled by the client');

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
    for (const [path, method] of methodTable(serviceName, handlers)) this.methods.set(path, method);
  }

  listen(host: string, port: number): Promise<number> {
    return listen(this.server, host, port);
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
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        request = method.decode(requestMessage(body, headers['grpc-encoding'] as string | undefined, MAX_RECEIVE));
      } catch (error) {
        this.fail(stream, error instanceof ServiceError ? error : new ServiceError(status.INTERNAL, 'Failed to parse the request'), method.name);
        return;
      }
      this.call(stream, method, request, headers['grpc-timeout'] as string | undefined);
    });
  }

  private call(stream: http2.ServerHttp2Stream, method: Method, request: object, timeout: string | undefined): void {
    const deadline = timeoutDeadline(timeout);
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
    const headers: http2.OutgoingHttpHeaders = Object.fromEntries(errorHeaderList(error));
    stream.respond(headers, { endStream: true });
  }
}
