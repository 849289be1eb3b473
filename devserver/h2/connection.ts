// The server side of one HTTP/2 connection (RFC 9113, cleartext with prior knowledge, as gRPC
// clients connect) for the devserver's own unary gRPC transport. Only what a unary gRPC server
// needs: request HEADERS (+ CONTINUATION) and DATA, answers as HEADERS + DATA + trailers,
// RST_STREAM both ways, SETTINGS, PING, WINDOW_UPDATE and GOAWAY. Per request it makes one small
// stream object; frames are parsed straight from the socket's chunks and every frame the server
// writes in one tick goes out in one socket write.
import type { Socket } from 'node:net';
import { HpackDecoder, HpackError, type RequestHeaders } from './hpack.ts';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PUSH_PROMISE = 0x5, PING = 0x6, GOAWAY = 0x7;
const WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;
const END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;
const PROTOCOL_ERROR = 0x1, INTERNAL_ERROR = 0x2, FLOW_CONTROL_ERROR = 0x3, FRAME_SIZE_ERROR = 0x6, COMPRESSION_ERROR = 0x9, CANCEL = 0x8;
const MAX_WINDOW = 2 ** 31 - 1;
/** The largest frame the server accepts (its SETTINGS_MAX_FRAME_SIZE). */
const RECEIVE_FRAME_SIZE = 1 << 20;

export interface Stream {
  readonly id: number;
  headers: RequestHeaders;
  /** Request DATA chunks (views into the socket's buffers, which Node does not reuse). */
  chunks: Buffer[];
  size: number;
  /** The client reset the stream or the connection went away. */
  closed: boolean;
  /** The server has answered (or given up). */
  answered: boolean;
  onClose: (() => void) | undefined;
  // Send side: the peer's window for this stream, and what waits for it.
  window: number;
  pending: Buffer | undefined;
  pendingTrailers: Buffer | undefined;
}

export interface ConnectionHandler {
  /** A request is complete (END_STREAM received). */
  onRequest(stream: Stream): void;
  /** The request is larger than the server takes: it is answered and no more DATA is kept. */
  maxRequestSize: number;
  onTooLarge(stream: Stream): void;
}

export class H2Connection {
  private readonly socket: Socket;
  private readonly handler: ConnectionHandler;
  private readonly decoder = new HpackDecoder();
  private readonly streams = new Map<number, Stream>();
  private input: Buffer | undefined;
  private prefaceSeen = false;
  private lastStreamId = 0;
  // A header block in progress (HEADERS without END_HEADERS, then CONTINUATIONs).
  private headerStream = 0;
  private headerEndStream = false;
  private headerParts: Buffer[] = [];
  // Flow control: what the peer lets the server send, and what the server has received unacknowledged.
  private sendWindow = 65_535;
  private peerInitialWindow = 65_535;
  private peerMaxFrame = 16_384;
  private received = 0;
  private blocked: Stream[] = [];
  private out: Buffer[] = [];
  private flushQueued = false;
  private dead = false;

  constructor(socket: Socket, handler: ConnectionHandler) {
    this.socket = socket;
    this.handler = handler;
    socket.setNoDelay(true);
    // SETTINGS: no push, many concurrent streams (the SDK keeps dozens of long polls open), the
    // largest initial window (so the server never has to re-open a stream's window), a larger
    // frame size; then the connection window opened to the maximum too.
    const settings = Buffer.alloc(24);
    [[0x2, 0], [0x3, 100_000], [0x4, MAX_WINDOW], [0x5, RECEIVE_FRAME_SIZE]].forEach(([id, value], i) => {
      settings.writeUInt16BE(id!, i * 6);
      settings.writeUInt32BE(value!, i * 6 + 2);
    });
    this.frame(SETTINGS, 0, 0, settings);
    this.windowUpdate(0, MAX_WINDOW - 65_535);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    for (const stream of this.streams.values()) this.closeStream(stream);
    this.streams.clear();
    this.socket.destroy();
  }

  /** Sends the response headers, the body and the trailers of a stream (the body may wait for window). */
  respond(stream: Stream, headerBlock: Buffer, body: Buffer | undefined, trailerBlock: Buffer): void {
    if (stream.closed || stream.answered || this.dead) return;
    stream.answered = true;
    if (!body) {
      this.headerFrames(stream.id, headerBlock, true);
      this.forget(stream);
      return;
    }
    this.headerFrames(stream.id, headerBlock, false);
    stream.pending = body;
    stream.pendingTrailers = trailerBlock;
    this.sendPending(stream);
  }

