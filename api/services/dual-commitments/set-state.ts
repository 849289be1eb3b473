// Where one organization's dual commitments stand, read from PostgreSQL only: every part of it
// is written by the workflow's activities (gate, review, item status, self-evaluations, scores,
// sign-offs, publication, escalations, reports) or by the API (drafts, feedback),
// so a set's view answers in milliseconds whether or not a worker is up. Same shape as the
// workflow's own status query (DualCommitmentStatus), without its internal revision counter.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CommitmentItemProgress, CommitmentSetVersion, type CommitmentSet } from '../../../domain/entities/commitment.ts';
import {
  commitmentReportDue,
  variantForKind,
  type CommitmentSide,
  type CommitmentVariant,
  type FulfilmentStatus,
} from '../../../domain/dual-commitment/rules.ts';
import type { Gate, SetStatus } from '../../../domain/dual-commitment/state.ts';
import type { CommitmentReportType } from '../../../domain/dual-commitment/contracts.ts';
import { endOfShanghaiDay } from '../../../domain/time.ts';

export interface RecordedReportState {
  /** stored: on file; failed: the cycle could not make it (reason); rendering: the cycle is making it. */
  status: 'rendering' | 'stored' | 'failed';
  sha256: string | null;
  problem: string | null;
}

export interface RecordedSetState {
  setId: string;
  variant: CommitmentVariant;
  gate: Gate;
  setStatus: SetStatus;
  submittedVersion: number | null;
  approvedVersion: number | null;
  items: { key: string; side: CommitmentSide; dueAt: string; filed: FulfilmentStatus | null }[];
  selfEvaluated: CommitmentSide[];
  scored: boolean;
  evaluatorSignedBy: string | null;
  countersignedBy: string | null;
  factualEvaluatedBy: string | null;
  publication: { from: string; to: string; closed: boolean } | null;
  /** `submission@<ISO>`, `item:<key>@<ISO>`, `evaluation@<ISO>`: each escalation as the activity recorded it. */
  escalations: string[];
  reports: Partial<Record<CommitmentReportType, RecordedReportState>>;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** The set's state from its records (one round trip for versions, progress, escalations and report failures each). */
export async function recordedSetState(
  em: EntityManager,
  set: CommitmentSet,
  loaded?: { versions?: CommitmentSetVersion[]; progress?: CommitmentItemProgress[] },
): Promise<RecordedSetState> {
  const variant = variantForKind(set.organization.getEntity().kind);
  const conn = em.getConnection();
  const [versions, progress, escalated, failures] = await Promise.all([
    loaded?.versions ??
      em.find(CommitmentSetVersion, { set: set.id }, { orderBy: { version: 'asc' } }),
    loaded?.progress ??
      em.find(CommitmentItemProgress, { set: set.id }, { orderBy: { itemKey: 'asc' } }),
    conn.execute<{ action: string; item_key: string | null; at: Date }[]>(
      "select action, after->>'itemKey' item_key, at from audit_entry where entity_type = 'commitment_set' and entity_id = ? and action like " +
        "'commitment\\_set.escalate\\_%' order by seq",
      [set.id],
    ),
    conn.execute<{ report: string; reason: string | null }[]>(
      "select after->>'report' report, after->>'reason' reason from audit_entry where entity_type = 'commitment_set' and entity_id = ? and action = " +
        "'commitment_set.report_failed' and after->>'renderKey' is null order by seq",
      [set.id],
    ),
  ]);
  const approved = versions.find((v) => v.version === set.approvedVersion);
  const filed = new Map(progress.map((p) => [p.itemKey, p.status as FulfilmentStatus | null]));
  const submitted = versions.filter((v) => v.status === 'submitted').at(-1);
  const reports: RecordedSetState['reports'] = {};
  const types: CommitmentReportType[] = ['commitment-notice', variant === 'resident_unit' ? 'factual-evaluation' : 'evaluation-record'];
  for (const type of types) {
    if (commitmentReportDue(set, type) !== null) continue;
    const sha256 = type === 'commitment-notice' ? set.noticeSha256 : set.recordSha256;
    const failure = failures.filter((f) => f.report === type).at(-1);
    reports[type] = sha256
      ? { status: 'stored', sha256, problem: null }
      : failure ? { status: 'failed', sha256: null, problem: failure.reason ?? 'unknown' } : { status: 'rendering', sha256: null, problem: null };
  }
  const subject = (action: string) => action.slice('commitment_set.escalate_'.length);
  return {
    setId: set.id,
    variant,
    gate: set.gate as Gate,
    setStatus: set.status as SetStatus,
    submittedVersion: submitted?.version ?? null,
    approvedVersion: set.approvedVersion ?? null,
    items: (approved?.items ?? []).map((item) => ({
      key: item.key,
      side: item.side,
      dueAt: new Date(endOfShanghaiDay(item.deadline)).toISOString(),
      filed: filed.get(item.key) ?? null,
    })),
    selfEvaluated: (['party', 'enterprise'] as const).filter((side) => set.selfEvaluations[side]),
    scored: progress.length > 0 && progress.every((p) => p.score !== null && p.score !== undefined),
    evaluatorSignedBy: variant === 'resident_unit' ? null : (set.evaluatorSignedBy?.id ?? null),
    countersignedBy: set.countersignedBy?.id ?? null,
    factualEvaluatedBy: variant === 'resident_unit' ? (set.evaluatorSignedBy?.id ?? null) : null,
    publication:
      set.publishedFrom && set.publishedTo
        ? { from: iso(set.publishedFrom), to: iso(set.publishedTo), closed: set.publicationClosedAt !== null && set.publicationClosedAt !== undefined }
        : null,
    escalations: escalated.map((e) => (subject(e.action) === 'item' ? `item:${e.item_key}@${iso(e.at)}` : `${subject(e.action)}@${iso(e.at)}`)),
    reports,
  };
}
