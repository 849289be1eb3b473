// What a signed-in person has to do on each commitment set, by role, gate and state. The API
// and the workflow decide what is allowed; this only picks what to offer first.
import type { SetSummary, SetView } from '../../api/dual-commitments-types.ts';
import type { RatingRow } from '../../api/star-ratings-types.ts';
import { todoText as t } from '../../messages/todo.ts';
import { serviceNow } from '../../sandbox.ts';

export interface Task {
  setId: string;
  organizationName: string;
  gate: string;
  label: string;
  due: string | null;
  /** The tab of the set page to open. */
  tab: string;
  /** Where the task is done when it is not a commitment set's (a star rating's page). */
  link?: string;
}

const ENTERPRISE = ['enterprise_rep', 'enterprise_party_org'];
const REVIEWERS = ['community_committee', 'street_committee'];

/** Sets whose details decide whether there is a task (practice and evaluation gates). */
export function needsDetail(set: SetSummary, roles: Set<string>): boolean {
  if (set.gate === 'show' || set.gate === 'practice') return ENTERPRISE.some((r) => roles.has(r)) || REVIEWERS.some((r) => roles.has(r));
  if (set.gate === 'evaluate') return true;
  return false;
}

export function tasksOf(set: SetSummary, roles: Set<string>, detail: SetView | null): Task[] {
  const out: Task[] = [];
  const task = (label: string, tab: string, due = set.due) => out.push({ setId: set.id, organizationName: set.organizationName, gate: set.gate, label, due, tab });
  const mine = detail?.yourRoles ?? [...roles];
  const enterprise = mine.some((r) => ENTERPRISE.includes(r));
  const reviewer = mine.some((r) => REVIEWERS.includes(r));
  const resident = detail?.workflow?.variant === 'resident_unit';
  if (set.gate === 'set') {
    if (enterprise && set.status === 'drafting') task(t.draft, 'draft');
    if (enterprise && set.status === 'returned') task(t.revise, 'draft');
    if (reviewer && set.status === 'submitted') task(t.review, 'review');
  }
  // Commitments are carried out from their publication on (亮诺 and 践诺).
  if ((set.gate === 'show' || set.gate === 'practice') && detail) {
    const sides = new Set<string>();
    if (mine.includes('enterprise_party_org') || (resident && reviewer)) sides.add('party');
    if (mine.includes('enterprise_rep')) sides.add('enterprise');
    const open = (detail.workflow?.items ?? []).filter((i) => sides.has(i.side) && !i.filed).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    if (open.length) task(`${t.fileStatus}（${open.length} 项）`, 'practice', open[0]!.dueAt.slice(0, 10));
  }
  if (set.gate === 'evaluate' && detail) {
    const wf = detail.workflow;
    const done = new Set(wf?.selfEvaluated ?? []);
    if (!resident && mine.includes('enterprise_party_org') && !done.has('party')) task(t.selfEvaluate, 'evaluate');
    if (!resident && mine.includes('enterprise_rep') && !done.has('enterprise')) task(t.selfEvaluate, 'evaluate');
    if (!resident && mine.includes('evaluator') && !wf?.evaluatorSignedBy) task(wf?.scored ? t.signOff : t.score, 'evaluate');
    if (resident && reviewer && !wf?.factualEvaluatedBy) task(t.factual, 'evaluate');
    const ready = resident ? Boolean(wf?.factualEvaluatedBy) : Boolean(wf?.evaluatorSignedBy);
    if (mine.includes('org_department') && ready && !wf?.countersignedBy) task(t.countersign, 'evaluate');
  }
  return out;
}

/**
 * What a signed-in person has to do on one organization's star rating (星级评定), by role and
 * phase, from the list row (GET /star-ratings/organizations): the workflow decides what is allowed.
 */