  /** Resets a stream the server gives up on. */
  reset(stream: Stream, code = CANCEL): void {
    if (stream.closed || this.dead) return;
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(code, 0);
    this.frame(RST_STREAM, 0, stream.id, payload);
    this.closeStream(stream);
  }

  private onData(chunk: Buffer): void {
    const buffer = this.input ? Buffer.concat([this.input, chunk]) : chunk;
    this.input = undefined;
    let pos = 0;
    try {
      if (!this.prefaceSeen) {
        if (buffer.length < PREFACE.length) {
          this.input = buffer;
          return;
        }
        if (!buffer.subarray(0, PREFACE.length).equals(PREFACE)) return this.goAway(PROTOCOL_ERROR);
        this.prefaceSeen = true;
        pos = PREFACE.length;
      }
      while (!this.dead && buffer.length - pos >= 9) {
        const length = (buffer[pos]! << 16) | (buffer[pos + 1]! << 8) | buffer[pos + 2]!;
        if (length > RECEIVE_FRAME_SIZE) return this.goAway(FRAME_SIZE_ERROR);
        if (buffer.length - pos < 9 + length) break;
        const type = buffer[pos + 3]!;
        const flags = buffer[pos + 4]!;
        const id = buffer.readUInt32BE(pos + 5) & 0x7fffffff;
        this.onFrame(type, flags, id, buffer.subarray(pos + 9, pos + 9 + length));
        pos += 9 + length;
      }
    } catch (error) {
      return this.goAway(error instanceof HpackError ? COMPRESSION_ERROR : PROTOCOL_ERROR);
    }
    if (pos < buffer.length && !this.dead) this.input = buffer.subarray(pos);
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.headerStream !== 0 && type !== CONTINUATION) throw new Error('frame inside a header block');
    switch (type) {
      case DATA: return this.onDataFrame(flags, id, payload);
      case HEADERS: return this.onHeaders(flags, id, payload);
      case CONTINUATION: {
        if (id !== this.headerStream) throw new Error('CONTINUATION of another stream');
        this.headerParts.push(payload);
        if (flags & END_HEADERS) this.endHeaderBlock();
        return;
      }
      case RST_STREAM: {
        const stream = this.streams.get(id);
        if (stream) this.closeStream(stream);
        return;
      }
      case SETTINGS: return this.onSettings(flags, payload);
      case PING:
        if (!(flags & ACK)) this.frame(PING, ACK, 0, payload);
        return;
      case GOAWAY: return;
      case WINDOW_UPDATE: return this.onWindowUpdate(id, payload);
      case PUSH_PROMISE: throw new Error('PUSH_PROMISE from a client');
      default: return; // PRIORITY and unknown frames are ignored
    }
  }

  private onHeaders(flags: number, id: number, payload: Buffer): void {
    if (id === 0 || id % 2 === 0) throw new Error('HEADERS on a server stream id');
    let start = 0;
    let end = payload.length;
    if (flags & PADDED) {
      end -= payload[0]!;
      start = 1;
    }
    if (flags & PRIORITY_FLAG) start += 5;
    if (start > end) throw new Error('bad padding');
    this.headerStream = id;
    this.headerEndStream = (flags & END_STREAM) !== 0;
    this.headerParts = [payload.subarray(start, end)];
    if (flags & END_HEADERS) this.endHeaderBlock();
  }

  private endHeaderBlock(): void {
    const id = this.headerStream;
    const block = this.headerParts.length === 1 ? this.headerParts[0]! : Buffer.concat(this.headerParts);
    this.headerStream = 0;
    this.headerParts = [];
    const existing = this.streams.get(id);
    const headers: RequestHeaders = { method: '', path: '', contentType: '', encoding: undefined, timeout: undefined };
    this.decoder.decode(block, headers);
    if (existing) {
      // Trailers from the client: the request ends here.
      if (this.headerEndStream) this.endRequest(existing);
      return;
    }
    if (id <= this.lastStreamId) return; // a closed stream's late frames
    this.lastStreamId = id;
    const stream: Stream = {
      id, headers, chunks: [], size: 0, closed: false, answered: false, onClose: undefined,
      window: this.peerInitialWindow, pending: undefined, pendingTrailers: undefined,
    };
    this.streams.set(id, stream);
    if (this.headerEndStream) this.endRequest(stream);
  }

  private onDataFrame(flags: number, id: number, payload: Buffer): void {
    this.received += payload.length;
    if (this.received >= 1 << 30) {
      this.windowUpdate(0, this.received);
      this.received = 0;
    }
    const stream = this.streams.get(id);
    if (!stream || stream.closed) return;
    let start = 0;
    let end = payload.length;
    if (flags & PADDED) {
      end -= payload[0]!;
      start = 1;
      if (start > end) throw new Error('bad padding');
    }
    if (end > start) {
      stream.size += end - start;
      if (stream.size <= this.handler.maxRequestSize) stream.chunks.push(payload.subarray(start, end));
    }
    if (flags & END_STREAM) this.endRequest(stream);
  }

  private endRequest(stream: Stream): void {
    // A failure of one call's handling resets that stream, never the connection's other calls.
    try {
      if (stream.size > this.handler.maxRequestSize) this.handler.onTooLarge(stream);
      else this.handler.onRequest(stream);
    } catch {
      this.reset(stream, INTERNAL_ERROR);
    }
  }

  private onSettings(flags: number, payload: Buffer): void {
    if (flags & ACK) return;
    if (payload.length % 6 !== 0) throw new Error('bad SETTINGS');
    for (let i = 0; i < payload.length; i += 6) {
      const id = payload.readUInt16BE(i);
      const value = payload.readUInt32BE(i + 2);
      if (id === 0x4) {
        if (value > MAX_WINDOW) return this.goAway(FLOW_CONTROL_ERROR);
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const stream of this.streams.values()) stream.window += delta;
      } else if (id === 0x5) this.peerMaxFrame = value;
    }
    this.frame(SETTINGS, ACK, 0, Buffer.alloc(0));
    if (this.blocked.length > 0) this.unblock();
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new Error('bad WINDOW_UPDATE');
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      this.sendWindow += increment;
      this.unblock();
      return;
    }
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.window += increment;
    if (stream.pending) this.sendPending(stream);
  }

  private unblock(): void {
    const blocked = this.blocked;
    this.blocked = [];
    for (const stream of blocked) if (stream.pending && !stream.closed) this.sendPending(stream);
  }

  /** Sends as much of a stream's body as the windows allow; then its trailers. */
  private sendPending(stream: Stream): void {
    let body = stream.pending!;
    while (body.length > 0) {
      const room = Math.min(stream.window, this.sendWindow, this.peerMaxFrame, body.length);
      if (room <= 0) {
        stream.pending = body;
        if (this.sendWindow <= 0 && !this.blocked.includes(stream)) this.blocked.push(stream);
        return;
      }
      this.frame(DATA, 0, stream.id, body.subarray(0, room));
      stream.window -= room;
      this.sendWindow -= room;
      body = body.subarray(room);
    }
    stream.pending = undefined;
    this.headerFrames(stream.id, stream.pendingTrailers!, true);
    stream.pendingTrailers = undefined;
    this.forget(stream);
  }

  /** A header block as HEADERS (+ CONTINUATION when longer than a frame). */
  private headerFrames(id: number, block: Buffer, endStream: boolean): void {
    const max = this.peerMaxFrame;
    if (block.length <= max) {
      this.frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), id, block);
      return;
    }
    this.frame(HEADERS, endStream ? END_STREAM : 0, id, block.subarray(0, max));
    for (let pos = max; pos < block.length; pos += max) {
      this.frame(CONTINUATION, pos + max >= block.length ? END_HEADERS : 0, id, block.subarray(pos, pos + max));
    }
  }

  /** The server is done with a stream it answered in full: its id leaves the table. */
  private forget(stream: Stream): void {
    this.streams.delete(stream.id);
    if (!stream.closed) {
      stream.closed = true;
      const onClose = stream.onClose;
      stream.onClose = undefined;
      onClose?.();
    }
  }

  private closeStream(stream: Stream): void {
    this.streams.delete(stream.id);
    if (stream.closed) return;
    stream.closed = true;
    stream.pending = undefined;
    const onClose = stream.onClose;
    stream.onClose = undefined;
    onClose?.();
  }

  private windowUpdate(id: number, increment: number): void {
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(increment, 0);
    this.frame(WINDOW_UPDATE, 0, id, payload);
  }

  private goAway(code: number): void {
    if (this.dead) return;
    const payload = Buffer.alloc(8);
    payload.writeUInt32BE(this.lastStreamId, 0);
    payload.writeUInt32BE(code, 4);
    this.frame(GOAWAY, 0, 0, payload);
    this.flush();
    this.socket.end();
    this.dead = true;
    for (const stream of this.streams.values()) this.closeStream(stream);
  }

  private frame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.dead) return;
    const header = Buffer.allocUnsafe(9);
    header[0] = payload.length >>> 16;
    header[1] = (payload.length >>> 8) & 0xff;
    header[2] = payload.length & 0xff;
    header[3] = type;
    header[4] = flags;
    header.writeUInt32BE(id, 5);
    this.out.push(header, payload);
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.out.length === 0 || this.socket.destroyed) return;
    const out = this.out;
    this.out = [];
    this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  }
}
