// The posting reports' data built from records meets the report contracts, and the monthly
// attendance sheet prints as a PDF with the secretaries' names (report renderer, Chromium).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import pino from 'pino';
import { initOrm } from '../../../db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createReportRenderer, REPORT_TYPES, type ReportRenderer } from '../../../reports/index.ts';
import { compileChecker } from '../../../reports/validate.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingCheckIn, PostingHeadVisit, PostingMonth, PostingQuarterReview, PostingYearEnd } from '../../../domain/entities/posting-records.ts';
import { attendanceSheetData, quarterlyReviewData, yearEndRankingData } from '../../../reports/data/posting.ts';
import { seedPostingWorld, type PostingWorld } from '../../support/fixtures.ts';

let db: TestDatabase;
let orm: MikroORM;
let world: PostingWorld;
let renderer: ReportRenderer;

beforeAll(async () => {
  db = await createTestDatabase('posting_reports');
  orm = await initOrm({ url: db.url });
  const em = orm.em.fork() as EntityManager;
  world = await seedPostingWorld(em, { postings: 2, startsOn: '2025-01-01' });
  const [a, b] = world.postingIds as [string, string];
  await em.nativeUpdate(Posting, { id: { $in: [a, b] } }, { endsOn: '2025-12-31', phase: 'completed' });
  for (const date of ['2025-01-02', '2025-01-03', '2025-01-06']) em.create(PostingCheckIn, { posting: a, date, note: '在社区', status: 'confirmed' } as never);
  em.create(PostingCheckIn, { posting: a, date: '2025-01-07', note: '争议', status: 'disputed' } as never);
  em.create(PostingMonth, { posting: a, month: '2025-01', fromDate: '2025-01-01', toDate: '2025-01-31', requiredDays: 19, confirmedDays: 3 } as never);
  em.create(PostingHeadVisit, { posting: a, visitedOn: '2025-02-11', visitor: '陈局长', position: '局长', purpose: '调研指导' } as never);
  em.create(PostingQuarterReview, {
    posting: a,
    quarter: 1,
    outcome: { quarter: 1, from: '2025-01-01', to: '2025-03-31', workReport: 'on_time', headVisits: 1, visitMissing: false, score: 88, escalations: 0, deductions: [] },
    detail: { quarter: 1, stage: 'done', workReport: { summary: '召开联席会3次\n化解纠纷5件', achievements: ['联席会'], submittedAt: 0, late: false }, workReportDueAt: 0, scoringDueAt: 0, headVisits: 1, score: { score: 88, comment: '成效明显', by: '街道党工委', at: Date.parse('2025-04-15T02:00:00Z') }, escalations: 0 },
  } as never);
  em.create(PostingYearEnd, { posting: a, cohortId: world.cohortId, total: 92.95, organization: 95, rank: 1, cohortSize: 2, grade: '优秀' } as never);
  em.create(PostingYearEnd, { posting: b, cohortId: world.cohortId, total: 70, organization: 70, rank: 2, cohortSize: 2, grade: '基本称职' } as never);
  await em.flush();
  renderer = createReportRenderer({ maxConcurrentPages: 1, logger: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await renderer?.close();
  await orm?.close(true);
  await db?.drop();
});

const check = (type: keyof typeof REPORT_TYPES, data: unknown) => compileChecker(REPORT_TYPES[type].schema)(type, data);

describe('posting reports', () => {
  it('builds the monthly attendance sheet of a street and prints it', async () => {
    const data = (await attendanceSheetData(orm.em.fork() as EntityManager, world.streetId, '2025-01'))!;
    check('attendance-sheet', data);
    // 22 days in the community literally (the default rule), though January 2025 has 19 working days.
    expect(data.requiredDays).toBe(22);
    expect(data.workingDays).toBe(19);
    expect(data.calendarNote).toBeNull(); // 2025's holidays are published and on record
    const first = data.secretaries.find((s) => s.name === '书记1')!;
    expect(first.presentDays).toBe(3);
    expect(first.metQuota).toBe(false);
    expect(first.days[1]).toBe('present');
    expect(first.days[6]).toBe('absent'); // the disputed 7th does not count
    expect(first.days[4]).toBe('off'); // Sunday the 5th
    const pdf = await renderer.render('attendance-sheet', data, { issuingUnit: '中共大方县委组织部' });
    const text = await pdfText(pdf.pdf);
    expect(text).toContain('书记1');
    expect(text).toContain('顺德街道');
  }, 120_000);

  it('builds the quarterly review and the year-end ranking to their contracts', async () => {
    const em = orm.em.fork() as EntityManager;
    const quarter = (await quarterlyReviewData(em, world.postingIds[0]!, 1))!;
    check('quarterly-review', quarter);
    expect(quarter).toMatchObject({ totalScore: 88, grade: '称职', selfAssessment: ['召开联席会3次', '化解纠纷5件'], visits: [expect.objectContaining({ visitor: '陈局长' })] });
    expect(quarter.period).toMatchObject({ index: 1 });
    // No rate without answers: 0 answers is not 0%.
    expect(quarter.residentsRating.satisfactionPercent === null).toBe(quarter.residentsRating.respondents === 0);
    expect(await quarterlyReviewData(em, world.postingIds[1]!, 1)).toBeNull();
    const ranking = (await yearEndRankingData(em, world.cohortId))!;
    check('year-end-ranking', ranking);
    expect(ranking.entries.map((e) => [e.rank, e.name, e.grade])).toEqual([
      [1, '书记1', '优秀'],
      [2, '书记2', '基本称职'],
    ]);
    // All four weights of the rule, 小考 included: the components add up to the total as printed.
    expect(ranking.weights).toEqual({ selfPercent: 20, residentsPercent: 30, organizationPercent: 30, routinePercent: 20 });
    const w = ranking.weights;
    expect(w.selfPercent + w.residentsPercent + w.organizationPercent + w.routinePercent).toBe(100);
  });
});
