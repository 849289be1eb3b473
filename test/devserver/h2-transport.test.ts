// The devserver's own HTTP/2 transport (devserver/h2/): HPACK decoding against RFC 7541's
// examples, and raw HTTP/2 clients doing what the SDK's clients may do but the suite's workflows
// do not force: a small receive window and frame size (a large answer must arrive whole through
// flow control), gzipped requests, a cancelled long poll (its slot must be given up), errors as
// trailers-only answers. The whole conformance suite runs through this transport as the default.
import http2 from 'node:http2';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../devserver/index.ts';
import { HpackDecoder, HpackError, type RequestHeaders } from '../../devserver/h2/hpack.ts';
import { decodeMessage, encodeMessage, lookupType } from '../../devserver/proto.ts';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const fresh = (): RequestHeaders => ({ method: '', path: '', contentType: '', encoding: undefined, timeout: undefined, all: [] });

describe('HPACK decoder', () => {
  it('decodes RFC 7541 C.3 (literals) and C.4 (Huffman) request sequences through the dynamic table', () => {
    for (const blocks of [
      ['8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', '8286 84be 5808 6e6f 2d63 6163 6865',
        '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'],
      ['8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', '8286 84be 5886 a8eb 1064 9cbf',
        '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'],
    ]) {
      const decoder = new HpackDecoder();
      const seen = blocks.map((block) => {
        const into = fresh();
        decoder.decode(hex(block), into);
        return into.all;
      });
      expect(seen).toEqual([
        [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
        [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
        [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
      ]);
    }
  });

  it('evicts the oldest entries past the table size and rejects what is malformed', () => {
    const decoder = new HpackDecoder();
    const literal = (name: string, value: string) =>
      Buffer.concat([Buffer.from([0x40, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
    const into = fresh();
    // Table size 100 (update 001xxxxx, 5-bit prefix: 31 + 69), then three 42-byte entries: the first is evicted.
    const entries = [literal('aaaaa', 'xxxxx'), literal('bbbbb', 'yyyyy'), literal('ccccc', 'zzzzz')];
    decoder.decode(Buffer.concat([Buffer.from([0x3f, 69]), ...entries]), into);
    const again = fresh();
    decoder.decode(Buffer.from([0x80 | 62, 0x80 | 63]), again);
    expect(again.all).toEqual([['ccccc', 'zzzzz'], ['bbbbb', 'yyyyy']]);
    // Each error is an HpackError (the connection answers GOAWAY COMPRESSION_ERROR).
    expect(() => decoder.decode(Buffer.from([0x80 | 64]), fresh())).toThrow(HpackError);
    expect(() => decoder.decode(Buffer.from([0x80 | 64]), fresh())).toThrow(/OOB/);
    // Table size updates up to the 4096 the server announced are taken, 4097 is not.
    decoder.decode(Buffer.from([0x3f, 0xe1, 0x1f]), fresh());
    expect(() => decoder.decode(Buffer.from([0x3f, 0xe2, 0x1f]), fresh())).toThrow(/bigger than maximum/);
    // A Huffman string padded with a zero bit is malformed: 'a' is 00011, padded 111 (0x1f), here 110.
    expect(() => decoder.decode(Buffer.from([0x00, 0x81, 0x1e, 0x00]), fresh())).toThrow(/not EOS/);
    // RFC 7541 C.4.1 decodes again after the errors ('www.example.com', Huffman).
    const after = fresh();
    decoder.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'), after);
    expect(after.all).toEqual([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']]);
  });
});

describe('the h2 transport with raw HTTP/2 clients', () => {
  let server: DevServer;
  let connection: Connection;
  beforeAll(async () => {
    server = await startDevServer({ port: 0 });
    connection = await Connection.connect({ address: server.address });
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  const service = '/temporal.api.workflowservice.v1.WorkflowService/';
  function call(session: http2.ClientHttp2Session, method: string, body: Buffer, extra: http2.OutgoingHttpHeaders = {}) {
    const stream = session.request({ ':method': 'POST', ':path': service + method, 'content-type': 'application/grpc', te: 'trailers', ...extra });
    const done = new Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      let headers: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (h) => (headers = h));
      stream.on('trailers', (t) => (trailers = t));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ headers, trailers, body: Buffer.concat(chunks) }));
      stream.on('error', reject);
    });
    stream.end(body);
    return { stream, done };
  }
  const frame = (bytes: Uint8Array, compressed = false) => {
    const out = Buffer.alloc(5 + bytes.length);
    out[0] = compressed ? 1 : 0;
    out.writeUInt32BE(bytes.length, 1);
    out.set(bytes, 5);
    return out;
  };
  const request = (type: string, value: object) => encodeMessage(lookupType(`temporal.api.workflowservice.v1.${type}`), value);

  it('sends a large answer whole through a small window and frame size, and inflates gzipped requests', async () => {
    const client = new Client({ connection });
    const big = 'p'.repeat(300_000);
    const handle = await client.workflow.start('neverPolled', { taskQueue: 'h2-nobody', workflowId: 'h2-big', args: [big] });
    const session = http2.connect(`http://${server.address}`, { settings: { initialWindowSize: 1000, maxFrameSize: 16_384 } });
    try {
      const history = request('GetWorkflowExecutionHistoryRequest', { namespace: 'default', execution: { workflowId: handle.workflowId } });
      const { done } = call(session, 'GetWorkflowExecutionHistory', frame(zlib.gzipSync(history), true), { 'grpc-encoding': 'gzip' });
      const answer = await done;
      expect(answer.headers[':status']).toBe(200);
      expect(answer.trailers['grpc-status']).toBe('0');
      expect(answer.body.readUInt32BE(1)).toBe(answer.body.length - 5);
      const decoded = decodeMessage<{ history: { events: { workflowExecutionStartedEventAttributes?: { input?: { payloads: { data: Uint8Array }[] } } }[] } }>(
        lookupType('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse'), answer.body.subarray(5),
      );
      const data = decoded.history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads[0]!.data;
      expect(Buffer.from(data).toString()).toBe(JSON.stringify(big));
    } finally {
      session.close();
      await handle.terminate();
    }
  }, 60_000);

  it('closes a connection whose header block is malformed with GOAWAY COMPRESSION_ERROR', async () => {
    const [host, port] = [server.address.slice(0, server.address.lastIndexOf(':')), Number(server.address.slice(server.address.lastIndexOf(':') + 1))];
    const socket = net.connect(port, host);
    const frames = (type: number, flags: number, id: number, payload: Buffer) => {
      const head = Buffer.alloc(9);
      head.writeUIntBE(payload.length, 0, 3);
      head[3] = type;
      head[4] = flags;
      head.writeUInt32BE(id, 5);
      return Buffer.concat([head, payload]);
    };
    const received: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    // The preface, empty SETTINGS, then HEADERS (END_STREAM | END_HEADERS) naming index 70, outside both tables.
    socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frames(4, 0, 0, Buffer.alloc(0)), frames(1, 5, 1, Buffer.from([0x80 | 70]))]));
    await closed;
    const bytes = Buffer.concat(received);
    let goAway: number | undefined;
    for (let pos = 0; pos + 9 <= bytes.length; pos += 9 + bytes.readUIntBE(pos, 3)) if (bytes[pos + 3] === 7) goAway = bytes.readUInt32BE(pos + 9 + 4);
    expect(goAway).toBe(0x9);
  }, 30_000);

  it('gives up a cancelled long poll at once, and answers errors trailers-only with their code', async () => {
    const session = http2.connect(`http://${server.address}`);
    try {
      const taskQueue = { name: 'h2-cancel', kind: 'TASK_QUEUE_KIND_NORMAL' };
      const poll = () => request('PollWorkflowTaskQueueRequest', { namespace: 'default', taskQueue, identity: 'raw' });
      const first = call(session, 'PollWorkflowTaskQueue', frame(poll()));
      first.done.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      first.stream.close(http2.constants.NGHTTP2_CANCEL);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Had the cancelled poll kept its slot, the task would go to it and this poll would wait.
      const client = new Client({ connection });
      const handle = await client.workflow.start('neverPolled', { taskQueue: 'h2-cancel', workflowId: 'h2-cancel' });
      const second = await call(session, 'PollWorkflowTaskQueue', frame(poll())).done;
      const pollResponse = lookupType('temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse');
      const task = decodeMessage<{ workflowExecution?: { workflowId: string } }>(pollResponse, second.body.subarray(5));
      expect(task.workflowExecution?.workflowId).toBe('h2-cancel');
      await handle.terminate();

      const missing = await call(session, 'NoSuchMethod', frame(new Uint8Array())).done;
      expect(missing.headers['grpc-status']).toBe('12');
      expect(missing.body.length).toBe(0);
      const describe = request('DescribeWorkflowExecutionRequest', { namespace: 'default', execution: { workflowId: 'h2-none' } });
      const notFound = await call(session, 'DescribeWorkflowExecution', frame(describe)).done;
      expect(notFound.headers['grpc-status']).toBe('5');
      expect(notFound.headers['grpc-status-details-bin']).toBeTruthy();
    } finally {
      session.close();
    }
  }, 60_000);
});
