// What the dual commitments workflow (双向承诺 and 四双) exchanges with the API and its
// activities: the workflow ID and type, its input and result, the status its query answers,
// the updates people act through, the kinds of the set's public links and reports. The names
// of the workflow type, updates and query are part of every recorded history: never rename.
// Deterministic and free of I/O (the workflow bundle imports it).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommitmentSide, CommitmentVariant, FulfilmentStatus, GatePlan } from './rules.ts';
import type { Actor, DualCommitmentState, ItemSummary } from './state.ts';

/** The workflow type, as the API starts it. */
export const DUAL_COMMITMENT_WORKFLOW = 'dualCommitment';

/** One organization's cycle of one year: a second start is a conflict, not a duplicate. */
export const dualCommitmentWorkflowId = (organizationId: string, year: number) => `dual-commitment/${organizationId}/${year}`;

export interface DualCommitmentInput {
  setId: string;
  cycleId: string;
  organizationId: string;
  year: number;
  plan: GatePlan;
  /** Absent: enterprise (双向承诺). 'resident_unit': 四双 with a 写实评价. */
  variant?: CommitmentVariant;
}

export interface DualCommitmentResult {
  outcome: 'filed' | 'never_approved';
  totalScore: number | null;
  grade: string | null;
  recordSha256: string | null;
}

/** 承诺公示, 评诺备案表, and for a resident unit the 写实评价. */
export const COMMITMENT_REPORT_TYPES = ['commitment-notice', 'evaluation-record', 'factual-evaluation'] as const;
export type CommitmentReportType = (typeof COMMITMENT_REPORT_TYPES)[number];

export interface ReportStatus {
  /** stored: on file; failed: the cycle could not make it (reason); rendering: the cycle is making it. */
  status: 'rendering' | 'stored' | 'failed';
  sha256: string | null;
  problem: string | null;
}

export interface DualCommitmentStatus extends DualCommitmentState {
  setId: string;
  publication: { from: string; to: string; closed: boolean } | null;
  escalations: string[];
  reports: Partial<Record<CommitmentReportType, ReportStatus>>;
}

/** Purposes of the set's access links: the public page (亮诺) and the staff survey (评诺). */
export const PUBLIC_COMMITMENTS = 'public_commitments';
export const STAFF_SURVEY = 'staff_survey';

/** 四双: the unit's superior Party organization, where the 写实评价 is sent. */
export interface SuperiorOrganization {
  name: string;
  contact: string | null;
}

/** What the set's `evaluation` column holds in the 四双 variant. */
export interface FactualEvaluationRecord {
  variant: 'resident_unit';
  text: string;
  itemStatuses: { itemKey: string; status: FulfilmentStatus }[];
  by: string;
  byLogin: string;
  at: string;
  superior: SuperiorOrganization | null;
  sentAt?: string;
}

export const submitCommitmentSet = defineUpdate<DualCommitmentStatus, [{ actor: Actor; version: number; items: ItemSummary[] }]>('submitCommitmentSet');
export const reviewCommitmentSet = defineUpdate<DualCommitmentStatus, [{ actor: Actor; version: number; decision: 'approve' | 'return'; comments: string }]>(
  'reviewCommitmentSet',
);
/** 践诺: what a side files about one approved commitment (the evidence uploaded before). */
export interface ItemStatusFiling {
  actor: Actor;
  itemKey: string;
  status: FulfilmentStatus;
  description: string;
  reason: string | null;
  evidenceFileId: string | null;
}
/** The evaluator's score of one approved commitment, 0-100. */
export interface ItemScore {
  itemKey: string;
  score: number;
  remark: string | null;
}

// Histories recorded before the filings were carried by the updates hold only the actor, the
// item and the status: their records were written by the API (see FILINGS_RECORDED).
export const fileItemStatus = defineUpdate<DualCommitmentStatus, [ItemStatusFiling]>('fileItemStatus');
export const submitSelfEvaluation = defineUpdate<DualCommitmentStatus, [{ actor: Actor; side: CommitmentSide; score: number; summary: string }]>('submitSelfEvaluation');
export const scoreCommitments = defineUpdate<DualCommitmentStatus, [{ actor: Actor; scores: ItemScore[] }]>('scoreCommitments');
export const signOffEvaluation = defineUpdate<DualCommitmentStatus, [{ actor: Actor }]>('signOffEvaluation');
export const writeFactualEvaluation = defineUpdate<
  DualCommitmentStatus,
  [{ actor: Actor; text: string; itemStatuses?: { itemKey: string; status: FulfilmentStatus }[]; superior?: SuperiorOrganization | null }]
>('writeFactualEvaluation');
export const countersignEvaluation = defineUpdate<DualCommitmentStatus, [{ actor: Actor }]>('countersignEvaluation');
export const dualCommitmentStatus = defineQuery<DualCommitmentStatus>('dualCommitmentStatus');
