// Every entity the ORM knows, listed explicitly (no folder discovery): add new ones here.
import { SystemSetting } from './system-setting.ts';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Organization } from './organization.ts';
import { Person } from './person.ts';
import { Account } from './account.ts';
import { RoleAssignment } from './role-assignment.ts';
import { ApiToken } from './api-token.ts';
import { RefreshToken } from './refresh-token.ts';
import { EvaluatorAssignment } from './evaluator-assignment.ts';
import { CatalogVersion } from './catalog-version.ts';
import { Cycle } from './cycle.ts';
import { Posting } from './posting.ts';
import { PostingCohort } from './posting-cohort.ts';
import { PostingAbsence } from './posting-absence.ts';
import {
  PostingCheckIn,
  PostingFinalAssessment,
  PostingGuarantee,
  PostingHeadVisit,
  PostingMonth,
  PostingNoticeSent,
  PostingQuarterProgress,
  PostingQuarterReview,
  PostingResidentRating,
  PostingYearEnd,
} from './posting-records.ts';
import { EvidenceFile, EvidenceVersion } from './evidence.ts';
import { Notification } from './notification.ts';
import { AuditCheckpoint, AuditEntry } from './audit-entry.ts';
import { AccessLink } from './access-link.ts';
import { ImportJob } from './import-job.ts';
import { StarEnrolment, StarMove, StarRound } from './star-rating.ts';
import { StarIncentiveGrant, StarPublicObjection, StarTrackingEvent } from './star-tracking.ts';
import { CommitmentFeedback, CommitmentItemProgress, CommitmentSet, CommitmentSetVersion } from './commitment.ts';
import { ReportFile } from './report-file.ts';

export const entities = [
  SystemSetting,
  AdministrativeUnit,
  Organization,
  Person,
  Account,
  RoleAssignment,
  ApiToken,
  RefreshToken,
  EvaluatorAssignment,
  CatalogVersion,
  Cycle,
  Posting,
  PostingCohort,
  PostingAbsence,
  PostingGuarantee,
  PostingCheckIn,
  PostingMonth,
  PostingHeadVisit,
  PostingQuarterReview,
  PostingQuarterProgress,
  PostingResidentRating,
  PostingYearEnd,
  PostingFinalAssessment,
  PostingNoticeSent,
  EvidenceFile,
  EvidenceVersion,
  Notification,
  AuditEntry,
  AuditCheckpoint,
  AccessLink,
  ImportJob,
  CommitmentSet,
  CommitmentSetVersion,
  CommitmentItemProgress,
  CommitmentFeedback,
  StarEnrolment,
  StarRound,
  StarMove,
  StarTrackingEvent,
  StarPublicObjection,
  StarIncentiveGrant,
  ReportFile,
];
