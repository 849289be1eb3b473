// What the dual commitments routes answer, for the routes whose schema has no response yet
// (keep in step with api/routes/dual-commitments/index.ts). No imports: the 待办 logic that
// uses these types is unit-tested under Node too (test/web/).
export interface SetSummary {
  id: string;
  year: number;
  cycleId: string;
  organizationId: string;
  organizationName: string;
  gate: string;
  status: string;
  approvedVersion: number | null;
  due: string | null;
}
export interface CommitmentItem {
  key: string;
  side: 'party' | 'enterprise';
  catalogItemCode: string | null;
  title: string;
  content: string;
  target: string;
  indicator: string;
  deadline: string;
  responsiblePerson: { name: string; phone: string | null };
}
export interface SetVersion {
  version: number;
  status: string;
  isChange: boolean;
  items: CommitmentItem[];
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComments: string | null;
}
export interface ItemProgress {
  id: string;
  itemKey: string;
  status: string | null;
  description: string | null;
  reason: string | null;
  evidenceFileId: string | null;
  filedAt: string | null;
  escalatedAt: string | null;
  score: number | null;
}
export interface ReportEntry {
  type: string;
  status: string;
  reason: string | null;
  render: string | null;
  download: string | null;
  sha256: string | null;
  version: number | null;
}
export interface SetView {
  id: string;
  organizationId: string;
  organizationName: string;
  year: number;
  workflowId: string;
  gate: string;
  status: string;
  yourRoles: string[];
  approvedVersion: number | null;
  versions: SetVersion[];
  progress: ItemProgress[];
  publication: { from: string; to: string; closedAt: string | null; noticeSha256: string | null; publicPath: string } | null;
  surveyPath: string | null;
  result: { totalScore: number; grade: string; evaluation: Record<string, unknown> | null; recordSha256: string | null; filedAt: string } | null;
  reports: ReportEntry[];
  due: string | null;
  gateDates: { submissionDeadline: string; publicationDays: number; practiceEnd: string; evaluationStart: string; evaluationEnd: string; itemDeadlines: { from: string; to: string } };
  workflow: {
    variant?: string;
    selfEvaluated?: string[];
    items?: { key: string; side: string; dueAt: string; filed: string | null }[];
    scored?: boolean;
    evaluatorSignedBy?: string | null;
    countersignedBy?: string | null;
    factualEvaluatedBy?: string | null;
    [key: string]: unknown;
  } | null;
}
export interface CycleDashboard {
  id: string;
  year: number;
  start: { total: number; started: number; failed: number; pending: number; done: boolean; failures: { setId: string; organizationId: string; reason: string }[]; retry: string | null };
  perGate: Record<string, number>;
  setStatuses: Record<string, number>;
  overdue: { submissions: { setId: string; organizationId: string; status: string }[]; items: { setId: string; itemKey: string; escalatedAt: string }[] };
  stuck: { setId: string; organizationId: string; gate: string; status: string; since: string }[];
}
