// Leave (请假) and official trips (公差) through HTTP, the holiday calendars and the issuer:
// the secretary or the community files, the street committee decides, every filing and decision
// is audited; approved trips count when the month is counted and show on the sheet with the
// legend's marks; a year the department enters counts on its sheets; the department edits its
// issuer and sees its number sequences.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { seedPostingWorld, type PostingWorld } from '../../support/fixtures.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingCheckIn } from '../../../domain/entities/posting-records.ts';
import { AuditEntry } from '../../../domain/entities/audit-entry.ts';
import { createPostingActivities } from '../../../activities/posting.ts';
import { attendanceSheetData } from '../../../reports/data/posting.ts';
import { allocateDocumentNumber, requireDepartmentIssuer } from '../../../domain/documents/issuer.ts';

let app: TestApp;
let world: PostingWorld;
let p1: string;

beforeAll(async () => {
  app = await startTestApp();
  const em = app.orm.em.fork() as EntityManager;
  world = await seedPostingWorld(em, { postings: 2, startsOn: '2026-03-01' });
  p1 = world.postingIds[0]!;
  for (const id of world.postingIds) await em.nativeUpdate(Posting, { id }, { endsOn: '2027-02-28', phase: 'active' } as never);
  // Confirmed days in the community in June 2026: Tuesday 2 and Wednesday 10.
  for (const date of ['2026-06-02', '2026-06-10']) em.create(PostingCheckIn, { posting: p1, date, note: '在岗', status: 'confirmed' } as never);
  await em.flush();
}, 120_000);
afterAll(async () => app?.close());

const call = async (login: string | null, method: string, url: string, payload?: unknown) => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: login ? { authorization: `Bearer ${world.tokens[login]}` } : {} });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
};
const audits = (action: string) => app.orm.em.fork().find(AuditEntry, { action }, { orderBy: { seq: 'asc' } as never });

