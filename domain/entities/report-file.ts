// A rendered report (PDF) on file: what it is, whose record it shows, and which version. The
// bytes live content-addressed under <DATA_DIR>/reports/<sha[0:2]>/<sha>.pdf (reports/store.ts);
// re-rendering the same subject adds a version row and never replaces a filed one.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidKey } from './common.ts';

export const ReportFile = defineEntity({
  name: 'ReportFile',
  tableName: 'report_file',
  properties: {
    id: uuidKey(),
    /** Report type, e.g. commitment-notice, year-end-ranking (reports/report-types.ts). */
    type: p.string().length(50),
    /** What the report shows, for authorization of downloads: e.g. commitment_set, posting, unit. */
    subjectType: p.string().length(50),
    subjectId: p.uuid(),
    cycleId: p.uuid().nullable().index(),
    /** 1, 2, … per (type, subject). */
    version: p.integer(),
    sha256: p.string().length(64).index(),
    bytes: p.bigint('number'),
    pages: p.integer(),
    /** Account id of the person who asked for it, or a system label such as workflow:<id>. */
    createdBy: p.string().length(200),
    /** Temporal workflow/run/activity of the render, so a retried activity finds its row instead of adding a version. */
    requestKey: p.string().length(300).nullable().unique(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'report_file_subject_version_unique', properties: ['type', 'subjectType', 'subjectId', 'version'] }],
});
export type ReportFile = InferEntity<typeof ReportFile>;
