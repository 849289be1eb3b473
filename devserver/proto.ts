// The protobufjs Root shipped by @temporalio/proto (all Temporal API messages and services), and
// the two conversions the server needs: wire bytes <-> plain objects.
// Plain objects follow `toObject({ longs: Number, enums: String })`: int64 as number, enums as
// their full names ('EVENT_TYPE_TIMER_FIRED'), bytes as Uint8Array, timestamps {seconds, nanos}.
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';

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

export function decodeMessage<T = Record<string, unknown>>(type: Type, bytes: Uint8Array): T {
  return type.toObject(type.decode(bytes), toObjectOptions) as T;
}

export function encodeMessage(type: Type, value: object): Uint8Array {
  return type.encode(type.fromObject(value)).finish();
}

/** Wraps a message into google.protobuf.Any. */
export function packAny(typeName: string, value: object): { type_url: string; value: Uint8Array } {
  return { type_url: `type.googleapis.com/${typeName}`, value: encodeMessage(lookupType(typeName), value) };
}

// History events are immutable once written, and the same event object is encoded more than
// once: into the PostgreSQL store, into the poll response that carries it, into history pages
// (full-history fetches after a sticky cache miss, the client's result long poll). Each event
// object is encoded once; messages that carry a History get it spliced in as bytes.
const encodedEvents = new WeakMap<object, Uint8Array>();

export function encodeHistoryEvent(event: object): Uint8Array {
  let bytes = encodedEvents.get(event);
  if (!bytes) {
    bytes = ownCopy(encodeMessage(lookupType('temporal.api.history.v1.HistoryEvent'), event));
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
  const rest = encodeMessage(type, { ...value, history: undefined });
  const writer = protobuf.Writer.create();
  writer.uint32((fieldId << 3) | 2).fork();
  for (const event of events) writer.uint32((1 << 3) | 2).bytes(encodeHistoryEvent(event));
  writer.ldelim();
  const history = writer.finish();
  const out = new Uint8Array(rest.length + history.length);
  out.set(rest, 0);
  out.set(history, rest.length);
  return out;
}
