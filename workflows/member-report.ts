// 双报到: one workflow per confirmed member registration (ID member-report/<registrationId>).
// At the end of each month (00:00 Asia/Shanghai on the 1st) it checks the month's service
// records; a month without one is flagged to the member's unit by the activity. Each year is
// one run, continued as new in January, so the history stays small however long the member serves.
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { MemberReportActivities } from '../activities/member-report.ts';
import type { MemberReportInput } from '../domain/member-report/contracts.ts';
import { monthEndsAt, monthKey } from '../domain/member-report/rules.ts';

const acts = proxyActivities<MemberReportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '10 minutes' },
});

export async function memberReport(input: MemberReportInput): Promise<void> {
  for (let month = input.fromMonth; month <= 12; month++) {
    const wait = monthEndsAt(input.year, month) - Date.now();
    if (wait > 0) await sleep(wait);
    const check = await acts.checkMemberMonth({ registrationId: input.registrationId, month: monthKey(input.year, month) });
    if (!check.active) return;
  }
  await continueAsNew<typeof memberReport>({ registrationId: input.registrationId, year: input.year + 1, fromMonth: 1 });
}
