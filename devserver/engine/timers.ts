// Timers: the StartTimer/CancelTimer commands and what happens when a clock timer armed by
// afterMutation fires (user timers, workflow task and activity timeouts, run timeouts).
import { durationMs } from '../workflow/time.ts';
import type { Obj, Run } from './model.ts';
import { EngineActivities } from './activities.ts';

export abstract class EngineTimers extends EngineActivities {
  // Provided by later layers.
  protected abstract retryWorkflowTask(run: Run): void;

  protected fireTimer(run: Run, key: string): void {
    const s = run.s;
    const now = this.now();
    if (key === 'wft-backoff') {
      if (s.wft) s.wft.notBefore = undefined;
      return;
    }
    if (key === 'wft-sticky') {
      // Nobody took the task from the sticky queue in time: offer it on the normal queue.
      if (s.wft && s.wft.startedEventId === undefined) {
        s.wft.sticky = false;
        run.wftEnqueued = false;
        this.counters.stickyFallbacks++;
      }
      return;
    }
    if (key === 'wft-timeout') {
      const wft = s.wft;
      if (!wft || wft.startedEventId === undefined) return;
      this.counters.workflowTaskTimeouts++;
      this.materializeSpeculative(run);
      this.write(run, 'workflowTaskTimedOut', {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE',
      });
      this.retryWorkflowTask(run);
      return;
    }
    if (key.startsWith('timer:')) {
      const timerId = key.slice('timer:'.length);
      const timer = s.timers[timerId];
      if (!timer) return;
      delete s.timers[timerId];
      this.record(run, 'timerFired', { timerId, startedEventId: timer.startedEventId });
      this.scheduleWorkflowTask(run);
      return;
    }
    if (key.startsWith('act:')) {
      const [, sid, kind] = key.split(':');
      const act = s.activities[sid!];
      if (!act) return;
      if (kind === 'retry') return; // afterMutation now enqueues the new attempt
      if (kind === 's2s') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_SCHEDULE_TO_START', false);
      if (kind === 's2c') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE', false);
      if (kind === 'start') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_START_TO_CLOSE', true);
      if (kind === 'hb') return this.activityTimedOut(run, act, 'TIMEOUT_TYPE_HEARTBEAT', true);
      return;
    }
    if (key === 'run-timeout' || key === 'exec-timeout') {
      if (now < (key === 'run-timeout' ? s.executionTime + s.runTimeoutMs : s.executionExpiration)) return;
      this.closeRun(run, 'TimedOut', 'workflowExecutionTimedOut', { retryState: 'RETRY_STATE_TIMEOUT' });
    }
  }

  /** StartTimer command: the timer fires through the clock (see afterMutation and fireTimer). */
  protected startTimer(run: Run, a: Obj, completedId: number): void {
    const ev = this.write(run, 'timerStarted', {
      timerId: a.timerId,
      startToFireTimeout: a.startToFireTimeout,
      workflowTaskCompletedEventId: completedId,
    });
    run.s.timers[a.timerId] = { startedEventId: ev.eventId, fireTime: this.now() + durationMs(a.startToFireTimeout) };
  }

  protected cancelTimer(run: Run, a: Obj, completedId: number, identity: string | undefined): void {
    const timer = run.s.timers[a.timerId];
    if (!timer) return;
    delete run.s.timers[a.timerId];
    this.write(run, 'timerCanceled', {
      timerId: a.timerId,
      startedEventId: timer.startedEventId,
      workflowTaskCompletedEventId: completedId,
      identity,
    });
  }
}
