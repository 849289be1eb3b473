// What the two unary gRPC transports of their own share (h2/server.ts on the server's own HTTP/2
// framing, http2-server.ts on node:http2): the method table, the request message (inflated when
// compressed), grpc-timeout, and the headers of an error answer.
import type { Server } from 'node:net';
import zlib from 'node:zlib';
import { status } from '@grpc/grpc-js';
import type { CallContext, Handlers } from './grpc.ts';
import { decodeMessage, encodeMessage, encodeWithHistory, historyFieldId, lookupType, packAny, root } from './proto.ts';
import { ServiceError } from './errors.ts';
import { gunzipSmall } from './inflate.ts';

export interface Method {
  decode: (bytes: Uint8Array) => object;
  encode: (value: object) => Uint8Array;
  handler?: (request: object, ctx: CallContext) => Promise<object> | object;
  name: string;
}

/** Compressed requests up to this size are inflated in JavaScript (inflate.ts). */
const SMALL = 64 * 1024;
const NO_JS = process.env.DEVSERVER_JS_GUNZIP === '0';
const TIMEOUT_UNITS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);

/** Every method of a protobuf service by its path; those without a handler answer UNIMPLEMENTED. */
export function methodTable(serviceName: string, handlers: Handlers): Map<string, Method> {
  const methods = new Map<string, Method>();
  const service = root.lookupService(`.${serviceName}`);
  for (const method of Object.values(service.methods)) {
    const requestType = lookupType(method.resolvedRequestType?.fullName.slice(1) ?? method.requestType);
    const responseType = lookupType(method.resolvedResponseType?.fullName.slice(1) ?? method.responseType);
    const historyId = historyFieldId(responseType);
    methods.set(`/${serviceName}/${method.name}`, {
      name: method.name,
      decode: (bytes) => decodeMessage(requestType, bytes),
      encode: historyId === undefined ? (value) => encodeMessage(responseType, value) : (value) => encodeWithHistory(responseType, historyId, value as never),
      handler: handlers[lowerFirst(method.name)],
    });
  }
  return methods;
}

/** The one message of a unary request, inflated if its flag says so. */
export function requestMessage(body: Buffer, encoding: string | undefined, maxReceive: number): Uint8Array {
  if (body.length < 5) throw new ServiceError(status.INTERNAL, 'Received an incomplete message');
  const length = body.readUInt32BE(1);
  const payload = body.subarray(5, 5 + length);
  if (body[0] === 0) return payload;
  if (encoding === 'gzip') {
    const small = payload.length <= SMALL && !NO_JS ? gunzipSmall(payload, maxReceive) : undefined;
    return small ?? zlib.gunzipSync(payload, { maxOutputLength: maxReceive });
  }
  if (encoding === 'deflate') return zlib.inflateSync(payload, { maxOutputLength: maxReceive });
  throw new ServiceError(status.UNIMPLEMENTED, `Received message compressed with unsupported encoding "${encoding}"`);
}

/** Epoch ms of a grpc-timeout header (Infinity without one). */
export function timeoutDeadline(timeout: string | undefined): number {
  if (!timeout) return Infinity;
  const amount = Number(timeout.slice(0, -1));
  const unit = TIMEOUT_UNITS[timeout.slice(-1)];
  return unit !== undefined && Number.isFinite(amount) ? Date.now() + amount * unit : Infinity;
}

/** grpc-message is percent-encoded: everything outside printable ASCII, and '%'. */
function percentEncode(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The headers of a trailers-only error answer, with Temporal's error details where the error has them. */
export function errorHeaderList(error: unknown): [string, string][] {
  const code = error instanceof ServiceError ? error.code : status.INTERNAL;
  const message = error instanceof Error ? error.message : String(error);
  const headers: [string, string][] = [
    [':status', '200'], ['content-type', 'application/grpc'], ['grpc-status', String(code)], ['grpc-message', percentEncode(message)],
  ];
  if (error instanceof ServiceError) {
    const details = error.detail ? [packAny(error.detail.typeName, error.detail.value)] : [];
    headers.push(['grpc-status-details-bin', Buffer.from(encodeMessage(lookupType('google.rpc.Status'), { code, message, details })).toString('base64')]);
  }
  return headers;
}

/** Listens and answers the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
