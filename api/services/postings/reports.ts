// Reports of the posting cycle. The workflows make the PDFs through the shared report pipeline
// (renderReport on the reports task queue) and file them as ReportFile rows; here they are
// listed and served with the authorization of the records they show, their data shown as JSON
// (reports/data/posting.ts, the same data the PDFs print), and a failed or missing report of a
// posting rendered again on the department's request (never printed on request otherwise).
import type { EntityManager } from '@mikro-orm/postgresql';
import { badRequest, conflictOf, DomainError, forbidden, notFound } from '../../../domain/errors.ts';
import { isRunning, reportEntry, startReportRender, type ReportEntry } from '../reports.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { PostingFinalAssessment, PostingQuarterReview } from '../../../domain/entities/posting-records.ts';
import { ReportFile } from '../../../domain/entities/report-file.ts';
import { postingWorkflowId, quarterWorkflowId, type PostingReportSubject } from '../../../domain/posting/contracts.ts';
import { attendanceSheetData, finalAssessmentData, quarterlyReviewData, yearEndRankingData } from '../../../reports/data/posting.ts';
import { createReportStore } from '../../../reports/store.ts';
import { isAdmin } from '../../../domain/auth/scope.ts';
import { overUnit, postingActor, type PostingCaller } from './access.ts';
import { visibleCohort } from './cohorts.ts';

const ORDER = { orderBy: { type: 'asc', createdAt: 'asc', version: 'asc' } } as const;

const listed = (rows: ReportFile[]) =>
  rows.map((r) => ({
    id: r.id,
    type: r.type,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    version: r.version,
    sha256: r.sha256,
    bytes: r.bytes,
    pages: r.pages,
    createdAt: new Date(r.createdAt).toISOString(),
    download: `/postings/report-files/${r.id}`,
  }));

/** A posting's reports that are due (a finished quarterly review, a signed joint assessment). */
async function dueSubjects(em: EntityManager, postingId: string): Promise<PostingReportSubject[]> {
  const quarters = await em.find(PostingQuarterReview, { posting: postingId }, { orderBy: { quarter: 'asc' } });
  const subjects = quarters.map((q): PostingReportSubject => ({ subjectType: 'posting', subjectId: postingId, type: 'quarterly-review', quarter: q.quarter }));
  const signed = await em.findOne(PostingFinalAssessment, { posting: postingId });
  if (signed) subjects.push({ subjectType: 'posting', subjectId: postingId, type: 'final-assessment' });
  return subjects;
}

/** The workflow that makes the report in the cycle (the quarter's child, or the posting's own) still runs: it is making it. */
const cycleMakes = (caller: PostingCaller, subject: PostingReportSubject) => () => {
  const maker = subject.type === 'quarterly-review' ? quarterWorkflowId(subject.subjectId, subject.quarter) : postingWorkflowId(subject.subjectId);
  return isRunning(caller.services.temporal, maker);
};

const renderPath = (subject: PostingReportSubject) =>
  `/postings/${subject.subjectId}/reports/${subject.type}/render${subject.type === 'quarterly-review' ? `?quarter=${subject.quarter}` : ''}`;

/** What the posting's view shows about each report that is due, with its state. */
export async function postingReports(caller: PostingCaller, postingId: string) {
  const entries: (Omit<ReportEntry, 'failedAt'> & { failedAt: string | null })[] = [];
  for (const subject of await dueSubjects(caller.em, postingId)) {
    const download = (state: { filed: { reportFileId: string | null } | null }) => `/postings/report-files/${state.filed!.reportFileId}`;
    const links = { download, render: renderPath(subject) };
    const entry = await reportEntry(caller.em, caller.services.temporal, subject, links, cycleMakes(caller, subject));
    entries.push({ ...entry, failedAt: entry.failedAt ? new Date(entry.failedAt).toISOString() : null });
  }
  return entries;
}

/** 月度考勤表 data of one street the caller holds a unit role over. */
export async function attendanceSheet(caller: PostingCaller, query: { streetId: string; month: string; cohortId?: string }) {
  const street = await caller.em.findOne(AdministrativeUnit, { id: query.streetId });
  if (!street || !overUnit(caller.principal, street.path)) throw notFound('street');
  const data = await attendanceSheetData(caller.em, street.id, query.month, query.cohortId);
  if (!data) throw notFound('postings in that street and month');
  return data;
}

export async function quarterlyReview(caller: PostingCaller, postingId: string, quarter: number) {
  const { posting } = await postingActor(caller, postingId);
  const data = await quarterlyReviewData(caller.em, posting.id, quarter);
  if (!data) throw notFound('finished quarterly review');
  return data;
}

export async function finalAssessmentForm(caller: PostingCaller, postingId: string) {
  const { posting } = await postingActor(caller, postingId);
  const data = await finalAssessmentData(caller.em, posting.id);
  if (!data) throw notFound('signed joint assessment');
  return data;
}