describe('leave and official trips', () => {
  it('are filed by the secretary or the community, decided by the street, counted and shown on the sheet', async () => {
    const trip = await call('sec1', 'POST', `/postings/${p1}/absences`, { kind: 'trip', from: '2026-06-01', to: '2026-06-03', reason: '赴区民政局对接养老项目' });
    expect(trip.status).toBe(201);
    expect(trip.body).toMatchObject({ kind: 'trip', from: '2026-06-01', to: '2026-06-03', days: 3, status: 'pending', filedAs: 'first_secretary', secretary: '书记1' });
    const leave = await call('community', 'POST', `/postings/${p1}/absences`, { kind: 'leave', from: '2026-06-08', to: '2026-06-09', reason: '病假' });
    expect(leave.status).toBe(201);
    expect(leave.body.filedAs).toBe('community_committee');

    // Refusals name the field and the rule; others' postings are not found; the street does not file.
    const overlap = await call('sec1', 'POST', `/postings/${p1}/absences`, { kind: 'leave', from: '2026-06-03', to: '2026-06-04', reason: '事假' });
    expect(overlap.status).toBe(400);
    expect(overlap.body.details).toEqual([{ field: 'body.from', rule: 'overlaps the 公差 of 2026-06-01 to 2026-06-03 (pending)' }]);
    const backwards = await call('sec1', 'POST', `/postings/${p1}/absences`, { kind: 'leave', from: '2026-07-03', to: '2026-07-01', reason: '事假' });
    expect(backwards.body.details).toEqual([{ field: 'body.to', rule: 'on or after body.from (2026-07-03)' }]);
    const before = await call('sec1', 'POST', `/postings/${p1}/absences`, { kind: 'leave', from: '2026-02-27', to: '2026-03-01', reason: '事假' });
    expect(before.body.details).toEqual([{ field: 'body.from', rule: 'not before the posting began (2026-03-01)' }]);
    expect((await call('sec2', 'POST', `/postings/${p1}/absences`, { kind: 'leave', from: '2026-07-01', to: '2026-07-01', reason: '事假' })).status).toBe(404);
    expect((await call('street', 'POST', `/postings/${p1}/absences`, { kind: 'leave', from: '2026-07-01', to: '2026-07-01', reason: '事假' })).status).toBe(403);

    // The street's list of requests to decide.
    const pending = await call('street', 'GET', '/postings/absences?status=pending');
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((a: { id: string }) => a.id)).toEqual([trip.body.id, leave.body.id]);
    expect((await call('sec2', 'GET', '/postings/absences')).body.items).toEqual([]);

    const decide = (login: string, id: string, body: unknown) => call(login, 'POST', `/postings/${p1}/absences/${id}/decision`, body);
    expect((await decide('community', trip.body.id, { decision: 'approved' })).status).toBe(403);
    const noReason = await decide('street', trip.body.id, { decision: 'refused' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([{ field: 'body.comment', rule: 'required when refusing (say why)' }]);
    const approved = await decide('street', trip.body.id, { decision: 'approved', comment: '同意' });
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'street', decisionComment: '同意' });
    expect((await decide('street', trip.body.id, { decision: 'refused', comment: '再议' })).status).toBe(409);
    expect((await decide('street', leave.body.id, { decision: 'approved' })).body.status).toBe('approved');
    const listed = await call('sec1', 'GET', `/postings/${p1}/absences`);
    expect(listed.body.items.map((a: { status: string }) => a.status)).toEqual(['approved', 'approved']);

    // One audit row per filing and per decision, under the actor who did it.
    expect((await audits('posting.absence_filed')).map((a) => [a.entityId, a.actor])).toEqual([[trip.body.id, 'sec1'], [leave.body.id, 'community']]);
    expect((await audits('posting.absence_decided')).map((a) => [a.entityId, (a.after as { status: string }).status])).toEqual([
      [trip.body.id, 'approved'],
      [leave.body.id, 'approved'],
    ]);

    // The sheet: △ on the trip's working days not checked in, ○ on the leave, √ on confirmed days.
    const sheet = (await attendanceSheetData(app.orm.em.fork() as EntityManager, world.streetId, '2026-06'))!;
    const mine = sheet.secretaries.find((s) => s.name === '书记1')!;
    expect(mine.days.slice(0, 11)).toEqual(['business', 'present', 'business', 'absent', 'absent', 'off', 'off', 'leave', 'leave', 'present', 'absent']);
    expect(mine).toMatchObject({ presentDays: 2, businessDays: 2, leaveDays: 2, metQuota: false });
    // 22 days literally (the default rule), though June 2026 has 21 working days (端午).
    expect(sheet).toMatchObject({ requiredDays: 22, workingDays: 21, calendarNote: null });

    // Counting the month: 2 confirmed + 2 trip days; leave does not count.
    const acts = createPostingActivities({ orm: app.orm });
    expect(await acts.closeAttendanceMonth({ postingId: p1, month: '2026-06', from: '2026-06-01', to: '2026-06-30', requiredDays: 22 })).toEqual({ confirmedDays: 4, requiredDays: 22 });
    // A counted month takes no more requests.
    const late = await call('sec1', 'POST', `/postings/${p1}/absences`, { kind: 'trip', from: '2026-06-29', to: '2026-07-01', reason: '补报' });
    expect(late.body.details).toEqual([{ field: 'body.from', rule: 'not in a month already counted (2026-06)' }]);
  });
});

