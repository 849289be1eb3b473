// The posting activities on a real test database: idempotent writes, recipients by role,
// counting confirmed days in the month, and ranking a cohort once all results are in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initOrm } from '../../db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createPostingActivities } from '../../activities/posting.ts';
import { Posting } from '../../domain/entities/posting.ts';
import { Notification } from '../../domain/entities/notification.ts';
import { PostingCheckIn, PostingHeadVisit, PostingMonth, PostingResidentRating, PostingYearEnd } from '../../domain/entities/posting-records.ts';
import { seedPostingWorld, type PostingWorld } from '../support/fixtures.ts';
import type { CohortRanking } from '../../domain/posting/contracts.ts';

let db: TestDatabase;
let orm: MikroORM;
let world: PostingWorld;
const signals: [string, CohortRanking][] = [];

beforeAll(async () => {
  db = await createTestDatabase('posting_acts');
  orm = await initOrm({ url: db.url });
  world = await seedPostingWorld(orm.em.fork() as EntityManager, { postings: 4 });
}, 60_000);

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

const cohortSignals: number[] = [];
const acts = () => createPostingActivities({ orm, signalRanking: async (id, r) => void signals.push([id, r]), signalCohort: async (_, ranked) => void cohortSignals.push(ranked) });

describe('posting activities', () => {
  it('sends a notice once per key to the accounts holding the roles over the posting', async () => {
    const notice = { postingId: world.postingIds[0]!, key: 'attendance-2025-02', to: ['street_committee', 'first_secretary'] as const, kind: 'warning' as const, title: '考勤不足', body: '18/20' };
    await acts().notifyPosting({ ...notice, to: [...notice.to] });
    await acts().notifyPosting({ ...notice, to: [...notice.to] });
    const em = orm.em.fork();
    const sent = await em.find(Notification, { kind: 'posting_warning' }, { orderBy: { recipient: 'asc' } });
    expect(sent.map((n) => n.recipient.id).sort()).toEqual([world.accounts.street, world.accounts.sec1].sort());
  });

  it('counts only confirmed check-ins inside the period and records the month once', async () => {
    const em = orm.em.fork();
    const postingId = world.postingIds[0]!;
    for (const [date, status] of [['2025-02-03', 'confirmed'], ['2025-02-04', 'confirmed'], ['2025-02-05', 'disputed'], ['2025-02-06', 'pending'], ['2025-03-01', 'confirmed']] as const) {
      em.create(PostingCheckIn, { posting: postingId, date, note: '入户走访', status } as never);
    }
    await em.flush();
    const input = { postingId, month: '2025-02', from: '2025-02-01', to: '2025-02-28', requiredDays: 18 };
    // The quota is recomputed when the month is counted: 22 days literally (the default rule), not the planned 18.
    expect(await acts().closeAttendanceMonth(input)).toEqual({ confirmedDays: 2, requiredDays: 22 });
    expect(await acts().closeAttendanceMonth(input)).toEqual({ confirmedDays: 2, requiredDays: 22 });
    const months = await orm.em.fork().find(PostingMonth, { posting: postingId });
    expect(months.map((m) => [m.month, m.confirmedDays, m.requiredDays])).toEqual([['2025-02', 2, 22]]);
  });

  it('counts head visits in the quarter and collects residents’ ratings', async () => {
    const em = orm.em.fork();
    const postingId = world.postingIds[1]!;
    em.create(PostingHeadVisit, { posting: postingId, visitedOn: '2025-02-10', visitor: '陈局长', position: '局长', purpose: '调研指导' } as never);
    em.create(PostingHeadVisit, { posting: postingId, visitedOn: '2025-04-10', visitor: '陈局长', position: '局长', purpose: '调研指导' } as never);
    em.create(PostingResidentRating, { posting: postingId, score: 90, source: 'paper' } as never);
    await em.flush();
    expect(await acts().countHeadVisits({ postingId, from: '2025-01-01', to: '2025-03-31' })).toBe(1);
    expect(await acts().countHeadVisits({ postingId, from: '2025-07-01', to: '2025-09-30' })).toBe(0);
    expect(await acts().collectResidentsRatings({ postingId })).toEqual({ ratings: [90] });
  });

  it('ranks the cohort when the last started posting’s result comes in (not waiting for one still without guarantees), and signals every posting', async () => {
    const [a, b, c, d] = world.postingIds as [string, string, string, string];
    // d never got its guarantees: it has not started by the ranking and is not waited for.
    await orm.em.fork().nativeUpdate(Posting, { id: { $in: [a, b, c] } }, { phase: 'awaiting_ranking' });
    expect((await orm.em.fork().findOneOrFail(Posting, { id: d })).phase).toBe('awaiting_guarantees');
    await acts().submitYearEndResult({ postingId: a, cohortId: world.cohortId, secretaryName: '书记1', total: 80, organization: 80 });
    await acts().submitYearEndResult({ postingId: b, cohortId: world.cohortId, secretaryName: '书记2', total: 93, organization: 90 });
    expect(signals).toEqual([]);
    await acts().submitYearEndResult({ postingId: c, cohortId: world.cohortId, secretaryName: '书记3', total: 55, organization: 50 });
    expect(signals).toEqual([
      [b, { rank: 1, cohortSize: 3, grade: '优秀' }],
      [a, { rank: 2, cohortSize: 3, grade: '称职' }],
      [c, { rank: 3, cohortSize: 3, grade: '不称职' }],
    ]);
    expect(cohortSignals).toEqual([3]);
    // A retry of the last submission ranks nothing again, but re-sends the ranks to postings still waiting.
    signals.length = 0;
    await acts().submitYearEndResult({ postingId: c, cohortId: world.cohortId, secretaryName: '书记3', total: 55, organization: 50 });
    expect(signals.map(([id]) => id).sort()).toEqual([a, b, c].sort());
    const rows = await orm.em.fork().find(PostingYearEnd, { cohortId: world.cohortId }, { orderBy: { rank: 'asc' } });
    expect(rows.map((r) => [r.posting.id, r.rank, r.grade])).toEqual([
      [b, 1, '优秀'],
      [a, 2, '称职'],
      [c, 3, '不称职'],
    ]);
  });

  it('opens one residents’ survey link per posting however often it is called', async () => {
    const postingId = world.postingIds[2]!;
    await acts().openResidentsSurvey({ postingId, expiresAt: Date.now() + 86_400_000 });
    await acts().openResidentsSurvey({ postingId, expiresAt: Date.now() + 86_400_000 });
    const [row] = await (orm.em.fork() as EntityManager).execute<{ n: string }[]>(`select count(*) as n from access_link where subject_id = ?`, [postingId]);
    expect(Number(row!.n)).toBe(1);
  });
});
