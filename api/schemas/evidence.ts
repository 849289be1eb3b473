import Type from 'typebox';
import type { EvidenceFile, EvidenceVersion } from '../../domain/entities/evidence.ts';
import { DateOnly, DateTime, Nullable, PageQuery, Uuid, iso } from './common.ts';

const versionExample = {
  version: 1, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', sizeBytes: 482133, mimeType: 'application/pdf',
  originalName: '2026年第三季度形势政策宣讲记录.pdf', uploadedById: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a', uploadedAt: '2026-11-21T08:00:00.000Z',
  effectiveFrom: '2026-07-01', effectiveTo: '2026-09-30',
};
const fileExample = {
  id: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b',
  title: '形势政策宣讲记录',
  organizationId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  unitId: null,
  subjectType: 'commitment_item',
  subjectId: '8f9a0b1c-2d3e-4f4a-9b5c-6d7e8f9a0b1c',
  latestVersion: 1,
  createdAt: '2026-11-21T08:00:00.000Z',
  versions: [versionExample],
};
export { fileExample as evidenceExample };

export const EvidenceVersionDto = Type.Object({
  version: Type.Integer(), sha256: Type.String(), sizeBytes: Type.Integer(), mimeType: Type.String(), originalName: Type.String(),
  uploadedById: Uuid, uploadedAt: DateTime, effectiveFrom: DateOnly, effectiveTo: Nullable(DateOnly),
}, { examples: [versionExample] });

export const EvidenceFileDto = Type.Object({
  id: Uuid, title: Type.String(), organizationId: Nullable(Uuid), unitId: Nullable(Uuid), subjectType: Nullable(Type.String()), subjectId: Nullable(Uuid),
  latestVersion: Type.Integer(), createdAt: DateTime, versions: Type.Array(EvidenceVersionDto),
}, { examples: [fileExample] });

const Period = {
  effectiveFrom: Type.String({ format: 'date', description: 'first day the evidence speaks for (YYYY-MM-DD)' }),
  effectiveTo: Type.Optional(Type.String({ format: 'date', description: 'last day the evidence speaks for; on or after effectiveFrom' })),
};

export const EvidenceUploadQuery = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    organizationId: Type.Optional(Type.String({ format: 'uuid', description: 'the organization the evidence belongs to' })),
    unitId: Type.Optional(
      Type.String({ format: 'uuid', description: 'the unit, for evidence of a unit rather than an organization' }),
    ),
    subjectType: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 50,
        pattern: '^[a-z_]+$',
        description: 'what record it supports, e.g. commitment_item',
      }),
    ),
    subjectId: Type.Optional(Type.String({ format: 'uuid' })),
    ...Period,
  },
  {
    additionalProperties: false,
    examples: [
      {
        title: '形势政策宣讲记录',
        organizationId: fileExample.organizationId,
        effectiveFrom: '2026-07-01',
        effectiveTo: '2026-09-30',
      },
    ],
  },
);

export const EvidenceVersionQuery = Type.Object(Period, {
  additionalProperties: false,
  examples: [{ effectiveFrom: '2026-10-01', effectiveTo: '2026-12-31' }],
});

export const EvidenceListQuery = Type.Object({
  organizationId: Type.Optional(Type.String({ format: 'uuid' })),
  unitId: Type.Optional(Type.String({ format: 'uuid' })),
  subjectType: Type.Optional(Type.String({ maxLength: 50 })),
  subjectId: Type.Optional(Type.String({ format: 'uuid' })),
  ...PageQuery,
}, { additionalProperties: false });

export const evidenceVersionDto = (v: EvidenceVersion) => ({
  version: v.version, sha256: v.sha256, sizeBytes: v.sizeBytes, mimeType: v.mimeType, originalName: v.originalName,
  uploadedById: v.uploadedBy.id, uploadedAt: iso(v.uploadedAt)!, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null,
});

export const evidenceFileDto = (f: EvidenceFile, versions: EvidenceVersion[]) => ({
  id: f.id, title: f.title, organizationId: f.organization?.id ?? null, unitId: f.unit?.id ?? null, subjectType: f.subjectType ?? null,
  subjectId: f.subjectId ?? null, latestVersion: f.latestVersion, createdAt: iso(f.createdAt)!,
  versions: [...versions].sort((a, b) => a.version - b.version).map(evidenceVersionDto),
});
