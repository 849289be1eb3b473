// HPACK (RFC 7541) for the devserver's own HTTP/2 transport: request header blocks are decoded
// by hpack.js (static + dynamic table, table size updates up to the limit, Huffman strings); the
// few constant header blocks the server sends are written here. The server never indexes what it
// sends (literals without indexing), so it keeps no encoder table and the peer's
// SETTINGS_HEADER_TABLE_SIZE does not concern it (hpack.js' compressor always indexes, which
// would need that table, and the server's blocks could no longer be built once).
import { createRequire } from 'node:module';

export class HpackError extends Error {}

interface Decompressor {
  write(block: Uint8Array): void;
  execute(): void;
  read(): { name: string; value: string } | null;
}
const hpack = createRequire(import.meta.url)('hpack.js') as {
  decompressor: { create(options: { table: { maxSize: number } }): Decompressor };
  'static-table': { map: Record<string, { index: number } | undefined> };
};
/** RFC 7541 Appendix A's index of a header name (its first entry), 0 when absent. */
const staticIndex = (name: string): number => (Object.hasOwn(hpack['static-table'].map, name) ? hpack['static-table'].map[name]!.index : 0);

/** What the gRPC server reads of a request's headers. */
export interface RequestHeaders {
  method: string;
  path: string;
  contentType: string;
  encoding: string | undefined;
  timeout: string | undefined;
  /** When given, every header in order (tests). */
  all?: [string, string][];
}

export class HpackDecoder {
  private decompressor: Decompressor;
  private readonly tableSize: number;

  constructor(tableSize = 4096) {
    this.tableSize = tableSize;
    this.decompressor = hpack.decompressor.create({ table: { maxSize: tableSize } });
  }

  /** Decodes one whole header block; a malformed one throws HpackError (the connection answers COMPRESSION_ERROR). */
  decode(block: Uint8Array, into: RequestHeaders): void {
    const decompressor = this.decompressor;
    try {
      decompressor.write(block);
      // Without a callback, execute() emits its error, which throws here (no listener).
      decompressor.execute();
    } catch (error) {
      // The half-read block stays in the library's buffer: start over (the connection is closed anyway).
      this.decompressor = hpack.decompressor.create({ table: { maxSize: this.tableSize } });
      throw new HpackError((error as Error).message);
    }
    for (let header = decompressor.read(); header !== null; header = decompressor.read()) {
      const { name, value } = header;
      if (into.all) into.all.push([name, value]);
      switch (name) {
        case ':method': into.method = value; break;
        case ':path': into.path = value; break;
        case 'content-type': into.contentType = value; break;
        case 'grpc-encoding': into.encoding = value; break;
        case 'grpc-timeout': into.timeout = value; break;
      }
    }
  }
}

/** An HPACK integer with the given prefix (first byte's high bits in `flags`). */
function integerBytes(value: number, prefixBits: number, flags: number): number[] {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) return [flags | value];
  const out = [flags | mask];
  value -= mask;
  while (value >= 128) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/** A header block of literals without indexing (names looked up in the static table when there). */
export function encodeHeaders(headers: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    if (name === ':status' && value === '200') {
      parts.push(Buffer.from([0x88]));
      continue;
    }
    const index = staticIndex(name);
    const valueBytes = Buffer.from(value, 'latin1');
    if (index > 0) parts.push(Buffer.from(integerBytes(index, 4, 0)));
    else {
      const nameBytes = Buffer.from(name, 'latin1');
      parts.push(Buffer.from([0, ...integerBytes(nameBytes.length, 7, 0)]), nameBytes);
    }
    parts.push(Buffer.from(integerBytes(valueBytes.length, 7, 0)), valueBytes);
  }
  return Buffer.concat(parts);
}
