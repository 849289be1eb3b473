// Downloading a posting report as a PDF over HTTP: the department gets the year-end ranking,
// others are refused by role.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestApp, type TestApp } from '../../support/app.ts';
import { PostingYearEnd } from '../../../domain/entities/posting-records.ts';
import { pdfText } from '../../reports/pdf-text.ts';
import { seedPostingWorld, type PostingWorld } from './seed.ts';

let app: TestApp;
let world: PostingWorld;

beforeAll(async () => {
  app = await createTestApp();
  const em = app.orm.em.fork() as EntityManager;
  world = await seedPostingWorld(em, { postings: 2 });
  em.create(PostingYearEnd, { posting: world.postingIds[0], cohortId: world.cohortId, total: 91, organization: 90, rank: 1, cohortSize: 2, grade: '优秀' } as never);
  em.create(PostingYearEnd, { posting: world.postingIds[1], cohortId: world.cohortId, total: 78, organization: 80, rank: 2, cohortSize: 2, grade: '称职' } as never);
  await em.flush();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('posting report downloads', () => {
  it('serves the year-end ranking as JSON and as a PDF to the department only', async () => {
    const url = `/postings/cohorts/${world.cohortId}/ranking/report`;
    const as = (login: string, suffix = '') => app.server.inject({ method: 'GET', url: url + suffix, headers: { authorization: `Bearer ${world.tokens[login]}` } });
    expect((await as('street')).statusCode).toBe(403);
    const json = await as('dept');
    expect(json.json().entries.map((e: { name: string; grade: string }) => [e.name, e.grade])).toEqual([
      ['书记1', '优秀'],
      ['书记2', '称职'],
    ]);
    const pdf = await as('dept', '?format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('书记1');
    expect(text).toContain('优秀');
  }, 120_000);
});
