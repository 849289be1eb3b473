// Anonymous access only through these: an unguessable token (only its SHA-256 is stored)
// for one purpose on one subject, expiring, revocable. Public commitment pages and surveys use them.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { createdAt, uuidKey } from './common.ts';

export const AccessLink = defineEntity({
  name: 'AccessLink',
  tableName: 'access_link',
  properties: {
    id: uuidKey(),
    tokenHash: p.string().length(64).unique().hidden(),
    /** e.g. public_commitments, resident_survey, staff_survey */
    purpose: p.string().length(50),
    subjectType: p.string().length(50),
    subjectId: p.uuid(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    createdBy: () => p.manyToOne(Account).ref().nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'access_link_subject_idx', properties: ['subjectType', 'subjectId'] }],
});
export type AccessLink = InferEntity<typeof AccessLink>;
