// JSON that keeps binary fields (payload data and metadata) intact: Uint8Array values are
// written as {"$b": base64}. Used for run snapshots and visibility blobs.
export function toJson(value: unknown): string {
  // A replacer sees Buffers after their toJSON ran, so look at the holder's original value.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    if (original instanceof Uint8Array) {
      return { $b: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') };
    }
    return v;
  });
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && '$b' in v && typeof (v as { $b: unknown }).$b === 'string') {
      return Buffer.from((v as { $b: string }).$b, 'base64');
    }
    return v;
  }) as T;
}