describe('holiday calendars', () => {
  it('ship 2024–2026, list the years postings span without one, and take a year the department enters', async () => {
    const list = await call('street', 'GET', '/holiday-calendars');
    expect(list.status).toBe(200);
    expect(list.body.items.map((y: { year: number; shipped: boolean }) => [y.year, y.shipped])).toEqual([[2024, true], [2025, true], [2026, true]]);
    expect(list.body.missingYears).toEqual([2027]);
    const before = (await attendanceSheetData(app.orm.em.fork() as EntityManager, world.streetId, '2027-02'))!;
    expect(before.calendarNote).toContain('2027年节假日安排尚未录入');

    const year2027 = { year: 2027, holidays: ['2027-02-08', '2027-02-09', '2027-02-10'], makeupWorkdays: ['2027-02-06'], source: '部门录入（测试）' };
    expect((await call('street', 'PUT', '/holiday-calendars', year2027)).status).toBe(403);
    const wrong = await call('dept', 'PUT', '/holiday-calendars', { ...year2027, holidays: ['2026-02-08'], makeupWorkdays: ['2027-02-05'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([
      { field: 'body.holidays.0', rule: 'a day of 2027' },
      { field: 'body.makeupWorkdays.0', rule: 'a Saturday or Sunday (a weekday is a workday already)' },
    ]);
    expect((await call('dept', 'PUT', '/holiday-calendars', { ...year2027, year: 2026, holidays: ['2026-01-01'], makeupWorkdays: [] })).status).toBe(409);
    const saved = await call('dept', 'PUT', '/holiday-calendars', year2027);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ year: 2027, shipped: false, updatedBy: 'dept' });
    expect((await call('dept', 'GET', '/holiday-calendars')).body.missingYears).toEqual([]);
    expect((await audits('holiday_calendar.save')).map((a) => a.entityId)).toEqual(['2027']);

    // The sheet of a month of that year counts by it and carries no warning any more.
    const after = (await attendanceSheetData(app.orm.em.fork() as EntityManager, world.streetId, '2027-02'))!;
    expect(after.calendarNote).toBeNull();
    // February 2027: 20 weekdays − 3 holidays + 1 Saturday worked.
    expect(after.workingDays).toBe(18);
    expect(after.secretaries[0]!.days[5]).toBe('absent'); // Saturday 6th, worked
    expect(after.secretaries[0]!.days[7]).toBe('off'); // Monday 8th, holiday
  });
});

describe('the issuer', () => {
  it('shows the derived name until the department sets its own, and the number sequences allocated', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const issuer = await requireDepartmentIssuer(em, world.districtId);
    await allocateDocumentNumber(em, { issuer, kind: 'year-end-ranking', year: 2026, subjectKey: 'cohort/a' });
    await allocateDocumentNumber(em, { issuer, kind: 'year-end-ranking', year: 2026, subjectKey: 'cohort/b' });

    expect((await call('street', 'GET', '/document-issuers')).status).toBe(403);
    const listed = await call('dept', 'GET', '/document-issuers');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ unitId: world.districtId, unitName: '大方县', departmentName: '中共大方县委组织部', configured: false, numberPrefix: '大组' });
    expect(listed.body.items[0].sequences).toEqual([expect.objectContaining({ kind: 'year-end-ranking', year: 2026, allocated: 2, last: 2, lastNumber: '大组考〔2026〕2号' })]);

    const body = { departmentName: '中共毕节市大方县委组织部', sealCaption: '中共毕节市大方县委组织部', contact: '组织科 0857-1234567', numberPrefix: '大组' };
    const bad = await call('dept', 'PUT', `/document-issuers/${world.districtId}`, { ...body, numberPrefix: '大 组' });
    expect(bad.status).toBe(400);
    expect((await call('dept', 'PUT', `/document-issuers/${world.streetId}`, body)).status).toBe(404);
    const saved = await call('dept', 'PUT', `/document-issuers/${world.districtId}`, body);
    expect(saved.body).toMatchObject({ departmentName: '中共毕节市大方县委组织部', contact: '组织科 0857-1234567', configured: true });
    expect((await requireDepartmentIssuer(em, world.communityId)).name).toBe('中共毕节市大方县委组织部');
    // The next number continues the sequence; nothing allocated is reused.
    expect(await allocateDocumentNumber(em, { issuer: await requireDepartmentIssuer(em, world.districtId), kind: 'year-end-ranking', year: 2026, subjectKey: 'cohort/c' })).toBe('大组考〔2026〕3号');
    expect((await audits('document_issuer.save')).map((a) => a.entityId)).toEqual([world.districtId]);
  });
});
