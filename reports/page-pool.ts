// A bounded pool of reusable resources (here: browser pages). At most `size` exist at once;
// callers beyond that wait in FIFO order, which is what keeps a burst of reports from opening
// a page each and exhausting memory.

export interface PoolHooks<T> {
  create(): Promise<T>;
  /** False when the resource died while idle (browser crashed, page closed). */
  isUsable(resource: T): boolean;
  destroy(resource: T): Promise<void>;
}

export interface Pool<T> {
  /** Runs `work` with a resource; a resource whose work threw is destroyed, not reused. */
  use<R>(work: (resource: T) => Promise<R>): Promise<R>;
  /** Destroys idle resources; the pool stays usable and creates new ones on demand. */
  drain(): Promise<void>;
  readonly size: number;
}

export function createPool<T>(size: number, hooks: PoolHooks<T>): Pool<T> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`);
  const idle: T[] = [];
  const waiters: Array<() => void> = [];
  let leased = 0;

  async function acquire(): Promise<T> {
    while (leased >= size) await new Promise<void>((resolve) => waiters.push(resolve));
    leased += 1;
    try {
      while (idle.length > 0) {
        const resource = idle.pop() as T;
        if (hooks.isUsable(resource)) return resource;
        await hooks.destroy(resource).catch(() => undefined);
      }
      return await hooks.create();
    } catch (error) {
      release();
      throw error;
    }
  }

  function release(): void {
    leased -= 1;
    waiters.shift()?.();
  }

  return {
    size,
    async use(work) {
      const resource = await acquire();
      let healthy = false;
      try {
        const result = await work(resource);
        healthy = true;
        return result;
      } finally {
        if (healthy && hooks.isUsable(resource)) idle.push(resource);
        else await hooks.destroy(resource).catch(() => undefined);
        release();
      }
    },
    async drain() {
      const all = idle.splice(0);
      await Promise.all(all.map((resource) => hooks.destroy(resource).catch(() => undefined)));
    },
  };
}
