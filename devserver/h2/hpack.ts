// HPACK (RFC 7541) for the devserver's own HTTP/2 transport: a decoder for request header blocks
// (static + dynamic table, Huffman strings) and the few constant header blocks the server sends.
// The server never indexes what it sends (literals without indexing), so it keeps no encoder
// table and the peer's SETTINGS_HEADER_TABLE_SIZE does not concern it.

export class HpackError extends Error {}

const STATIC: [string, string][] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

// Appendix B's code is canonical: the code lengths of symbols 0..256 (EOS) define it. Lengths
// written base 36 (5..30), one character per symbol.
const LENGTHS = (
  'dnsssssssoussussssssssusssssssss6aacd68baa8b8666555666666678f6ca' +
  'd67777777777777777777777878djde6f56565666577666567655677777fbeds' +
  'kmkkmmmnmnnnnnonoomnonnnnlmnmnnomlkmmnnlnmmolmnnllmlnmnnkmmmnmmn' +
  'qqkjmnmpqqqrrqopjlqrrqrollqqsrrrkoklmllnmmppooqnqrqqrrrrrsrrrrrqu'
).split('').map((c) => parseInt(c, 36));

// Canonical decoding tables: per length, the first code, how many codes, and where its symbols start.
const FIRST = new Array<number>(31).fill(0);
const COUNT = new Array<number>(31).fill(0);
const OFFSET = new Array<number>(31).fill(0);
const SYMBOLS: number[] = [];
{
  for (const length of LENGTHS) COUNT[length]!++;
  let code = 0;
  for (let length = 1; length <= 30; length++) {
    FIRST[length] = code;
    OFFSET[length] = SYMBOLS.length;
    for (let symbol = 0; symbol < LENGTHS.length; symbol++) if (LENGTHS[symbol] === length) SYMBOLS.push(symbol);
    code = (code + COUNT[length]!) * 2;
  }
}

/** The Huffman codes (value, length) of every symbol: for tests and for encoding. */
export function huffmanCode(symbol: number): [number, number] {
  const length = LENGTHS[symbol]!;
  return [FIRST[length]! + SYMBOLS.indexOf(symbol, OFFSET[length]) - OFFSET[length]!, length];
}

function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let code = 0;
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      length++;
      const index = code - FIRST[length]!;
      if (index < COUNT[length]!) {
        const symbol = SYMBOLS[OFFSET[length]! + index]!;
        if (symbol === 256) throw new HpackError('EOS in a Huffman string');
        out += String.fromCharCode(symbol);
        code = 0;
        length = 0;
      } else if (length >= 30) throw new HpackError('bad Huffman code');
    }
  }
  // Padding: fewer than 8 bits, all ones (a prefix of EOS).
  if (length > 7 || code !== 2 ** length - 1) throw new HpackError('bad Huffman padding');
  return out;
}

/** Encodes a string as an HPACK Huffman string literal body (for tests and constant headers). */
export function huffmanEncode(value: string): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < value.length; i++) {
    const [code, length] = huffmanCode(value.charCodeAt(i) & 0xff);
    for (let b = length - 1; b >= 0; b--) {
      acc = (acc << 1) | (Math.floor(code / 2 ** b) & 1);
      if (++bits === 8) {
        bytes.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) bytes.push(((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
  return Buffer.from(bytes);
}

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
  private table: [string, string, number][] = [];
  private size = 0;
  private max: number;
  private readonly limit: number;
  // Header strings repeat (paths, user agent, content type): decoded once, kept by their bytes.
  private readonly strings = new Map<string, string>();

  constructor(tableSize = 4096) {
    this.max = tableSize;
    this.limit = tableSize;
  }

  decode(block: Uint8Array, into: RequestHeaders): void {
    let pos = 0;
    const end = block.length;
    const integer = (prefixBits: number): number => {
      const mask = (1 << prefixBits) - 1;
      let value = block[pos++]! & mask;
      if (value < mask) return value;
      let shift = 0;
      for (;;) {
        if (pos >= end) throw new HpackError('truncated integer');
        const byte = block[pos++]!;
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if ((byte & 0x80) === 0) return value;
        if (shift > 28) throw new HpackError('integer too large');
      }
    };
    const string = (): string => {
      if (pos >= end) throw new HpackError('truncated string');
      const huffman = (block[pos]! & 0x80) !== 0;
      const length = integer(7);
      const stop = pos + length;
      if (stop > end) throw new HpackError('truncated string');
      let value: string;
      if (!huffman) value = latin1(block, pos, stop);
      else if (length > 64) value = huffmanDecode(block, pos, stop);
      else {
        const key = latin1(block, pos, stop);
        value = this.strings.get(key) ?? this.remember(key, huffmanDecode(block, pos, stop));
      }
      pos = stop;
      return value;
    };
    while (pos < end) {
      const first = block[pos]!;
      let name: string;
      let value: string;
      if (first & 0x80) {
        [name, value] = this.entry(integer(7));
      } else if (first & 0x40) {
        const index = integer(6);
        name = index === 0 ? string() : this.entry(index)[0];
        value = string();
        this.insert(name, value);
      } else if (first & 0x20) {
        const size = integer(5);
        if (size > this.limit) throw new HpackError('table size update above the limit');
        this.max = size;
        this.evict(0);
        continue;
      } else {
        const index = integer(4);
        name = index === 0 ? string() : this.entry(index)[0];
        value = string();
      }
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

  private remember(key: string, value: string): string {
    if (this.strings.size >= 4096) this.strings.clear();
    this.strings.set(key, value);
    return value;
  }

  private entry(index: number): [string, string] | [string, string, number] {
    if (index === 0) throw new HpackError('index 0');
    if (index <= STATIC.length) return STATIC[index - 1]!;
    const dynamic = this.table[this.table.length - 1 - (index - STATIC.length - 1)];
    if (!dynamic) throw new HpackError(`index ${index} outside the table`);
    return dynamic;
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + 32;
    this.evict(size);
    if (size > this.max) return;
    // Newest last; index 62 is the newest.
    this.table.push([name, value, size]);
    this.size += size;
  }

  private evict(room: number): void {
    let drop = 0;
    while (this.size + room > this.max && drop < this.table.length) this.size -= this.table[drop++]![2];
    if (drop > 0) this.table.splice(0, drop);
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 32) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
  return out;
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
    const index = STATIC.findIndex(([n]) => n === name) + 1;
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
