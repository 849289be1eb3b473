// A protobuf wire writer into one growing buffer, for codec.ts. protobufjs' Writer queues an
// operation object per value and per nested message and writes them all at finish(); this one
// writes in place. A nested message reserves one byte for its length and, if the length turns
// out to need more (128 bytes or over), moves its bytes up once (copyWithin) when it closes.
// The method names and types are those of protobufjs' Writer, so generated code calls either.
import protobuf from 'protobufjs';

type LongLike = number | string | { low: number; high: number };
const TWO_32 = 4294967296;

export class WireWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly starts: number[] = [];

  constructor(size = 4096) {
    this.buf = Buffer.allocUnsafeSlow(size);
  }

  reset(): this {
    this.pos = 0;
    this.starts.length = 0;
    return this;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  uint32(value: number): this {
    let v = value >>> 0;
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    while (v > 127) {
      buf[pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
    return this;
  }

  int32(value: number): this {
    const v = value | 0;
    return v < 0 ? this.varint64(v, -1) : this.uint32(v);
  }

  sint32(value: number): this {
    const v = value | 0;
    return this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  private varint64(lo: number, hi: number): this {
    lo >>>= 0;
    hi >>>= 0;
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi) {
      buf[pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[pos++] = (lo & 127) | 128;
      lo >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
    return this;
  }

  /** Two's complement halves of a 64-bit value, as protobufjs' LongBits gives them. */
  private static halves(value: LongLike): [number, number] {
    if (typeof value === 'number') {
      if (value >= 0 && value < TWO_32) return [value >>> 0, 0];
      const negative = value < 0;
      const abs = negative ? -value : value;
      let lo = abs >>> 0;
      let hi = ((abs - lo) / TWO_32) >>> 0;
      if (negative) {
        hi = ~hi >>> 0;
        lo = ~lo >>> 0;
        if (++lo > 4294967295) {
          lo = 0;
          if (++hi > 4294967295) hi = 0;
        }
      }
      return [lo, hi];
    }
    const bits = protobuf.util.LongBits.from(value as never);
    return [bits.lo, bits.hi];
  }

  int64(value: LongLike): this {
    if (typeof value === 'number' && value >= 0 && value < TWO_32) return this.uint32(value);
    const [lo, hi] = WireWriter.halves(value);
    return this.varint64(lo, hi);
  }

  uint64(value: LongLike): this {
    return this.int64(value);
  }

  sint64(value: LongLike): this {
    const [lo, hi] = WireWriter.halves(value);
    const mask = hi >> 31;
    return this.varint64(((lo << 1) ^ mask) >>> 0, (((hi << 1) | (lo >>> 31)) ^ mask) >>> 0);
  }

  bool(value: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
    return this;
  }

  fixed32(value: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  sfixed32(value: number): this {
    return this.fixed32(value);
  }

  fixed64(value: LongLike): this {
    const [lo, hi] = WireWriter.halves(value);
    this.ensure(8);
    this.buf.writeUInt32LE(lo, this.pos);
    this.buf.writeUInt32LE(hi, this.pos + 4);
    this.pos += 8;
    return this;
  }

  sfixed64(value: LongLike): this {
    return this.fixed64(value);
  }

  float(value: number): this {
    this.ensure(4);
    this.buf.writeFloatLE(value, this.pos);
    this.pos += 4;
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
    return this;
  }

  bytes(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : value;
    const len = bytes.length >>> 0;
    this.uint32(len);
    if (len) {
      this.ensure(len);
      this.buf.set(bytes, this.pos);
      this.pos += len;
    }
    return this;
  }

  string(value: string): this {
    const n = value.length;
    this.ensure(n * 3 + 5);
    const buf = this.buf;
    const start = this.pos;
    if (n < 128) {
      // Short ASCII (the usual case) without a native call; anything else through Buffer.write.
      let pos = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 128) break;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.pos = pos;
        return this;
      }
    }
    this.pos = start + 1;
    this.starts.push(start);
    this.pos += buf.write(value, this.pos, 'utf8');
    return this.ldelim();
  }

  /** Opens a length-delimited value (a nested message). */
  fork(): this {
    this.ensure(1);
    this.starts.push(this.pos);
    this.pos += 1;
    return this;
  }

  /** Closes the value fork() opened: writes its length in front of it. */
  ldelim(): this {
    const start = this.starts.pop()!;
    const len = this.pos - start - 1;
    if (len < 128) {
      this.buf[start] = len;
      return this;
    }
    let size = 1;
    for (let v = len >>> 7; v; v >>>= 7) size++;
    this.ensure(size - 1);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    this.pos += size - 1;
    const end = this.pos;
    this.pos = start;
    this.uint32(len);
    this.pos = end;
    return this;
  }

  /**
   * The bytes written. `own`: in a buffer of their own, of their exact size (for bytes kept long:
   * a slice of Node's shared 8 KB pool would keep the whole slab alive); otherwise from the pool,
   * which is cheaper for bytes sent and dropped.
   */
  finish(own = false): Buffer {
    const out = own ? Buffer.allocUnsafeSlow(this.pos) : Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}
