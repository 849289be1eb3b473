// Cron schedules of workflows (Temporal's cronSchedule): the delay until the next firing.

/**
 * Delay until the next firing of a standard 5-field cron expression (minute hour day month
 * weekday, UTC, with *, lists, ranges and steps), or undefined when it cannot be parsed.
 */
export function nextCronDelay(expression: string, now: number): number | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = ranges[i]!;
    const set = new Set<number>();
    for (const part of fields[i]!.split(',')) {
      const [rangePart, stepPart] = part.split('/');
      const step = stepPart ? Number(stepPart) : 1;
      let from = lo;
      let to = hi;
      if (rangePart !== '*') {
        const [a, b] = rangePart!.split('-');
        from = Number(a);
        to = b !== undefined ? Number(b) : stepPart ? hi : from;
      }
      if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step) || step <= 0) return undefined;
      for (let v = from; v <= to; v += step) set.add(i === 4 && v === 7 ? 0 : v);
    }
    sets.push(set);
  }
  const t = new Date(Math.floor(now / 60_000) * 60_000 + 60_000);
  for (let i = 0; i < 366 * 24 * 60; i++) {
    if (
      sets[0]!.has(t.getUTCMinutes()) &&
      sets[1]!.has(t.getUTCHours()) &&
      sets[2]!.has(t.getUTCDate()) &&
      sets[3]!.has(t.getUTCMonth() + 1) &&
      sets[4]!.has(t.getUTCDay())
    ) {
      return t.getTime() - now;
    }
    t.setTime(t.getTime() + 60_000);
  }
  return undefined;
}

