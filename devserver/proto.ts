// The protobufjs Root shipped by @temporalio/proto (all Temporal API messages and services), and
// the two conversions the server needs: wire bytes <-> plain objects.
// Plain objects follow `toObject({ longs: Number, enums: String })`: int64 as number, enums as
// their full names ('EVENT_TYPE_TIMER_FIRED'), bytes as Uint8Array, timestamps {seconds, nanos}.
import { createRequire } from 'node:module';
import type { Root, Type } from 'protobufjs';

const require = createRequire(import.meta.url);
// Loaded with require because the package ships no type declarations for this file.
export const root = require('@temporalio/proto/protos/json-module.js') as Root;

const typeCache = new Map<string, Type>();

export function lookupType(name: string): Type {
  let type = typeCache.get(name);
  if (!type) {
    type = root.lookupType(name);
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
