// Ordered, bounded shutdown: parts stop in the reverse order they started (API first, the
// embedded database last), and the whole stop is cut off after a deadline.
import type { Logger } from 'pino';

interface Part {
  name: string;
  stop: () => Promise<void>;
}

export class Lifecycle {
  readonly #parts: Part[] = [];
  readonly #logger: Logger;
  #stopping: Promise<boolean> | undefined;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers something that has started and must be stopped. */
  add(name: string, stop: () => Promise<void>): void {
    this.#parts.push({ name, stop });
  }

  /** Stops every part once; resolves true when all stopped within the deadline. */
  stop(timeoutMs: number): Promise<boolean> {
    this.#stopping ??= this.#stopAll(timeoutMs);
    return this.#stopping;
  }

  async #stopAll(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let clean = true;
    for (const part of [...this.#parts].reverse()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#logger.error({ part: part.name }, 'shutdown deadline passed; not waiting for the rest');
        return false;
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        const finished = await Promise.race([
          part.stop().then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), left);
          }),
        ]);
        if (!finished) {
          this.#logger.error({ part: part.name }, 'did not stop before the shutdown deadline');
          return false;
        }
        this.#logger.info({ part: part.name }, 'stopped');
      } catch (error) {
        clean = false;
        this.#logger.error({ part: part.name, err: error }, 'failed to stop cleanly');
      } finally {
        clearTimeout(timer);
      }
    }
    return clean;
  }
}

/** Stops everything on SIGINT/SIGTERM, then exits; a second signal exits at once. */
export function stopOnSignals(lifecycle: Lifecycle, logger: Logger, timeoutMs: number): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    received = true;
    logger.info({ signal }, 'shutting down');
    void lifecycle.stop(timeoutMs).then((clean) => {
      logger.flush?.();
      process.exit(clean ? 0 : 1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
