// Records of the dual commitments cycle (双向承诺). One CommitmentSet per organization and
// cycle (its workflow is `dual-commitment/<orgId>/<year>`); every submitted or revised set is
// a CommitmentSetVersion, never overwritten; practice and scores per item live in
// CommitmentItemProgress; feedback and survey answers from public links in CommitmentFeedback.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Cycle } from './cycle.ts';
import { Organization } from './organization.ts';
import { createdAt, updatedAt, uuidKey } from './common.ts';
import type { CommitmentDraft } from '../dual-commitment/rules.ts';
import { clockOf } from '../clock.ts';

export const COMMITMENT_GATES = ['set', 'show', 'practice', 'evaluate', 'filed'] as const;
export const COMMITMENT_SET_STATUSES = ['drafting', 'submitted', 'returned', 'approved'] as const;
export const COMMITMENT_VERSION_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'superseded'] as const;

export interface SelfEvaluation {
  score: number;
  summary: string;
  by: string;
  at: string;
}

export const CommitmentSet = defineEntity({
  name: 'CommitmentSet',
  tableName: 'commitment_set',
  properties: {
    id: uuidKey(),
    cycle: () => p.manyToOne(Cycle).ref().index(),
    organization: () => p.manyToOne(Organization).ref().index(),
    year: p.integer(),
    workflowId: p.string().length(200).unique(),
    /** Set when the workflow was started; null while a large start is still in progress. */
    startedAt: p.datetime().nullable(),
    /** Why the workflow could not be started (kept until a retry starts it). */
    startError: p.text().nullable(),
    gate: p.enum(COMMITMENT_GATES).default('set'),
    gateEnteredAt: p.datetime().onCreate((_entity, em) => clockOf(em).now()),
    status: p.enum(COMMITMENT_SET_STATUSES).default('drafting'),
    latestVersion: p.integer().default(0),
    approvedVersion: p.integer().nullable(),
    /** The instant the submission deadline passed without approval (escalated). */
    escalatedAt: p.datetime().nullable(),
    publishedFrom: p.datetime().nullable(),
    publishedTo: p.datetime().nullable(),
    publicationClosedAt: p.datetime().nullable(),
    noticeSha256: p.string().length(64).nullable(),
    selfEvaluations: p.json<Partial<Record<'party' | 'enterprise', SelfEvaluation>>>().default('{}'),
    evaluatorSignedBy: () => p.manyToOne(Account).ref().nullable(),
    evaluatorSignedAt: p.datetime().nullable(),
    countersignedBy: () => p.manyToOne(Account).ref().nullable(),
    countersignedAt: p.datetime().nullable(),
    totalScore: p.double().nullable(),
    grade: p.string().length(10).nullable(),
    /** The evaluation components and weights as filed. */
    evaluation: p.json<unknown>().nullable(),
    recordSha256: p.string().length(64).nullable(),
    filedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'commitment_set_cycle_org_unique', properties: ['cycle', 'organization'] }],
  indexes: [{ name: 'commitment_set_cycle_gate_idx', properties: ['cycle', 'gate'] }],
});
export type CommitmentSet = InferEntity<typeof CommitmentSet>;

export const CommitmentSetVersion = defineEntity({
  name: 'CommitmentSetVersion',
  tableName: 'commitment_set_version',
  properties: {
    id: uuidKey(),
    set: () => p.manyToOne(CommitmentSet).ref().deleteRule('cascade'),
    version: p.integer(),
    items: p.json<CommitmentDraft[]>(),
    status: p.enum(COMMITMENT_VERSION_STATUSES).default('draft'),
    /** True for a change made during practice (needs re-approval). */
    isChange: p.boolean().default(false),
    savedBy: () => p.manyToOne(Account).ref(),
    submittedBy: () => p.manyToOne(Account).ref().nullable(),
    submittedAt: p.datetime().nullable(),
    reviewedBy: () => p.manyToOne(Account).ref().nullable(),
    reviewedAt: p.datetime().nullable(),
    reviewComments: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'commitment_set_version_unique', properties: ['set', 'version'] }],
});
export type CommitmentSetVersion = InferEntity<typeof CommitmentSetVersion>;

export const FULFILMENT_STATUS_VALUES = ['fulfilled', 'partly', 'not_fulfilled'] as const;

export const CommitmentItemProgress = defineEntity({
  name: 'CommitmentItemProgress',
  tableName: 'commitment_item_progress',
  properties: {
    id: uuidKey(),
    set: () => p.manyToOne(CommitmentSet).ref().deleteRule('cascade'),
    itemKey: p.string().length(100),
    status: p.enum(FULFILMENT_STATUS_VALUES).nullable(),
    description: p.text().nullable(),
    reason: p.text().nullable(),
    evidenceFileId: p.uuid().nullable(),
    filedBy: () => p.manyToOne(Account).ref().nullable(),
    filedAt: p.datetime().nullable(),
    remindedAt: p.datetime().nullable(),
    escalatedAt: p.datetime().nullable(),
    score: p.double().nullable(),
    scoreRemark: p.text().nullable(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'commitment_item_progress_unique', properties: ['set', 'itemKey'] }],
});
export type CommitmentItemProgress = InferEntity<typeof CommitmentItemProgress>;

export const COMMITMENT_FEEDBACK_KINDS = ['supervision', 'satisfaction'] as const;

export const CommitmentFeedback = defineEntity({
  name: 'CommitmentFeedback',
  tableName: 'commitment_feedback',
  properties: {
    id: uuidKey(),
    set: () => p.manyToOne(CommitmentSet).ref().deleteRule('cascade'),
    kind: p.enum(COMMITMENT_FEEDBACK_KINDS),
    body: p.text().nullable(),
    /** Satisfaction 1-5 (survey answers only). */
    rating: p.smallint().nullable(),
    /** SHA-256 of the client address, for rate limiting without keeping the address. */
    clientHash: p.string().length(64),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'commitment_feedback_set_kind_idx', properties: ['set', 'kind', 'createdAt'] }],
});
export type CommitmentFeedback = InferEntity<typeof CommitmentFeedback>;
