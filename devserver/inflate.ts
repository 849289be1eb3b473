// gunzip of small gRPC request messages in JavaScript, with fflate. The SDK's Rust core gzips every
// request, most of them a few hundred bytes: node:zlib's gunzipSync builds a native zlib stream per
// call (~11 µs each, about a tenth of the devserver's CPU per workflow), fflate's gunzipSync does
// not. fflate's gunzipSync checks neither the member's CRC-32 nor its length and stops after the
// first member (taking the last 8 bytes as its trailer), so this checks both (zlib.crc32) and
// refuses input that may hold a second member. Whatever it does not take (a bad CRC, a truncated
// or larger message, several members) returns undefined and the caller uses node:zlib, which
// gives the proper errors.
import zlib from 'node:zlib';
import { gunzipSync } from 'fflate';

const MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Inflates one gzip member of at most `max` bytes out; undefined when node:zlib should decide. */
export function gunzipSmall(input: Uint8Array, max: number): Uint8Array | undefined {
  const n = input.length;
  if (n < 18) return undefined;
  const size = (input[n - 4]! | (input[n - 3]! << 8) | (input[n - 2]! << 16) | (input[n - 1]! << 24)) >>> 0;
  if (size > max) return undefined;
  // Every member after the first starts with the magic bytes; a single member whose deflate data
  // happens to hold them is left to node:zlib too (rare, and only slower).
  const bytes = Buffer.from(input.buffer, input.byteOffset, n);
  if (bytes.indexOf(MAGIC, 10) !== -1) return undefined;
  let out: Uint8Array;
  try {
    out = gunzipSync(input);
  } catch {
    return undefined;
  }
  if (out.length !== size) return undefined;
  const crc = (input[n - 8]! | (input[n - 7]! << 8) | (input[n - 6]! << 16) | (input[n - 5]! << 24)) >>> 0;
  return zlib.crc32(out) === crc ? out : undefined;
}