export async function yearEndRanking(caller: PostingCaller, cohortId: string) {
  const cohort = await visibleCohort(caller, cohortId, ['org_department']);
  const data = await yearEndRankingData(caller.em, cohort.id);
  if (!data) throw notFound('ranked cohort');
  return data;
}

export async function postingReportFiles(caller: PostingCaller, postingId: string) {
  const { posting } = await postingActor(caller, postingId);
  return { reports: listed(await caller.em.find(ReportFile, { subjectType: 'posting', subjectId: posting.id }, ORDER)) };
}

/** A cohort's files: a street committee sees its own streets' sheets; the ranking is for the department over the region. */
export async function cohortReportFiles(caller: PostingCaller, cohortId: string, query: { type?: string; month?: string }) {
  const { em, principal } = caller;
  const cohort = await visibleCohort(caller, cohortId);
  const ofCohort = { cycleId: cohort.id, subjectType: { $in: ['unit', 'posting_cohort'] }, ...(query.type ? { type: query.type } : {}) };
  const rows = await em.find(ReportFile, ofCohort, ORDER);
  const streetIds = rows.filter((r) => r.subjectType === 'unit').map((r) => r.subjectId);
  const streets = new Map((await em.find(AdministrativeUnit, { id: { $in: streetIds } })).map((u) => [u.id, u.path]));
  const regionDept = overUnit(principal, cohort.region.getEntity().path, ['org_department']);
  const visible = rows.filter((r) => (r.subjectType === 'posting_cohort' ? regionDept : overUnit(principal, streets.get(r.subjectId) ?? '\u0000')));
  const month = query.month;
  return { reports: listed(month ? visible.filter((r) => r.type !== 'attendance-sheet' || (r.requestKey ?? '').endsWith(`/${month}`)) : visible) };
}

/** A filed PDF, when the caller may see the record it shows; "report not found" otherwise (never "posting not found"). */
export async function reportFile(caller: PostingCaller, fileId: string): Promise<{ pdf: Buffer; sha256: string; name: string }> {
  const { em, principal } = caller;
  const file = await em.findOne(ReportFile, { id: fileId, subjectType: { $in: ['posting', 'unit', 'posting_cohort'] } });
  if (!file) throw notFound('report');
  if (file.subjectType === 'posting') {
    await postingActor(caller, file.subjectId).catch((error: unknown) => {
      throw error instanceof DomainError && error.kind === 'not_found' ? notFound('report') : error;
    });
  } else if (file.subjectType === 'unit') {
    const street = await em.findOne(AdministrativeUnit, { id: file.subjectId });
    if (!street || !overUnit(principal, street.path, ['org_department', 'street_committee'])) throw notFound('report');
  } else {
    await visibleCohort(caller, file.subjectId, ['org_department']).catch((error: unknown) => {
      throw error instanceof DomainError && error.kind === 'not_found' ? notFound('report') : error;
    });
  }
  const pdf = await createReportStore({ dataDir: caller.services.config.DATA_DIR }).read(file.sha256);
  return { pdf, sha256: file.sha256, name: `${file.type}-v${file.version}.pdf` };
}

/**
 * Renders a failed or missing report of a posting again, for the organization department over
 * it: 409 not_ready before the report is due (quarter not signed off, joint assessment not signed).
 */
export async function renderPostingReportAgain(caller: PostingCaller, postingId: string, type: PostingReportSubject['type'], quarter: number | undefined) {
  const { posting, actor } = await postingActor(caller, postingId);
  if (!isAdmin(caller.principal) && !actor.roles.includes('org_department')) {
    throw forbidden('reports are rendered again by the organization department over this posting', 'wrong_role');
  }
  if (type === 'quarterly-review' && quarter === undefined) {
    throw badRequest('which quarter?', [{ field: 'querystring.quarter', rule: 'is required for a quarterly-review (1-8)' }]);
  }
  const subject: PostingReportSubject =
    type === 'quarterly-review'
      ? { subjectType: 'posting', subjectId: posting.id, type, quarter: quarter! }
      : { subjectType: 'posting', subjectId: posting.id, type };
  const due = (await dueSubjects(caller.em, posting.id)).some((s) => s.type === subject.type && (s.type !== 'quarterly-review' || s.quarter === quarter));
  if (!due) {
    const phase = posting.phase;
    throw conflictOf(
      'not_ready',
      type === 'quarterly-review'
        ? `quarter ${quarter} of this posting has not been signed off yet (phase ${phase}): there is no quarterly report to render`
        : `the joint final assessment of this posting is not signed yet (phase ${phase}): there is no form to render`,
    );
  }
  return startReportRender(caller.em, caller.services.temporal, caller.services.config.TEMPORAL_TASK_QUEUE, {
    subject,
    requestedBy: { accountId: actor.accountId, label: caller.principal.login },
    cycleRendering: cycleMakes(caller, subject),
    download: `/postings/${posting.id}/reports`,
    statusPath: `/postings/${posting.id}`,
  });
}
