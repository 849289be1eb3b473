// Leave (请假) and official trips (公差) of a first secretary, decided by the street committee
// (domain/posting/absences.ts holds the rules; api/services/postings/absences.ts writes them).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Posting } from './posting.ts';
import { createdAt, uuidKey } from './common.ts';
import { ABSENCE_KINDS, ABSENCE_STATUSES } from '../posting/absences.ts';

export const PostingAbsence = defineEntity({
  name: 'PostingAbsence',
  tableName: 'posting_absence',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref(),
    kind: p.enum(ABSENCE_KINDS),
    fromDate: p.string().length(10),
    toDate: p.string().length(10),
    reason: p.text(),
    status: p.enum(ABSENCE_STATUSES).default('pending'),
    filedBy: () => p.manyToOne(Account).ref().nullable(),
    /** The role the request was filed under: first_secretary or community_committee. */
    filedAs: p.string().length(30),
    decidedBy: () => p.manyToOne(Account).ref().nullable(),
    decidedAt: p.datetime().nullable(),
    decisionComment: p.text().nullable(),
    createdAt: createdAt(),
  },
});
export type PostingAbsence = InferEntity<typeof PostingAbsence>;
