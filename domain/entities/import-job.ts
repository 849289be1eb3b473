// A CSV import: the client polls it for progress (processed/total) and the per-row errors.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { createdAt, uuidKey } from './common.ts';

export const IMPORT_KINDS = ['units', 'organizations', 'people'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['running', 'succeeded', 'failed'] as const;

export interface ImportRowError {
  row: number;
  column: string;
  rule: string;
}

export const ImportJob = defineEntity({
  name: 'ImportJob',
  tableName: 'import_job',
  properties: {
    id: uuidKey(),
    kind: p.enum(IMPORT_KINDS),
    status: p.enum(IMPORT_STATUSES),
    fileName: p.string().length(255),
    total: p.integer(),
    processed: p.integer(),
    imported: p.integer(),
    /** The first rule breaks found (at most MAX_IMPORT_ERRORS); errorCount says how many there were. */
    errors: p.json<ImportRowError[]>(),
    errorCount: p.integer().default(0),
    createdBy: () => p.manyToOne(Account).ref(),
    createdAt: createdAt(),
    finishedAt: p.datetime().nullable(),
    /** Touched every few seconds while the import runs; a running job without it is orphaned. */
    heartbeatAt: p.datetime().nullable(),
  },
});
export type ImportJob = InferEntity<typeof ImportJob>;
