// Activities for the devserver conformance workflows.
import { CancelledFailure, Context, ApplicationFailure } from '@temporalio/activity';

export async function greet(name: string): Promise<string> {
  return `hello ${name}`;
}

export async function flaky(succeedOnAttempt: number): Promise<number> {
  const { attempt } = Context.current().info;
  if (attempt < succeedOnAttempt) throw new Error(`attempt ${attempt} fails`);
  return attempt;
}

export async function failHard(): Promise<string> {
  throw ApplicationFailure.nonRetryable('no point retrying', 'Fatal');
}

export async function heartbeatUntilCancelled(): Promise<string> {
  const ctx = Context.current();
  for (let i = 0; ; i++) {
    ctx.heartbeat(i);
    try {
      await ctx.sleep(100);
    } catch (error) {
      if (error instanceof CancelledFailure) throw error;
      throw error;
    }
  }
}

export async function stopsHeartbeating(): Promise<string> {
  const ctx = Context.current();
  ctx.heartbeat('once');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  return 'late';
}

/** Counts executions per name so the crash test can tell whether anything ran twice. */
export const executions = new Map<string, number>();

export async function slowGreet(name: string): Promise<string> {
  executions.set(name, (executions.get(name) ?? 0) + 1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return `hello ${name}`;
}

/** The priority key the activity task came with (its own, or inherited from its workflow). */
export async function priorityKey(): Promise<number | undefined> {
  return Context.current().info.priority?.priorityKey;
}
