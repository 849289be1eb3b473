// The devserver's default transport: unary gRPC (grpc/doc/PROTOCOL-HTTP2.md) on the server's own
// HTTP/2 framing (connection.ts, hpack.ts) over plain TCP sockets. grpc-js and node:http2 build a
// stream object graph (Duplex streams, header objects, Metadata, listeners) per call; with ~9
// calls per workflow that per-call machinery and its garbage was most of the server's CPU.
// Here a call is one small object, its response header blocks are constant bytes, and every
// frame written in one tick leaves in one socket write.
//   request:  POST /<service>/<Method>, content-type application/grpc[+proto], optional
//             grpc-encoding (gzip/deflate/identity) and grpc-timeout; DATA = one length-prefixed
//             message (1 byte compressed flag, 4 bytes big-endian length, the bytes)
//   response: :status 200 and content-type, DATA = one length-prefixed message (uncompressed),
//             then trailers grpc-status 0; an error is a "trailers-only" response (grpc-status,
//             grpc-message, grpc-status-details-bin in the one header block).
// Cancellation is the client's RST_STREAM (or the connection closing) before the answer; the
// deadline comes from grpc-timeout (the handlers that wait, long polls, answer before it).
import net from 'node:net';
import { status } from '@grpc/grpc-js';
import type { Logger } from '../logger.ts';
import { ServiceError, UnimplementedError } from '../errors.ts';
import type { CallContext, Handlers } from '../grpc.ts';
import { errorHeaderList, listen, methodTable, requestMessage, timeoutDeadline, type Method } from '../grpc-wire.ts';
import { H2Connection, type Stream } from './connection.ts';
import { encodeHeaders } from './hpack.ts';

const MAX_RECEIVE = 128 * 1024 * 1024;
const CANCELLED = new Error('call cancelled by the client');
const RESPONSE_HEADERS = encodeHeaders([[':status', '200'], ['content-type', 'application/grpc']]);
const OK_TRAILERS = encodeHeaders([['grpc-status', '0']]);

export class H2GrpcServer {
  private readonly methods = new Map<string, Method>();
  private readonly server: net.Server;
  private readonly connections = new Set<H2Connection>();
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
    this.server = net.createServer((socket) => {
      const connection = new H2Connection(socket, {
        maxRequestSize: MAX_RECEIVE + 5,
        onRequest: (stream) => this.onRequest(connection, stream),
        onTooLarge: (stream) => {
          const message = `Received message larger than max (${stream.size - 5} vs. ${MAX_RECEIVE})`;
          this.fail(connection, stream, new ServiceError(status.RESOURCE_EXHAUSTED, message), '');
        },
      });
      this.connections.add(connection);
      socket.once('close', () => this.connections.delete(connection));
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
    for (const connection of this.connections) connection.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(connection: H2Connection, stream: Stream): void {
    const { headers } = stream;
    const path = headers.path;
    const method = this.methods.get(path);
    if (headers.method !== 'POST' || !headers.contentType.startsWith('application/grpc')) {
      connection.respond(stream, encodeHeaders([[':status', '415']]), undefined, OK_TRAILERS);
      return;
    }
    if (!method?.handler) {
      this.fail(connection, stream, new UnimplementedError(method?.name ?? path.slice(path.lastIndexOf('/') + 1)), method?.name ?? path);
      return;
    }
    let request: object;
    try {
      const body = stream.chunks.length === 1 ? stream.chunks[0]! : Buffer.concat(stream.chunks, stream.size);
      stream.chunks = [];
      request = method.decode(requestMessage(body, headers.encoding, MAX_RECEIVE));
    } catch (error) {
      this.fail(connection, stream, error instanceof ServiceError ? error : new ServiceError(status.INTERNAL, 'Failed to parse the request'), method.name);
      return;
    }
    this.call(connection, stream, method, request);
  }

  private call(connection: H2Connection, stream: Stream, method: Method, request: object): void {
    const deadline = timeoutDeadline(stream.headers.timeout);
    // Only long polls read the signal: the controller is made on first use.
    let abort: AbortController | undefined;
    const ctx: CallContext = {
      get signal() {
        if (!abort) {
          const controller = new AbortController();
          abort = controller;
          if (stream.closed) controller.abort(CANCELLED);
          else stream.onClose = () => stream.answered || controller.abort(CANCELLED);
        }
        return abort.signal;
      },
      deadline,
    };
    const answer = (response: object) => {
      if (stream.closed) return;
      let bytes: Uint8Array;
      try {
        bytes = method.encode(response);
      } catch (error) {
        this.fail(connection, stream, error, method.name);
        return;
      }
      const frame = Buffer.allocUnsafe(5 + bytes.length);
      frame[0] = 0;
      frame.writeUInt32BE(bytes.length, 1);
      frame.set(bytes, 5);
      connection.respond(stream, RESPONSE_HEADERS, frame, OK_TRAILERS);
    };
    const fail = (error: unknown) => this.fail(connection, stream, error, method.name);
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
  private fail(connection: H2Connection, stream: Stream, error: unknown, methodName: string): void {
    if (!(error instanceof ServiceError)) this.logger.error({ err: error, method: methodName }, 'devserver handler failed');
    else this.logger.debug({ method: methodName, code: error.code, msg: error.message }, 'devserver call rejected');
    if (stream.closed || stream.answered) return;
    connection.respond(stream, encodeHeaders(errorHeaderList(error)), undefined, OK_TRAILERS);
  }
}
