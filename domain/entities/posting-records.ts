// What people file during a posting and what its workflow records. Every table is keyed by
// its business key (posting + date, month, quarter), so retried activities and repeated API
// calls write once.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Posting } from './posting.ts';
import { EvidenceFile } from './evidence.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';
import type { FinalSignature } from '../posting/rules.ts';
import type { QuarterOutcome, QuarterStatus } from '../posting/contracts.ts';

/** 保障: the dispatching unit's accident insurance and work funds, one row per posting. */
export const PostingGuarantee = defineEntity({
  name: 'PostingGuarantee',
  tableName: 'posting_guarantee',
  properties: {
    posting: () => p.oneToOne(Posting).ref().primary().owner(),
    insuranceYuan: p.integer().nullable(),
    insurancePolicy: p.string().length(100).nullable(),
    workFundsYuan: p.integer().nullable(),
    recordedBy: () => p.manyToOne(Account).ref().nullable(),
    updatedAt: updatedAt(),
  },
});
export type PostingGuarantee = InferEntity<typeof PostingGuarantee>;

export const CHECK_IN_STATUSES = ['pending', 'confirmed', 'disputed'] as const;

/** A day in the community, filed by the secretary and confirmed or disputed by the community. */
export const PostingCheckIn = defineEntity({
  name: 'PostingCheckIn',
  tableName: 'posting_check_in',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref(),
    date: p.string().length(10),
    note: p.text(),
    status: p.enum(CHECK_IN_STATUSES).default('pending'),
    reviewedBy: () => p.manyToOne(Account).ref().nullable(),
    reviewNote: p.text().nullable(),
    /** Where the secretary was when checking in (browser geolocation, WGS84), if they shared it. */
    latitude: p.double().nullable(),
    longitude: p.double().nullable(),
    accuracyM: p.float().nullable(),
    /** A photo filed as evidence of the day (evidence storage), if one was taken. */
    photoEvidence: () => p.manyToOne(EvidenceFile).ref().nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'posting_check_in_day_unique', properties: ['posting', 'date'] }],
});
export type PostingCheckIn = InferEntity<typeof PostingCheckIn>;

/** A closed month: confirmed days against the quota. */
export const PostingMonth = defineEntity({
  name: 'PostingMonth',
  tableName: 'posting_month',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref(),
    month: p.string().length(7),
    fromDate: p.string().length(10),
    toDate: p.string().length(10),
    requiredDays: p.smallint(),
    confirmedDays: p.smallint(),
    closedAt: createdAt(),
  },
  uniques: [{ name: 'posting_month_unique', properties: ['posting', 'month'] }],
});
export type PostingMonth = InferEntity<typeof PostingMonth>;

/** 派出单位主要领导到社区调研指导. */
export const PostingHeadVisit = defineEntity({
  name: 'PostingHeadVisit',
  tableName: 'posting_head_visit',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref().index(),
    visitedOn: p.string().length(10),
    visitor: p.string().length(100),
    position: p.string().length(100),
    purpose: p.text(),
    recordedBy: () => p.manyToOne(Account).ref().nullable(),
    createdAt: createdAt(),
  },
});
export type PostingHeadVisit = InferEntity<typeof PostingHeadVisit>;

/** 按季述评: the child workflow's outcome. */
export const PostingQuarterReview = defineEntity({
  name: 'PostingQuarterReview',
  tableName: 'posting_quarter_review',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref(),
    quarter: p.smallint(),
    outcome: p.json<QuarterOutcome>(),
    detail: p.json<QuarterStatus>(),
    savedAt: updatedAt(),
  },
  uniques: [{ name: 'posting_quarter_review_unique', properties: ['posting', 'quarter'] }],
});
export type PostingQuarterReview = InferEntity<typeof PostingQuarterReview>;

/**
 * Where a quarter's review stands while it runs (晒绩 filed, scoring open, scored), saved by the
 * quarter's workflow after every accepted action and stage, so the posting's view reads it
 * without asking the workflow. The finished review is PostingQuarterReview.
 */
export const PostingQuarterProgress = defineEntity({
  name: 'PostingQuarterProgress',
  tableName: 'posting_quarter_progress',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref(),
    quarter: p.smallint(),
    status: p.json<QuarterStatus>(),
    savedAt: updatedAt(),
  },
  uniques: [{ name: 'posting_quarter_progress_unique', properties: ['posting', 'quarter'] }],
});
export type PostingQuarterProgress = InferEntity<typeof PostingQuarterProgress>;

/** 群众测评: one answer from a survey link or a paper form. */
export const PostingResidentRating = defineEntity({
  name: 'PostingResidentRating',
  tableName: 'posting_resident_rating',
  properties: {
    id: uuidKey(),
    posting: () => p.manyToOne(Posting).ref().index(),
    score: p.smallint(),
    source: p.enum(['link', 'paper'] as const),
    comment: p.text().nullable(),
    enteredBy: () => p.manyToOne(Account).ref().nullable(),
    createdAt: createdAt(),
  },
});
export type PostingResidentRating = InferEntity<typeof PostingResidentRating>;

/** 年终考核: the total and, once the cohort is complete, rank and grade. */
export const PostingYearEnd = defineEntity({
  name: 'PostingYearEnd',
  tableName: 'posting_year_end',
  properties: {
    posting: () => p.oneToOne(Posting).ref().primary().owner(),
    cohortId: p.uuid().index(),
    total: p.double(),
    organization: p.double().nullable(),
    rank: p.smallint().nullable(),
    cohortSize: p.smallint().nullable(),
    grade: p.string().length(10).nullable(),
    submittedAt: createdAt(),
  },
});
export type PostingYearEnd = InferEntity<typeof PostingYearEnd>;

/** 期满联合考核: the three signatures and the joint outcome. */
export const PostingFinalAssessment = defineEntity({
  name: 'PostingFinalAssessment',
  tableName: 'posting_final_assessment',
  properties: {
    posting: () => p.oneToOne(Posting).ref().primary().owner(),
    outcome: p.string().length(20),
    signatures: p.json<FinalSignature[]>(),
    decidedAt: createdAt(),
  },
});
export type PostingFinalAssessment = InferEntity<typeof PostingFinalAssessment>;

/** Notices a posting's workflow has sent, by key, so a retried notifyPosting writes once. */
export const PostingNoticeSent = defineEntity({
  name: 'PostingNoticeSent',
  tableName: 'posting_notice_sent',
  properties: {
    posting: () => p.manyToOne(Posting).ref().primary(),
    key: p.string().length(100).primary(),
    sentAt: createdAt(),
  },
});
export type PostingNoticeSent = InferEntity<typeof PostingNoticeSent>;
