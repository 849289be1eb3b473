// Protobuf straight from and to the plain objects the server works with (int64 as number, enums
// as their names, bytes as Uint8Array): the same bytes and objects as protobufjs'
// `encode(fromObject(value))` and `toObject(decode(bytes), { longs: Number, enums: String })`,
// without the message instances and Long objects in between. Those two copies of every request
// and response (and of every history event) were a fifth of the server's CPU in a profile of
// bench:devserver, plus the garbage collection they caused. One encoder and one decoder per
// message type are generated on first use from protobufjs' reflection (as protobufjs generates
// its own); the wire work itself stays with protobufjs' Reader and Writer.
// DEVSERVER_CODEC_CHECK=1 makes proto.ts compare every message with protobufjs' own result.
import protobuf from 'protobufjs';
import type { Field, Reader, Type } from 'protobufjs';
import { WireWriter } from './wire-writer.ts';

type Encoder = (value: Record<string, unknown>, w: WireWriter) => void;
type Decoder = (r: Reader, length: number | undefined, into?: Record<string, unknown>) => Record<string, unknown>;

interface Codec {
  encode: Encoder;
  decode: Decoder;
}

const codecs = new Map<Type, Codec>();
const { Enum, util } = protobuf;
// protobufjs' wire-type tables, indexed by the field's type name.
const types = protobuf.types as unknown as Record<'basic' | 'packed' | 'mapKey' | 'long', Record<string, number | undefined>>;
const TWO_32 = 4294967296;

/** Reads a varint int64/uint64 as a number, the way LongBits.toNumber gives it (no Long object). */
function readVarint64(r: Reader, unsigned: boolean): number {
  const reader = r as Reader & { buf: Uint8Array; pos: number; len: number };
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  let lo = 0;
  let hi = 0;
  let b = 0;
  let done = false;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= len) throw RangeError('index out of range');
    b = buf[pos++]!;
    lo |= (b & 127) << shift;
    if (b < 128) {
      done = true;
      break;
    }
  }
  if (!done) {
    if (pos >= len) throw RangeError('index out of range');
    b = buf[pos++]!;
    lo |= (b & 127) << 28;
    hi = (b & 127) >> 4;
    if (b >= 128) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw Error('invalid varint encoding');
        if (pos >= len) throw RangeError('index out of range');
        b = buf[pos++]!;
        hi |= (b & 127) << shift;
        if (b < 128) break;
      }
    }
  }
  reader.pos = pos;
  return longToNumber(lo, hi, unsigned);
}

function longToNumber(lo: number, hi: number, unsigned: boolean): number {
  lo >>>= 0;
  hi >>>= 0;
  if (!unsigned && hi >>> 31) {
    let nlo = (~lo + 1) >>> 0;
    let nhi = ~hi >>> 0;
    if (!nlo) nhi = (nhi + 1) >>> 0;
    return -(nlo + nhi * TWO_32);
  }
  return lo + hi * TWO_32;
}

function readOtherLong(r: Reader, type: string): number {
  const value = (r as unknown as Record<string, () => { low: number; high: number } | number>)[type]!();
  if (typeof value === 'number') return value;
  return longToNumber(value.low, value.high, type === 'fixed64');
}

function enumNumber(values: Record<string, number>, value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const n = values[value as string];
  return typeof n === 'number' ? n : undefined;
}

