// History writing and reading: events appended now or buffered while a workflow task runs, the
// speculative task's unwritten Scheduled/Started events, and GetWorkflowExecutionHistory with
// paging and long polls (only committed events are visible).
import { InvalidArgumentError, WorkflowNotFoundError } from '../errors.ts';
import type { HistoryEventObject } from '../store/types.ts';
import { toTimestamp } from '../workflow/time.ts';
import { type Obj, HISTORY_PAGE_SIZE, MAX_POLL_WAIT_MS, eventTypeName, attrsOf, type Run } from './model.ts';
import { EngineRuns } from './runs.ts';

export abstract class EngineHistory extends EngineRuns {
  /** Appends an event to history now (not buffered). */
  protected write(run: Run, type: string, attrs: Obj): HistoryEventObject {
    const event = this.makeEvent(run.s.nextEventId++, type, attrs);
    run.events.push(event);
    run.uncommitted.push(event);
    this.dirty.add(run);
    return event;
  }

  protected makeEvent(eventId: number, type: string, attrs: Obj): HistoryEventObject {
    return {
      eventId,
      eventTime: toTimestamp(this.now()),
      eventType: eventTypeName(type),
      taskId: ++this.taskSeq,
      [type + 'EventAttributes']: attrs,
    };
  }

  /**
   * A speculative workflow task becomes a normal one (an event came in, it failed or timed out,
   * or its completion changed the workflow): its Scheduled/Started events, if it was started,
   * are written to history now, as Temporal's convertSpeculativeWorkflowTaskToNormal does.
   */
  protected materializeSpeculative(run: Run): void {
    const wft = run.s.wft;
    if (!wft?.speculative) return;
    wft.speculative = false;
    const events = run.speculativeEvents;
    run.speculativeEvents = undefined;
    for (const event of events ?? []) {
      event.eventId = run.s.nextEventId++;
      run.events.push(event);
      run.uncommitted.push(event);
    }
    this.dirty.add(run);
  }

  /** Appends an event, or buffers it while a workflow task is running (written after it). */
  protected record(run: Run, type: string, attrs: Obj): void {
    this.materializeSpeculative(run);
    if (this.wftInFlight(run)) {
      run.s.buffered.push({
        eventId: 0,
        eventTime: toTimestamp(this.now()),
        eventType: eventTypeName(type),
        taskId: ++this.taskSeq,
        [type + 'EventAttributes']: attrs,
      });
      this.dirty.add(run);
    } else {
      this.write(run, type, attrs);
    }
  }

  protected flushBuffered(run: Run): boolean {
    const buffered = run.s.buffered;
    if (buffered.length === 0) return false;
    run.s.buffered = [];
    const childStarted = new Map<number, number>();
    for (const event of buffered) {
      event.eventId = run.s.nextEventId++;
      const attrs = attrsOf(event);
      // -1 marks "the event written just before" (ActivityTaskStarted before its outcome).
      if (attrs.startedEventId === -1) attrs.startedEventId = event.eventId - 1;
      if (event.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED') {
        childStarted.set(attrs.initiatedEventId, event.eventId);
        const child = run.s.children[String(attrs.initiatedEventId)];
        if (child) child.startedEventId = event.eventId;
      } else if (attrs.startedEventId === -2) {
        attrs.startedEventId = childStarted.get(attrs.initiatedEventId) ?? 0;
      }
      run.events.push(event);
      run.uncommitted.push(event);
    }
    this.dirty.add(run);
    return true;
  }

  /** `spec`: the started event id of a speculative task whose unwritten events end the last page. */
  protected pageToken(runId: string, next: number, spec?: number): Uint8Array {
    return Buffer.from(JSON.stringify(spec ? { r: runId, n: next, s: spec } : { r: runId, n: next }));
  }

  async getHistory(req: Obj, signal: AbortSignal, deadline: number): Promise<Obj> {
    let token: { r: string; n: number; s?: number } | undefined;
    if (req.nextPageToken && req.nextPageToken.length) {
      try {
        token = JSON.parse(Buffer.from(req.nextPageToken).toString());
      } catch {
        throw new InvalidArgumentError('invalid next page token');
      }
    }
    const execution = token ? { workflowId: req.execution?.workflowId, runId: token.r } : req.execution;
    const { state } = await this.resolveRun(req.namespace, execution);
    const runId = state.runId;
    const closeOnly = req.historyEventFilterType === 'HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT';
    const pageSize = Math.min(req.maximumPageSize || HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE);
    let next = token?.n ?? 1;
    const until = Math.min(deadline - 1000, Date.now() + MAX_POLL_WAIT_MS);
    const key = { namespace: state.namespace, workflowId: state.workflowId, runId };
    // A run that closed while we waited has left RAM once its close committed; the wake-up hands
    // it over, so the answer needs no store read (the result long poll of every workflow).
    let woken: Run | undefined;
    for (;;) {
      const run = this.runs.get(runId) ?? woken;
      const s = run?.s ?? (await this.loadRunState(key));
      if (!s) throw new WorkflowNotFoundError(key.workflowId, runId);
      const closed = s.status !== 'Running';
      // Only committed events are visible to readers.
      const committedNext = run ? run.events.length - run.uncommitted.length + 1 : s.nextEventId;
      if (closeOnly) {
        if (closed && s.closeEventId && s.closeEventId < committedNext) {
          const [closeEvent] = run
            ? [run.events[s.closeEventId - 1]!]
            : await this.store.readHistory(key, s.closeEventId, 1);
          return { history: { events: closeEvent ? [closeEvent] : [] } };
        }
      } else if (next < committedNext) {
        const events = run
          ? run.events.slice(next - 1, Math.min(next - 1 + pageSize, committedNext - 1))
          : await this.store.readHistory(key, next, pageSize);
        let last = events.length ? events[events.length - 1]!.eventId : next - 1;
        let more = last + 1 < committedNext || (!closed && req.waitNewEvent);
        if (token?.s) {
          // The worker pages the history of a speculative task: its unwritten events end the last page.
          const spec = run?.speculativeEvents && run.s.wft?.startedEventId === token.s ? run.speculativeEvents : undefined;
          more = last + 1 < committedNext;
          if (spec && !more) {
            events.push(...spec);
            last = token.s;
          }
        }
        return { history: { events }, nextPageToken: more ? this.pageToken(runId, last + 1, token?.s) : undefined };
      } else if (closed || !req.waitNewEvent) {
        return { history: { events: [] } };
      }
      if (!req.waitNewEvent || Date.now() >= until || signal.aborted) {
        // An empty long-poll answer must carry a token, or the client spins.
        return { history: { events: [] }, nextPageToken: this.pageToken(runId, next) };
      }
      woken = await new Promise<Run | undefined>((resolve) => {
        let set = this.historyWaiters.get(runId);
        if (!set) {
          set = new Set();
          this.historyWaiters.set(runId, set);
        }
        const done = (wokenBy?: Run) => {
          clearTimeout(timer);
          set!.delete(done);
          signal.removeEventListener('abort', onAbort);
          resolve(wokenBy);
        };
        const onAbort = () => done();
        const timer = setTimeout(() => done(), Math.max(0, until - Date.now()));
        signal.addEventListener('abort', onAbort);
        set.add(done);
      });
      next = token?.n ?? next;
    }
  }
}