export function starTasksOf(row: RatingRow, roles: Set<string>): Task[] {
  if (row.ended || !row.phase) return [];
  const out: Task[] = [];
  const task = (label: string, tab: string, due = row.due) =>
    out.push({ setId: row.organizationId, organizationName: row.name, gate: t.star, label, due, tab, link: `/stars/${row.organizationId}?tab=${tab}` });
  const has = (...r: string[]) => r.some((x) => roles.has(x));
  if (has(...ENTERPRISE)) {
    if (row.phase === 'self_assessment') task(row.preliminary === 'return' ? t.starRevise : t.starSelf, 'self');
    if (row.openEvidenceRequests > 0) task(`${t.starEvidence}（${row.openEvidenceRequests} 项）`, 'self');
    if (row.phase === 'review_self_report' && !row.selfReported) task(t.starSelfReport, 'self');
  }
  if (has(...REVIEWERS) && row.phase === 'preliminary_review') task(t.starPreliminary, 'preliminary');
  if (has('evaluator') && row.phase === 'scoring' && !row.scoresSubmitted) task(t.starScore, 'score');
  if (has('org_department')) {
    if (row.phase === 'approval') task(t.starApprove, 'decide');
    if (row.openObjections > 0) task(`${t.starObjections}（${row.openObjections} 条）`, 'decide');
    if (row.pendingReviews > 0) task(t.starReview, 'reviews');
  }
  return out;
}

/** Whole days from today (Shanghai) to a date; negative when overdue. */
export function daysUntil(date: string, now = new Date(serviceNow())): number {
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return Math.round((Date.parse(date.slice(0, 10)) - Date.parse(today)) / 86_400_000);
}

/** What a posting's page shows that decides the tasks (api/postings.ts PostingView, the fields read here). */
export interface PostingForTasks {
  id: string;
  secretary: string;
  community: string;
  phase: string;
  openQuarters: { quarter: number; stage: string; workReportDueAt: number; scoringDueAt: number | null }[];
  status: { yearEnd: { self: unknown; organization: unknown }; missingFinalSigners: string[] } | null;
}

const dayOf = (ms: number | null) => (ms == null ? null : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10));

/**
 * A first-secretary posting's tasks for the caller's roles: the dispatching unit's guarantees,
 * the secretary's check-in, 晒绩 and self-assessment, the community's check-ins to confirm
 * (`pendingCheckIns`), the street's quarterly score, the department's organization rating,
 * and each side's signature of the joint final assessment.
 */
export function postingTasksOf(
  p: PostingForTasks,
  roles: Set<string>,
  extra: { pendingCheckIns?: number; checkedInToday?: boolean; today?: string; pendingAbsences?: number } = {},
): Task[] {
  const out: Task[] = [];
  const task = (label: string, tab: string, due: string | null = null, to = `/first-secretaries/${p.id}?tab=${tab}`) =>
    out.push({ setId: p.id, organizationName: `${p.community} · 第一书记 ${p.secretary}`, gate: '第一书记', label, due, tab, link: to });
  const underWay = ['active', 'year_end', 'awaiting_ranking', 'final_assessment'].includes(p.phase);
  if (roles.has('dispatching_unit') && p.phase === 'awaiting_guarantees') task(t.postingGuarantees, 'guarantees');
  if (roles.has('first_secretary') && underWay && extra.checkedInToday === false) task(t.postingCheckIn, 'attendance', extra.today ?? null, '/m/posting');
  for (const q of p.openQuarters) {
    if (roles.has('first_secretary') && q.stage === 'work_report') task(t.postingWorkReport(q.quarter), 'quarters', dayOf(q.workReportDueAt));
    if (roles.has('street_committee') && q.stage === 'scoring') task(t.postingScore(q.quarter), 'quarters', dayOf(q.scoringDueAt));
  }
  if (roles.has('community_committee') && (extra.pendingCheckIns ?? 0) > 0) task(t.postingConfirm(extra.pendingCheckIns!), 'attendance');
  if (roles.has('street_committee') && (extra.pendingAbsences ?? 0) > 0) task(t.postingAbsences(extra.pendingAbsences!), 'absences');
  if (p.phase === 'year_end' && p.status) {
    if (roles.has('first_secretary') && !p.status.yearEnd.self) task(t.postingSelf, 'yearEnd');
    if (roles.has('org_department') && !p.status.yearEnd.organization) task(t.postingOrganization, 'yearEnd');
  }
  if (p.phase === 'final_assessment') {
    for (const signer of p.status?.missingFinalSigners ?? []) if (roles.has(signer)) task(t.postingSign, 'final');
  }
  return out;
}
