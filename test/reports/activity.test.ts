// renderReport with a real database and store and a stand-in renderer (the browser is covered
// in render.test.ts): versions per subject, retries that file once, bad data not retried.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import { ApplicationFailure } from '@temporalio/common';
import { createReportActivities, type ReportRendererPort } from '../../activities/reports.ts';
import { initOrm } from '../../db/orm.ts';
import { ReportFile } from '../../domain/entities/report-file.ts';
import { ReportDataError } from '../../reports/errors.ts';
import { createReportStore } from '../../reports/store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
let orm: MikroORM;
let dataDir: string;
let renders = 0;

// Every render differs (a PDF carries its creation time), as with the real renderer.
const renderer: ReportRendererPort = {
  async render(type, data) {
    if ((data as { broken?: boolean }).broken) throw new ReportDataError(type, [{ path: 'data/entries/0/name', message: 'is required' }]);
    renders += 1;
    const pdf = Buffer.from(`%PDF-1.7 ${type} render ${renders}`);
    return { pdf, sha256: createHash('sha256').update(pdf).digest('hex'), bytes: pdf.length, pages: 2 };
  },
};

beforeAll(async () => {
  db = await createTestDatabase('reports');
  orm = await initOrm({ url: db.url });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'report-activity-'));
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function input(subjectId: string, extra: Partial<Parameters<ReturnType<typeof createReportActivities>['renderReport']>[0]> = {}) {
  return {
    type: 'year-end-ranking',
    data: {},
    meta: { issuingUnit: '中共济宁市任城区委组织部' },
    subjectType: 'unit',
    subjectId,
    cycleId: null,
    createdBy: 'workflow:posting/test',
    ...extra,
  };
}

describe('renderReport activity', () => {
  it('stores the PDF and files version 1, then a new version on re-render without touching the first', async () => {
    const activities = createReportActivities({ renderer, store: createReportStore({ dataDir }), orm });
    const subjectId = randomUUID();
    const first = await activities.renderReport(input(subjectId));
    const second = await activities.renderReport(input(subjectId));
    expect(first.version).toBe(1);
    expect(second.version).toBe(2);
    expect(second.sha256).not.toBe(first.sha256);
    expect(first.storagePath).toBe(path.join('reports', first.sha256.slice(0, 2), `${first.sha256}.pdf`));
    const rows = await orm.em.fork().find(ReportFile, { subjectId }, { orderBy: { version: 'asc' } });
    expect(rows.map((row) => [row.version, row.sha256, row.bytes, row.pages])).toEqual([
      [1, first.sha256, first.bytes, 2],
      [2, second.sha256, second.bytes, 2],
    ]);
    expect(await createReportStore({ dataDir }).exists(first.sha256)).toBe(true);
  });

  it('numbers concurrent renders of one subject without gaps or duplicates', async () => {
    const activities = createReportActivities({ renderer, store: createReportStore({ dataDir }), orm });
    const subjectId = randomUUID();
    const results = await Promise.all(Array.from({ length: 4 }, () => activities.renderReport(input(subjectId))));
    expect(results.map((result) => result.version).sort()).toEqual([1, 2, 3, 4]);
  });

  it('a retried activity (same request key) returns its filed row instead of adding a version', async () => {
    const activities = createReportActivities({ renderer, store: createReportStore({ dataDir }), orm });
    const subjectId = randomUUID();
    const key = `posting/${subjectId}/run-1/7`;
    const first = await activities.renderReport(input(subjectId, { requestKey: key }));
    const rendersBefore = renders;
    const retried = await activities.renderReport(input(subjectId, { requestKey: key }));
    expect(retried).toEqual(first);
    expect(renders).toBe(rendersBefore);
    expect(await orm.em.fork().count(ReportFile, { subjectId })).toBe(1);
  });

  it('fails bad data as non-retryable, naming the field', async () => {
    const activities = createReportActivities({ renderer, store: createReportStore({ dataDir }), orm });
    const failure = await activities.renderReport(input(randomUUID(), { data: { broken: true } })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).type).toBe('ReportDataError');
    expect((failure as ApplicationFailure).message).toContain('data/entries/0/name');
  });

  it('without an ORM still renders and stores', async () => {
    const activities = createReportActivities({ renderer, store: createReportStore({ dataDir }) });
    const result = await activities.renderReport(input(randomUUID()));
    expect(result.reportFileId).toBeNull();
    expect(await createReportStore({ dataDir }).exists(result.sha256)).toBe(true);
  });
});
