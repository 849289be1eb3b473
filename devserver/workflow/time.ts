// Conversions between epoch milliseconds and google.protobuf Timestamp / Duration objects.
export interface ProtoTime {
  seconds?: number;
  nanos?: number;
}

export function toTimestamp(ms: number): ProtoTime {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function fromTimestamp(t: ProtoTime | null | undefined): number {
  if (!t) return 0;
  return (t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

export const toDuration = toTimestamp;
export const durationMs = fromTimestamp;
