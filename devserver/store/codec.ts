// JSON that keeps binary fields (payload data and metadata) intact: Uint8Array values are
// written as {"$b": base64}. Used for run snapshots and visibility blobs.
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
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
