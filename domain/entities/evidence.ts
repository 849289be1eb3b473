// Evidence (佐证材料) filed for a record. The file row says what it belongs to (an
// organization and/or unit, optionally a subject such as a commitment item); each upload is
// a new EvidenceVersion, content-addressed by SHA-256, with its own effective period.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Organization } from './organization.ts';
import { createdAt, uuidKey } from './common.ts';

export const EvidenceFile = defineEntity({
  name: 'EvidenceFile',
  tableName: 'evidence_file',
  properties: {
    id: uuidKey(),
    title: p.string().length(200),
    organization: () => p.manyToOne(Organization).ref().nullable().index(),
    unit: () => p.manyToOne(AdministrativeUnit).ref().nullable().index(),
    subjectType: p.string().length(50).nullable(),
    subjectId: p.uuid().nullable(),
    latestVersion: p.integer(),
    createdBy: () => p.manyToOne(Account).ref(),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'evidence_file_subject_idx', properties: ['subjectType', 'subjectId'] }],
});
export type EvidenceFile = InferEntity<typeof EvidenceFile>;

export const EvidenceVersion = defineEntity({
  name: 'EvidenceVersion',
  tableName: 'evidence_version',
  properties: {
    id: uuidKey(),
    file: () => p.manyToOne(EvidenceFile).ref(),
    version: p.integer(),
    sha256: p.string().length(64).index(),
    sizeBytes: p.bigint('number'),
    mimeType: p.string().length(100),
    originalName: p.string().length(255),
    /** Relative to DATA_DIR: evidence/<sha[0:2]>/<sha>. */
    storagePath: p.string().length(300),
    uploadedBy: () => p.manyToOne(Account).ref(),
    uploadedAt: createdAt(),
    /** The period the evidence speaks for, independent of when it was uploaded. */
    effectiveFrom: p.date(),
    effectiveTo: p.date().nullable(),
  },
  uniques: [{ name: 'evidence_version_file_version_unique', properties: ['file', 'version'] }],
});
export type EvidenceVersion = InferEntity<typeof EvidenceVersion>;
