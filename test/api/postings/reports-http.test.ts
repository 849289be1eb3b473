// Filed posting PDFs over HTTP: the ranking is rendered through the shared pipeline (the
// renderReport activity: renderer, content-addressed store, ReportFile row) from the request
// the cohort workflow would send; the department lists and downloads it, a street committee
// neither sees nor downloads it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import pino from 'pino';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { PostingYearEnd } from '../../../domain/entities/posting-records.ts';
import { createPostingActivities } from '../../../activities/posting.ts';
import { createReportActivities } from '../../../activities/reports.ts';
import { createReportRenderer, type ReportRenderer } from '../../../reports/index.ts';
import { createReportStore } from '../../../reports/store.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { seedPostingWorld, type PostingWorld } from '../../support/fixtures.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Account } from '../../../domain/entities/account.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { ApiToken } from '../../../domain/entities/api-token.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';

let app: TestApp;
let world: PostingWorld;
let renderer: ReportRenderer;

beforeAll(async () => {
  app = await startTestApp();
  const em = app.orm.em.fork() as EntityManager;
  world = await seedPostingWorld(em, { postings: 2 });
  em.create(PostingYearEnd, { posting: world.postingIds[0], cohortId: world.cohortId, total: 91, organization: 90, rank: 1, cohortSize: 2, grade: '优秀' } as never);
  em.create(PostingYearEnd, { posting: world.postingIds[1], cohortId: world.cohortId, total: 78, organization: 80, rank: 2, cohortSize: 2, grade: '称职' } as never);
  await em.flush();
  renderer = createReportRenderer({ maxConcurrentPages: 1, logger: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await renderer?.close();
  await app?.close();
});

describe('posting report downloads', () => {
  it('files the ranking once through renderReport and serves it to the department only', async () => {
    const { report, unranked } = await createPostingActivities({ orm: app.orm }).prepareRankingReport({ cohortId: world.cohortId });
    expect(unranked).toBe(0);
    expect(report).toMatchObject({ type: 'year-end-ranking', subjectType: 'posting_cohort', subjectId: world.cohortId, requestKey: `posting-cohort/${world.cohortId}/year-end-ranking/2` });
    const reports = createReportActivities({ renderer, store: createReportStore({ dataDir: app.config.DATA_DIR }), orm: app.orm });
    const first = await reports.renderReport(report!);
    const again = await reports.renderReport(report!);
    expect(again).toMatchObject({ reportFileId: first.reportFileId, version: 1 });

    const as = (login: string, url: string) => app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${world.tokens[login]}` } });
    const list = (await as('dept', `/postings/cohorts/${world.cohortId}/reports`)).json();
    expect(list.reports.map((r: { type: string; version: number }) => [r.type, r.version])).toEqual([['year-end-ranking', 1]]);
    expect((await as('street', `/postings/cohorts/${world.cohortId}/reports`)).json().reports).toEqual([]);

    const pdf = await as('dept', list.reports[0].download);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-sha256']).toBe(first.sha256);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('书记1');
    expect(text).toContain('优秀');
    expect((await as('street', list.reports[0].download)).statusCode).toBe(404);
    expect((await as('dept', `/postings/cohorts/${world.cohortId}/ranking/report`)).json().entries).toHaveLength(2);
  }, 120_000);

  it('shows the ranking to the department and to the streets of the region, and to nobody outside it', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const elsewhere = em.create(AdministrativeUnit, { code: 'other-d', name: '别县', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共别县委' } as never);
    elsewhere.path = `${elsewhere.id}/`;
    const outsider = em.create(Account, { login: 'outsider', displayName: 'outsider', passwordHash: 'x' } as never);
    em.create(RoleAssignment, { account: outsider, role: 'org_department', unit: elsewhere } as never);
    const token = `pct_outsider_${'x'.repeat(32)}`;
    em.create(ApiToken, { account: outsider, name: 'test', tokenHash: hashSecret(token) } as never);
    await em.flush();
    const url = `/postings/cohorts/${world.cohortId}/ranking`;
    const as = (bearer: string) => app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
    expect((await as(world.tokens.dept!)).json().entries.map((e: { rank: number }) => e.rank)).toEqual([1, 2]);
    expect((await as(world.tokens.street!)).json().entries).toHaveLength(2);
    expect((await as(token)).statusCode).toBe(404);
  });
});
