// A cohort of first-secretary postings (ID posting-cohort/<cohortId>), started with the cohort.
// It owns the cohort-level PDFs: the 月度考勤表 of each street once a month has closed (a day
// after the month's end, when every posting has counted it), and the 年终考核排名 whenever
// postings are ranked (the ranking activity signals it). It ends when no posting of the cohort
// still runs or waits to start and every started posting has a rank.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  cohortRankingFiledSignal,
  cohortStatusQuery,
  type PostingActivityContract,
  type PostingCohortInput,
  type PostingCohortStatus,
} from '../domain/posting/contracts.ts';
import { renderPostingReport } from './posting-reports.ts';
import { addDays, addMonths, shanghaiDate, startOfShanghaiDay } from '../domain/time.ts';

const acts = proxyActivities<PostingActivityContract>({ startToCloseTimeout: '2 minutes' });

/** Sheets of a month are made this long after it ends, so each posting has closed it first. */
const SHEET_DELAY_DAYS = 1;

export async function postingCohortWorkflow(input: PostingCohortInput): Promise<PostingCohortStatus> {
  const status: PostingCohortStatus = { cohortId: input.cohortId, nextMonth: input.firstMonth, ranked: 0, reports: [] };
  let signalled = 0;
  let rendered = 0;
  let unranked = 1;
  setHandler(cohortStatusQuery, () => status);
  setHandler(cohortRankingFiledSignal, ({ ranked }) => {
    signalled = Math.max(signalled, ranked);
  });

  const context = { cohortId: input.cohortId, postingId: null };
  for (;;) {
    if (status.nextMonth !== null) {
      const sheetsAt = startOfShanghaiDay(addDays(addMonths(`${status.nextMonth}-01`, 1), SHEET_DELAY_DAYS));
      const wait = sheetsAt - Date.now();
      if (wait > 0 && (await condition(() => signalled > rendered, wait))) {
        // A ranking arrived before the month's sheets are due: file it now.
      } else {
        const month = await acts.prepareCohortMonth({ cohortId: input.cohortId, month: status.nextMonth, issuedOn: shanghaiDate(Date.now()) });
        for (const sheet of month.sheets) status.reports.push(await renderPostingReport(sheet, context));
        unranked = month.unranked;
        status.nextMonth = month.running ? addMonths(`${status.nextMonth}-01`, 1).slice(0, 7) : null;
      }
    } else if (unranked > 0 || signalled > rendered) {
      await condition(() => signalled > rendered);
    }
    if (signalled > rendered) {
      rendered = signalled;
      const ranking = await acts.prepareRankingReport({ cohortId: input.cohortId, issuedOn: shanghaiDate(Date.now()) });
      if (ranking.report) status.reports.push(await renderPostingReport(ranking.report, context));
      status.ranked = rendered;
      unranked = ranking.unranked;
    }
    if (status.nextMonth === null && unranked === 0 && signalled === rendered) return status;
  }
}
