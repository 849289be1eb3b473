// TestService (time skipping) with the Java test server's semantics. Only meaningful with a
// SkippingClock; on a real clock the calls answer as the Java server does with skipping off.
import type { SkippingClock } from './clock.ts';
import type { Handlers } from './grpc.ts';
import { durationMs, fromTimestamp, toTimestamp } from './workflow/time.ts';

export function testServiceHandlers(clock: SkippingClock): Handlers {
  const waitUntil = (at: number) =>
    new Promise<void>((resolve) => {
      clock.schedule(at, () => resolve());
    });
  return {
    lockTimeSkipping: () => {
      clock.lockClient();
      return {};
    },
    unlockTimeSkipping: () => {
      clock.unlockClient();
      return {};
    },
    // Sleep and SleepUntil move the clock forward themselves, even while skipping is locked.
    sleep: async (req) => {
      const at = clock.now() + durationMs(req.duration);
      const done = waitUntil(at);
      clock.advanceTo(at);
      await done;
      return {};
    },
    sleepUntil: async (req) => {
      const at = fromTimestamp(req.timestamp);
      const done = waitUntil(at);
      clock.advanceTo(at);
      await done;
      return {};
    },
    unlockTimeSkippingWithSleep: async (req) => {
      await clock.unlockClientWhileSleeping(clock.now() + durationMs(req.duration));
      return {};
    },
    getCurrentTime: () => ({ time: toTimestamp(clock.now()) }),
  };
}
