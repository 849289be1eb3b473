// The protobufjs Root shipped by @temporalio/proto (all Temporal API messages and services), and
// the two conversions the server needs: wire bytes <-> plain objects.
// Plain objects follow `toObject({ longs: Number, enums: String })`: int64 as number, enums as
// their full names ('EVENT_TYPE_TIMER_FIRED'), bytes as Uint8Array, timestamps {seconds, nanos}.
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import type { Root, Type } from 'protobufjs';
import { decodePlain, encodeFields, encodePlain, withWriter } from './codec.ts';

const require = createRequire(import.meta.url);
// Loaded with require because the package ships no type declarations for this file.
export const root = require('@temporalio/proto/protos/json-module.js') as Root;

const typeCache = new Map<string, Type>();

/**
 * A message type by its full name. Looked up from the root as an absolute path ('.a.b.C'): a
 * relative name makes protobufjs search every nested namespace of the whole Temporal API, which
 * was most of the server's start-up time once the TypeScript compile cache is warm.
 */
export function lookupType(name: string): Type {
  let type = typeCache.get(name);
  if (!type) {
    type = root.lookupType(name.startsWith('.') ? name : `.${name}`);
    typeCache.set(name, type);
  }
  return type;
}

const toObjectOptions = { longs: Number, enums: String } as const;

// Every message goes through codec.ts (plain objects straight to and from the wire). With
// DEVSERVER_CODEC_CHECK=1 each one is also done by protobufjs and compared (a difference throws),
// which is how the conformance suite checks the codec against protobufjs on real traffic.
const checkCodec = process.env.DEVSERVER_CODEC_CHECK === '1';

export function decodeMessage<T = Record<string, unknown>>(type: Type, bytes: Uint8Array): T {
  const value = decodePlain<T>(type, bytes);
  if (checkCodec) {
    const expected = type.toObject(type.decode(bytes), toObjectOptions);
    if (!isDeepStrictEqual(plainCopy(value), plainCopy(expected))) codecMismatch('decode', type, expected, value);
  }
  return value;
}

/** `own`: the bytes get a buffer of their own (they are kept); see WireWriter.finish. */
export function encodeMessage(type: Type, value: object, own = false): Uint8Array {
  const bytes = encodePlain(type, value, own);
  if (checkCodec) {
    const expected = type.encode(type.fromObject(value)).finish();
    if (Buffer.compare(Buffer.from(bytes), Buffer.from(expected)) !== 0) codecMismatch('encode', type, expected, bytes);
  }
  return bytes;
}

/** Buffers and Uint8Arrays compare by content; prototypes are ignored. */
function plainCopy(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = plainCopy((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function codecMismatch(what: string, type: Type, expected: unknown, actual: unknown): never {
  const show = (v: unknown) => JSON.stringify(plainCopy(v)).slice(0, 2000);
  const error = new Error(`codec ${what} of ${type.fullName} differs from protobufjs:\n expected ${show(expected)}\n actual   ${show(actual)}`);
  console.error(error.message); // grpc-js reports a failed serializer without its error
  throw error;
}

/** Wraps a message into google.protobuf.Any. */
export function packAny(typeName: string, value: object): { type_url: string; value: Uint8Array } {
  return { type_url: `type.googleapis.com/${typeName}`, value: encodeMessage(lookupType(typeName), value) };
}

// History events are immutable once written. The PostgreSQL store encodes each event it writes
// (and keeps the bytes of those it reads back): those bytes are remembered per event object and
// spliced into the messages that carry a History (poll responses, history pages).
const encodedEvents = new WeakMap<object, Uint8Array>();

export function encodeHistoryEvent(event: object): Uint8Array {
  let bytes = encodedEvents.get(event);
  if (!bytes) {
    bytes = encodeMessage(lookupType('temporal.api.history.v1.HistoryEvent'), event, true);
    encodedEvents.set(event, bytes);
  }
  return bytes;
}

/** Records the bytes an event object was decoded from (the store's copy). */
export function rememberEncodedEvent(event: object, bytes: Uint8Array): void {
  encodedEvents.set(event, ownCopy(bytes));
}

/**
 * Small Node buffers are slices of shared 8 KB slabs (protobufjs and pg allocate through
 * Buffer.allocUnsafe): keeping a 200-byte slice alive keeps its whole slab. Cached bytes live
 * as long as their run is open, so they get an exactly-sized buffer of their own (measured:
 * bench:cycle, 10,000 open runs: external memory ~500 MB through slabs, ~100 MB with copies).
 */
function ownCopy(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/** The field number of `type`'s temporal.api.history.v1.History field named history, if any. */
export function historyFieldId(type: Type): number | undefined {
  const field = type.fields.history;
  if (!field) return undefined;
  field.resolve();
  return field.resolvedType?.fullName === '.temporal.api.history.v1.History' ? field.id : undefined;
}

/**
 * encodeMessage for a message with a History field: the rest through protobufjs, the events from
 * the per-event cache. Protobuf parsers accept fields in any order, so the history goes last.
 */
export function encodeWithHistory(type: Type, fieldId: number, value: { history?: { events?: object[] } | null }): Uint8Array {
  const events = value.history?.events;
  if (!events || value.history && Object.keys(value.history).length !== 1) return encodeMessage(type, value);
  const rest = { ...value, history: undefined };
  // With the check on, every event goes through encodeHistoryEvent (compared with protobufjs).
  if (checkCodec) events.forEach(encodeHistoryEvent);
  const eventType = lookupType('temporal.api.history.v1.HistoryEvent');
  return withWriter((w) => {
    encodeFields(type, rest, w);
    w.uint32((fieldId << 3) | 2).fork();
    for (const event of events) {
      // An event already encoded (the PostgreSQL store encodes each one it writes) is copied as
      // is; any other is encoded in place, without bytes of its own: most events are sent once
      // (to a sticky worker), and encoding one again when it is read again costs less than
      // keeping a buffer per event.
      const cached = encodedEvents.get(event);
      w.uint32((1 << 3) | 2);
      if (cached) {
        w.bytes(cached);
      } else {
        w.fork();
        encodeFields(eventType, event, w);
        w.ldelim();
      }
    }
    w.ldelim();
  });
}
