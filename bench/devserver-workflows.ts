// The benchmark's workflow: one activity, one timer (bundled by bench/devserver.ts).
import { proxyActivities, sleep } from '@temporalio/workflow';

const { touch } = proxyActivities<{ touch(n: number): Promise<number> }>({ startToCloseTimeout: '30s' });

export async function activityThenTimer(n: number): Promise<number> {
  const value = await touch(n);
  await sleep(1000);
  return value;
}