function enumName(names: Record<number, string>, n: number): string | number {
  const name = names[n];
  return name === undefined ? n : name;
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The JS expression that converts a plain value `v` the way fromObject does, for writer method `type`. */
function scalarIn(type: string, v: string): string {
  switch (type) {
    case 'string':
      return `(typeof ${v}==="string"?${v}:String(${v}))`;
    case 'bool':
      return `!!${v}`;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return `(${v}|0)`;
    case 'uint32':
    case 'fixed32':
      return `(${v}>>>0)`;
    case 'double':
    case 'float':
      return `Number(${v})`;
    default:
      return v; // int64 family (Writer takes numbers, strings, Longs), bytes (Uint8Array or base64)
  }
}

/** Whether protobufjs skips this value when encoding a field without presence (proto3 implicit). */
function defaultCheck(field: Field, type: string, v: string): string {
  if (field.resolvedType instanceof Enum) return `${v}!==${JSON.stringify(field.typeDefault)}`;
  if (type === 'bool') return `${v}!==false`;
  if (type === 'string') return `${v}!==""`;
  if (type === 'bytes') return `${v}.length`;
  if (type === 'double' || type === 'float') return `!Object.is(${v},0)`;
  if (types.long[type] !== undefined) return `(typeof ${v}==="object"?${v}.low||${v}.high:${v}!=0)`;
  return `${v}!==0`;
}

/**
 * Field presence (proto3 implicit vs explicit) comes from protobufjs' features, which it resolves
 * for the whole root on the first Type.setup(); resolve them the same way before generating.
 */
function resolveFeatures(type: Type): void {
  const root = type.root as unknown as { _needsRecursiveFeatureResolution?: boolean; _edition?: string; _resolveFeaturesRecursive?(e: string): void };
  if (!root?._needsRecursiveFeatureResolution) return;
  const edition = root._edition || (type as unknown as { _edition?: string })._edition;
  if (!edition) return;
  if (typeof root._resolveFeaturesRecursive === 'function') root._resolveFeaturesRecursive(edition);
  else type.setup();
}

function buildCodec(type: Type): Codec {
  resolveFeatures(type);
  const codec: Codec = { encode: undefined as never, decode: undefined as never };
  codecs.set(type, codec); // before generating: recursive types find themselves
  const fields = type.fieldsArray.map((f) => f.resolve()).sort((a, b) => a.id - b.id);
  const refs: unknown[] = [];
  const ref = (value: unknown) => {
    refs.push(value);
    return `R[${refs.length - 1}]`;
  };
  const sub = (field: Field) => ref(codecFor(field.resolvedType as Type));
  const enc: string[] = [];
  const dec: string[] = [];
  for (const field of fields) {
    if (field.delimited) throw new Error(`codec: group field ${type.fullName}.${field.name} not supported`);
    const isEnum = field.resolvedType instanceof Enum;
    const isMessage = !isEnum && field.resolvedType !== null;
    const wtype = isEnum ? 'int32' : field.type;
    const wire = types.basic[wtype];
    const name = JSON.stringify(field.name);
    const tag = (w: number) => ((field.id << 3) | w) >>> 0;
    const values = isEnum ? ref((field.resolvedType as InstanceType<typeof Enum>).values) : '';
    const names = isEnum ? ref((field.resolvedType as InstanceType<typeof Enum>).valuesById) : '';
    // Encoding one value `v` (already known not null) after its tag.
    const writeValue = (v: string, t: number) => {
      if (isMessage) return `${sub(field)}.encode(${v},w.uint32(${t}).fork());w.ldelim();`;
      if (isEnum) return `{const n=enumNumber(${values},${v});if(n!==undefined)w.uint32(${t}).int32(n);}`;
      return `w.uint32(${t}).${wtype}(${scalarIn(wtype, v)});`;
    };
    // Decoding one value (reader at the value).
    const readValue = (): string => {
      if (isMessage) return `${sub(field)}.decode(r,r.uint32())`;
      if (isEnum) return `enumName(${names},r.int32())`;
      if (wtype === 'int64' || wtype === 'uint64') return `readVarint64(r,${wtype === 'uint64'})`;
      if (types.long[wtype] !== undefined) return `readOtherLong(r,${JSON.stringify(wtype)})`;
      return `r.${wtype}()`;
    };
    if (field.map) {
      const keyType = (field as Field & { keyType: string }).keyType;
      const longKey = types.long[keyType] !== undefined;
      const unsignedKey = keyType === 'uint64' || keyType === 'fixed64';
      const keyIn =
        keyType === 'string' ? 'k' : keyType === 'bool' ? 'util.boolFromKey(k)' : longKey ? `util.longFromKey(k,${unsignedKey})` : 'Number(k)';
      const valueWrite = isMessage
        ? `${sub(field)}.encode(m[k],w.uint32(18).fork());w.ldelim();`
        : isEnum
          ? `w.uint32(16).int32(enumNumber(${values},m[k])??0);`
          : `w.uint32(${16 | wire!}).${wtype}(${scalarIn(wtype, 'm[k]')});`;
      enc.push(
        `{const m=o[${name}];if(m!=null){for(const k of Object.keys(m)){` +
          `w.uint32(${tag(2)}).fork().uint32(${8 | types.mapKey[keyType]!}).${keyType}(${keyIn});${valueWrite}w.ldelim();}}}`,
      );
      const keyRead = keyType === 'string' ? 'r.string()' : longKey ? `readOtherLong(r,${JSON.stringify(keyType)})` : `r.${keyType}()`;
      const scalarDefault = wtype === 'bytes' ? 'util.emptyArray' : wtype === 'string' ? '""' : wtype === 'bool' ? 'false' : '0';
      const valueDefault = isMessage ? '{}' : isEnum ? `${names}[0]??0` : scalarDefault;
      dec.push(
        `case ${field.id}:{if(u!==2)break;const e=r.uint32()+r.pos;let k=${keyType === 'string' ? '""' : keyType === 'bool' ? 'false' : '0'},v;` +
          `while(r.pos<e){const t2=r.uint32();switch(t2>>>3){case 1:k=${keyRead};continue;case 2:v=${readValue()};continue;}r.skipType(t2&7);}` +
          `setKey(m[${name}]??={},String(k),v===undefined?${valueDefault}:v);continue;}`,
      );
    } else if (field.repeated) {
      const packedOut = field.packed && types.packed[wtype] !== undefined && !isMessage;
      if (packedOut) {
        const conv = isEnum ? `enumNumber(${values},a[i])??0` : scalarIn(wtype, 'a[i]');
        enc.push(`{const a=o[${name}];if(a!=null&&a.length){w.uint32(${tag(2)}).fork();for(let i=0;i<a.length;i++)w.${wtype}(${conv});w.ldelim();}}`);
      } else if (isEnum) {
        enc.push(`{const a=o[${name}];if(a!=null&&a.length){for(let i=0;i<a.length;i++)w.uint32(${tag(0)}).int32(enumNumber(${values},a[i])??0);}}`);
      } else {
        enc.push(`{const a=o[${name}];if(a!=null&&a.length){for(let i=0;i<a.length;i++){${writeValue('a[i]', tag(isMessage ? 2 : wire!))}}}}`);
      }
      const packable = types.packed[wtype] !== undefined && !isMessage;
      dec.push(
        `case ${field.id}:{` +
          (packable ? `if(u===2){const e=r.uint32()+r.pos;const a=m[${name}]??=[];while(r.pos<e)a.push(${readValue()});continue;}` : '') +
          `if(u!==${isMessage ? 2 : wire})break;(m[${name}]??=[]).push(${readValue()});continue;}`,
      );
    } else {
      const check = field.hasPresence ? '' : `&&${defaultCheck(field, wtype, 'v')}`;
      enc.push(`{const v=o[${name}];if(v!=null${check}){${writeValue('v', tag(isMessage ? 2 : wire!))}}}`);
      if (isMessage) {
        dec.push(`case ${field.id}:{if(u!==2)break;m[${name}]=${sub(field)}.decode(r,r.uint32(),m[${name}]);continue;}`);
      } else if (field.hasPresence) {
        dec.push(`case ${field.id}:{if(u!==${wire})break;m[${name}]=${readValue()};continue;}`);
      } else {
        const raw = isEnum ? 'r.int32()' : readValue();
        const store = isEnum ? `${names}[v]===undefined?v:${names}[v]` : 'v';
        const setOrDelete = `if(${defaultCheck(field, wtype, 'v')})m[${name}]=${store};else delete m[${name}];`;
        dec.push(`case ${field.id}:{if(u!==${wire})break;const v=${raw};${setOrDelete}continue;}`);
      }
    }
  }
  const helpers = { enumNumber, enumName, readVarint64, readOtherLong, setKey, util };
  const args = ['R', ...Object.keys(helpers)];
  const encodeSource = `return function encode(o,w){${enc.join('\n')}}`;
  const decodeSource =
    `return function decode(r,l,into){const c=l===undefined?r.len:r.pos+l;const m=into||{};` +
    `while(r.pos<c){const t=r.uint32();const u=t&7;switch(t>>>3){${dec.join('\n')}}r.skipType(u);}return m;}`;
  codec.encode = new Function(...args, encodeSource)(refs, ...Object.values(helpers)) as Encoder;
  codec.decode = new Function(...args, decodeSource)(refs, ...Object.values(helpers)) as Decoder;
  return codec;
}

/** The generated codec of a message type. Nested types are generated when first reached. */
function codecFor(type: Type): Codec {
  // Lazily bound: a field's type may be generated later than the type that refers to it.
  let codec = codecs.get(type);
  if (codec) return codec;
  const lazy: Codec = {
    encode: (value, w) => {
      const real = codecs.get(type) ?? buildCodec(type);
      lazy.encode = real.encode;
      lazy.decode = real.decode;
      real.encode(value, w);
    },
    decode: (r, l, into) => {
      const real = codecs.get(type) ?? buildCodec(type);
      lazy.encode = real.encode;
      lazy.decode = real.decode;
      return real.decode(r, l, into);
    },
  };
  return lazy;
}

/** Writes `value`'s fields into `w` (no length prefix): the caller owns the writer. */
export function encodeFields(type: Type, value: object, w: WireWriter): void {
  (codecs.get(type) ?? buildCodec(type)).encode(value as Record<string, unknown>, w);
}

// One scratch writer, reused by every top-level encode (encoding is synchronous and never nested).
let spare: WireWriter | undefined = new WireWriter();

/** Runs `write` with a cleared writer and returns the bytes it wrote (a buffer of their own). */
export function withWriter(write: (w: WireWriter) => void, own = false): Buffer {
  const w = spare ?? new WireWriter(256);
  spare = undefined;
  try {
    write(w.reset());
    return w.finish(own);
  } finally {
    spare = w;
  }
}

/** `own`: see WireWriter.finish. */
export function encodePlain(type: Type, value: object, own = false): Buffer {
  return withWriter((w) => encodeFields(type, value, w), own);
}

export function decodePlain<T>(type: Type, bytes: Uint8Array): T {
  const r = protobuf.Reader.create(bytes);
  return (codecs.get(type) ?? buildCodec(type)).decode(r, undefined) as T;
}
