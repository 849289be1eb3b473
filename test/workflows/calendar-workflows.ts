// A workflow that only asks domain/time.ts for Shanghai dates, so the test beside it can compare
// what the calendar answers inside the workflow sandbox with what it answers outside.
import { shanghaiDate, shanghaiDateTime, startOfShanghaiDay } from '../../domain/time.ts';

export async function calendarProbe(instants: number[], dates: string[]): Promise<{ dates: string[]; times: string[]; starts: number[] }> {
  return { dates: instants.map(shanghaiDate), times: instants.map(shanghaiDateTime), starts: dates.map(startOfShanghaiDay) };
}
