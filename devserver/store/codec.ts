// JSON that keeps binary fields (payload data and metadata) intact: Uint8Array values are
// written as {"$b": base64}. Used for run snapshots and visibility blobs.
//
// The PostgreSQL store serializes a run's snapshot and visibility row on every commit (about
// nine per workflow). A JSON.stringify replacer is called for every key of the state, which
// made serializing several times slower than plain JSON.stringify; instead, the few branches
// that hold bytes are copied with the bytes replaced, and the rest is stringified natively.
// The text is the same as the replacer gave (same keys, same order).
export function toJson(value: unknown): string {
  return JSON.stringify(withoutBytes(value));
}

/** `value` with every Uint8Array replaced by {$b: base64}; unchanged branches are shared, not copied. */
function withoutBytes(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) {
    return { $b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as unknown;
      const replaced = withoutBytes(item);
      if (replaced !== item) (out ??= value.slice())[i] = replaced;
    }
    return out ?? value;
  }
  // Anything with its own toJSON (a Date) is left to JSON.stringify, as before.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const replaced = withoutBytes(item);
    if (replaced !== item) (out ??= { ...record })[key] = replaced;
  }
  return out ?? value;
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && '$b' in v && typeof (v as { $b: unknown }).$b === 'string') {
      return Buffer.from((v as { $b: string }).$b, 'base64');
    }
    return v;
  }) as T;
}
