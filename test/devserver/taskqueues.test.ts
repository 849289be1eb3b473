// The devserver's task queues: backlog served by priority key (lower first, unset = 3), first in
// first out within a key; backlog stats count every level and age from the oldest task.
import { describe, expect, it } from '@jest/globals';
import { TaskQueues, type TaskRef } from '../../devserver/taskqueues.ts';

const task = (id: string, priorityKey?: number): TaskRef => ({ kind: 'workflow', namespace: 'default', workflowId: id, runId: id, id, priorityKey });
const key = TaskQueues.key('default', 'workflow', 'q');

async function drain(queues: TaskQueues): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const t = await queues.poll(key, new AbortController().signal, Date.now());
    if (!t) return out;
    out.push(t.id!);
  }
}

describe('task queue priorities', () => {
  it('hands out the lowest key first and keeps arrival order within a key', async () => {
    const queues = new TaskQueues();
    queues.offer(key, task('bg-1', 5));
    queues.offer(key, task('default-1'));
    queues.offer(key, task('urgent-1', 1));
    queues.offer(key, task('bg-2', 5));
    queues.offer(key, task('default-2', 3));
    queues.offer(key, task('urgent-2', 1));
    expect(await drain(queues)).toEqual(['urgent-1', 'urgent-2', 'default-1', 'default-2', 'bg-1', 'bg-2']);
  });

  it('counts the backlog over every key and ages it from the oldest task, whatever its key', async () => {
    const queues = new TaskQueues();
    queues.offer(key, task('bg', 5));
    await new Promise((r) => setTimeout(r, 30));
    queues.offer(key, task('urgent', 1));
    const stats = queues.stats(key);
    expect(stats.backlog).toBe(2);
    expect(stats.oldestAgeMs).toBeGreaterThanOrEqual(25);
    await queues.poll(key, new AbortController().signal, Date.now());
    // The urgent one went first; the background one, still the oldest, keeps the age.
    expect(queues.stats(key).backlog).toBe(1);
    expect(queues.stats(key).oldestAgeMs).toBeGreaterThanOrEqual(25);
  });

  it('gives a task to a waiting poller at once, whatever its key', async () => {
    const queues = new TaskQueues();
    const polled = queues.poll(key, new AbortController().signal, Date.now() + 2000);
    queues.offer(key, task('bg', 5));
    expect((await polled)?.id).toBe('bg');
    expect(queues.stats(key).backlog).toBe(0);
  });
});
