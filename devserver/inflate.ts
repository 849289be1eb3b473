// gunzip of small gRPC request messages in JavaScript (RFC 1952 around RFC 1951). The SDK's Rust
// core gzips every request, most of them a few hundred bytes: node:zlib's gunzipSync builds a
// native zlib stream per call (~11 µs each, about a tenth of the devserver's CPU per workflow),
// while decoding a few hundred bytes here takes a couple of µs. The output is checked against the
// member's CRC-32 and length; anything this does not take (several members, a bad CRC, a larger
// message) returns undefined and the caller uses node:zlib, which also gives the proper errors.

const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
  16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

// A canonical Huffman code: how many codes of each length and the symbols in code order, decoded
// a bit at a time (puff's way). Dynamic blocks build theirs in scratch arrays reused by every call
// (the server is one thread and this is synchronous), so a call allocates only its output.
// Codes of up to FAST bits are also looked up in one step on the next FAST bits as read
// (entry = symbol << 4 | length, 0 = longer code).
const FAST = 8;
interface Code {
  counts: Uint16Array;
  symbols: Uint16Array;
  table: Int32Array;
}

const offsets = new Uint16Array(16);

function buildCode(lengths: Uint8Array, from: number, n: number, into: Code): Code {
  const { counts, symbols, table } = into;
  counts.fill(0);
  table.fill(0);
  for (let i = 0; i < n; i++) counts[lengths[from + i]!]!++;
  counts[0] = 0;
  offsets[1] = 0;
  for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len]! + counts[len]!;
  for (let i = 0; i < n; i++) {
    const len = lengths[from + i]!;
    if (len !== 0) symbols[offsets[len]!++] = i;
  }
  // The canonical codes in symbol order: the first code of each length, then one more per symbol.
  let code = 0;
  for (let len = 1; len <= FAST; len++) {
    code = (code + counts[len - 1]!) << 1;
    offsets[len] = code;
  }
  for (let i = 0; i < n; i++) {
    const len = lengths[from + i]!;
    if (len === 0 || len > FAST) continue;
    const value = offsets[len]!++;
    let reversed = 0;
    for (let b = 0; b < len; b++) reversed |= ((value >> b) & 1) << (len - 1 - b);
    for (let j = reversed; j < 1 << FAST; j += 1 << len) table[j] = (i << 4) | len;
  }
  return into;
}

const scratch = (): Code => ({ counts: new Uint16Array(16), symbols: new Uint16Array(320), table: new Int32Array(1 << FAST) });
const LIT = scratch();
const DIST = scratch();
const LENS = scratch();
const LENGTHS = new Uint8Array(320);
const CODE_LENGTHS = new Uint8Array(19);

