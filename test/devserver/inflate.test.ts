// devserver/inflate.ts: the gunzip of small requests (fflate, checked by CRC-32 and length) gives node:zlib's bytes for every
// kind of deflate block (stored, fixed, dynamic, long matches), and hands back to node:zlib (which
// then raises the error) whatever it must not answer: a damaged CRC, a truncated member, two members.
import zlib from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { gunzipSmall } from '../../devserver/inflate.ts';
import { requestMessage } from '../../devserver/grpc-wire.ts';

// A deterministic generator so a failure reproduces.
function bytes(seed: number, length: number, alphabet: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = alphabet >= 256 ? x & 0xff : 97 + (x % alphabet);
  }
  return out;
}

describe('gunzipSmall', () => {
  it('inflates what zlib deflates at every level and strategy', () => {
    const strategies = [zlib.constants.Z_DEFAULT_STRATEGY, zlib.constants.Z_FIXED, zlib.constants.Z_HUFFMAN_ONLY, zlib.constants.Z_RLE];
    let cases = 0;
    for (const [length, alphabet] of [[0, 4], [1, 4], [200, 4], [700, 26], [3000, 256], [40_000, 3], [70_000, 12]] as const) {
      for (let level = 0; level <= 9; level += 3) {
        for (const strategy of strategies) {
          const message = bytes(length + level + strategy, length, alphabet);
          const out = gunzipSmall(zlib.gzipSync(message, { level, strategy }), 1 << 20);
          expect(out && Buffer.from(out).equals(message)).toBe(true);
          cases++;
        }
      }
    }
    const json = Buffer.from(JSON.stringify({ namespace: 'default', taskQueue: { name: 'bench-memory', kind: 1 }, identity: '123@host' }));
    expect(Buffer.from(gunzipSmall(zlib.gzipSync(json), 1 << 20)!).toString()).toBe(json.toString());
    expect(cases).toBe(112);
  });

  it('leaves damaged, truncated, oversized and multi-member input to node:zlib', () => {
    const message = bytes(7, 500, 10);
    const gz = zlib.gzipSync(message);
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6]! ^= 1;
    expect(gunzipSmall(badCrc, 1 << 20)).toBeUndefined();
    expect(gunzipSmall(gz.subarray(0, gz.length - 3), 1 << 20)).toBeUndefined();
    expect(gunzipSmall(gz, 100)).toBeUndefined();
    expect(gunzipSmall(Buffer.concat([gz, gz]), 1 << 20)).toBeUndefined();
    // Through the transport's request path: the damaged member is refused as node:zlib refuses it.
    const frame = (payload: Buffer) => {
      const out = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), payload]);
      out.writeUInt32BE(payload.length, 1);
      return out;
    };
    expect(Buffer.from(requestMessage(frame(gz), 'gzip', 1 << 20)).equals(message)).toBe(true);
    expect(() => requestMessage(frame(badCrc), 'gzip', 1 << 20)).toThrow();
    expect(Buffer.from(requestMessage(frame(Buffer.concat([gz, gz])), 'gzip', 1 << 20)).equals(Buffer.concat([message, message]))).toBe(true);
  });
});
