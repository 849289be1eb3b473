// Report rendering runs on its own task queue next to the cycles' queue, so a burst of
// year-end PDFs waits there with bounded concurrency instead of crowding out other work.
// The name is derived from the workflow's own queue, so TEMPORAL_TASK_QUEUE stays the only knob.
export function reportsTaskQueueFor(taskQueue: string): string {
  return `${taskQueue}-reports`;
}