const FIXED_LENGTHS = new Uint8Array(288 + 30);
for (let i = 0; i < 288; i++) FIXED_LENGTHS[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
for (let i = 0; i < 30; i++) FIXED_LENGTHS[288 + i] = 5;

class Bits {
  pos = 0;
  private bitBuf = 0;
  private bitCount = 0;
  private input: Uint8Array = new Uint8Array(0);
  reset(input: Uint8Array, start: number): void {
    this.input = input;
    this.pos = start;
    this.bitBuf = 0;
    this.bitCount = 0;
  }
  need(n: number): number {
    if (n === 0) return 0;
    while (this.bitCount < n) {
      if (this.pos >= this.input.length) throw new RangeError('input ends');
      this.bitBuf |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    const value = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return value;
  }
  decode(code: Code): number {
    while (this.bitCount < FAST && this.pos < this.input.length) {
      this.bitBuf |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    const entry = code.table[this.bitBuf & ((1 << FAST) - 1)]!;
    const length = entry & 15;
    if (length !== 0 && length <= this.bitCount) {
      this.bitBuf >>>= length;
      this.bitCount -= length;
      return entry >> 4;
    }
    const { counts, symbols } = code;
    let c = 0;
    let first = 0;
    let index = 0;
    let buf = this.bitBuf;
    let left = this.bitCount;
    for (let len = 1; len < 16; len++) {
      if (left === 0) {
        if (this.pos >= this.input.length) throw new RangeError('input ends');
        buf = this.input[this.pos++]!;
        left = 8;
      }
      c |= buf & 1;
      buf >>>= 1;
      left--;
      const count = counts[len]!;
      if (c - first < count) {
        this.bitBuf = buf;
        this.bitCount = left;
        return symbols[index + c - first]!;
      }
      index += count;
      first = (first + count) << 1;
      c <<= 1;
    }
    throw new RangeError('bad code');
  }
  /** Drops the bits left of the current byte (stored blocks start on a byte); whole bytes read ahead go back. */
  align(): void {
    this.pos -= this.bitCount >> 3;
    this.bitBuf = 0;
    this.bitCount = 0;
  }
  /** Where the next unread byte is. */
  end(): number {
    return this.pos - (this.bitCount >> 3);
  }
}

const bits = new Bits();
let fixed: [Code, Code] | undefined;

/** Inflates one gzip member of at most `max` bytes out; undefined when node:zlib should decide. */
export function gunzipSmall(input: Uint8Array, max: number): Uint8Array | undefined {
  try {
    return gunzip(input, max);
  } catch {
    return undefined;
  }
}

function gunzip(input: Uint8Array, max: number): Uint8Array | undefined {
  const n = input.length;
  if (n < 18 || input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 8) return undefined;
  const flags = input[3]!;
  if (flags & 0xe0) return undefined;
  let pos = 10;
  if (flags & 4) pos += 2 + (input[pos]! | (input[pos + 1]! << 8));
  if (flags & 8) while (pos < n && input[pos++] !== 0);
  if (flags & 16) while (pos < n && input[pos++] !== 0);
  if (flags & 2) pos += 2;
  const size = (input[n - 4]! | (input[n - 3]! << 8) | (input[n - 2]! << 16) | (input[n - 1]! << 24)) >>> 0;
  if (size > max) return undefined;
  const out = new Uint8Array(size);
  let o = 0;
  bits.reset(input, pos);
  let last = 0;
  while (!last) {
    last = bits.need(1);
    const type = bits.need(2);
    if (type === 0) {
      bits.align();
      const p = bits.pos;
      const len = input[p]! | (input[p + 1]! << 8);
      if ((len ^ 0xffff) !== (input[p + 2]! | (input[p + 3]! << 8)) || o + len > size || p + 4 + len > n) return undefined;
      out.set(input.subarray(p + 4, p + 4 + len), o);
      o += len;
      bits.pos = p + 4 + len;
      continue;
    }
    let lit: Code;
    let dist: Code;
    if (type === 1) {
      fixed ??= [buildCode(FIXED_LENGTHS, 0, 288, scratch()), buildCode(FIXED_LENGTHS, 288, 30, scratch())];
      [lit, dist] = fixed;
    } else if (type === 2) {
      const nlen = bits.need(5) + 257;
      const ndist = bits.need(5) + 1;
      const ncode = bits.need(4) + 4;
      if (nlen > 286 || ndist > 30) return undefined;
      const lengths = LENGTHS;
      const codeLengths = CODE_LENGTHS.fill(0);
      for (let i = 0; i < ncode; i++) codeLengths[ORDER[i]!] = bits.need(3);
      const lencode = buildCode(codeLengths, 0, 19, LENS);
      for (let i = 0; i < nlen + ndist;) {
        const symbol = bits.decode(lencode);
        if (symbol < 16) {
          lengths[i++] = symbol;
          continue;
        }
        let repeat: number;
        let value = 0;
        if (symbol === 16) {
          if (i === 0) return undefined;
          value = lengths[i - 1]!;
          repeat = 3 + bits.need(2);
        } else repeat = symbol === 17 ? 3 + bits.need(3) : 11 + bits.need(7);
        if (i + repeat > nlen + ndist) return undefined;
        while (repeat--) lengths[i++] = value;
      }
      lit = buildCode(lengths, 0, nlen, LIT);
      dist = buildCode(lengths, nlen, ndist, DIST);
    } else return undefined;
    for (;;) {
      const symbol = bits.decode(lit);
      if (symbol < 256) {
        if (o >= size) return undefined;
        out[o++] = symbol;
      } else if (symbol === 256) break;
      else {
        const l = symbol - 257;
        if (l >= 29) return undefined;
        const length = LENGTH_BASE[l]! + bits.need(LENGTH_EXTRA[l]!);
        const d = bits.decode(dist);
        if (d >= 30) return undefined;
        const distance = DIST_BASE[d]! + bits.need(DIST_EXTRA[d]!);
        if (distance > o || o + length > size) return undefined;
        for (let k = 0; k < length; k++, o++) out[o] = out[o - distance]!;
      }
    }
  }
  // The member must end exactly with its trailer (CRC-32, size) and the data must match both.
  if (o !== size || bits.end() + 8 !== n) return undefined;
  const crc = (input[n - 8]! | (input[n - 7]! << 8) | (input[n - 6]! << 16) | (input[n - 5]! << 24)) >>> 0;
  return crc32(out) === crc ? out : undefined;
}
