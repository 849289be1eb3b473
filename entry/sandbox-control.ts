// The sandbox's calendar, in the process that runs the embedded Temporal-compatible server in
// time-skipping mode. The server's clock starts locked (as the Java test server without
// --enable-time-skipping), so the calendar never jumps by itself: it runs at wall speed, and
// moves only through moveTo, which is the TestService's UnlockTimeSkippingWithSleep done
// in-process: unlock until the target, letting the clock jump from timer to timer while no
// workflow or activity task is pending, then lock again.
// The service's clock reads the server's clock directly, so an activity run in the middle of a
// move (a reminder, a gate, a PDF) stamps its records with the simulated time it ran at.
import { clockFrom, type Clock } from '../domain/clock.ts';
import { SkippingClock } from '../devserver/clock.ts';
import type { DevServer } from '../devserver/index.ts';
import type { SandboxControl } from '../api/app-services.ts';

/** How long a move waits for the work it started to finish before answering. */
const SETTLE_LIMIT_MS = 120_000;
/** The engine must be idle this long to count as settled (a task may follow another's end). */
const SETTLE_QUIET_MS = 300;

/** A clock that reads `source` once the devserver is up (before that, the system clock). */
export function lateBoundClock(): { clock: Clock; bind: (source: () => number) => void } {
  let source = () => Date.now();
  return { clock: clockFrom(() => source()), bind: (next) => (source = next) };
}

export function sandboxControl(server: DevServer, namespace: string, clock: Clock): SandboxControl {
  const devClock = server.clock;
  if (!(devClock instanceof SkippingClock)) throw new Error('the sandbox needs the devserver started with time skipping');
  // At rest the only lock is the sandbox's own (the clock was created locked); more are the
  // engine's: workflow or activity tasks queued or running, or timer callbacks in progress.
  const engineBusy = () => devClock.lockCount > 1;

  async function settle(): Promise<boolean> {
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    let quietSince = engineBusy() ? 0 : Date.now();
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (engineBusy()) quietSince = 0;
      else if (quietSince === 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= SETTLE_QUIET_MS) return true;
    }
    return false;
  }

  return {
    clock,
    async moveTo(at) {
      // Work still running from before (a PDF being printed) finishes at its own time first.
      await settle();
      await devClock.unlockClientWhileSleeping(at);
      return { settled: await settle() };
    },
    async upcomingTimers() {
      // An action just taken (an approval) may still be on its way to the timer it sets.
      await settle();
      return server.pendingTimers(namespace);
    },
  };
}
