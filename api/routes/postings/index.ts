// First-secretary postings over HTTP (第一书记). The API writes what people filed (check-ins,
// visits, guarantees, ratings), then tells the posting's workflow through an update; a refused
// update answers 403 (wrong role), 400 (invalid) or 409 (already signed, not open) with the
// workflow's reason. Callers see only postings they hold a role over (404 otherwise).
// PDFs are made by the workflows through the shared report pipeline (renderReport on the
// reports task queue) and filed as ReportFile rows; these routes list and serve the filed
// files with the authorization of the records they show, and never print on request.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import Type from 'typebox';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { ApiError, DomainError, badRequest, conflict, notFound } from '../../errors.ts';
import { takeUpdate, tellWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import { initialPostingStatus } from '../../../domain/posting/state.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { isAdmin } from '../../../domain/auth/scope.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingCohort } from '../../../domain/entities/posting-cohort.ts';
import { PostingCheckIn, PostingGuarantee, PostingHeadVisit, PostingResidentRating, PostingYearEnd } from '../../../domain/entities/posting-records.ts';
import { postingEndDate } from '../../../domain/posting/calendar.ts';
import { checkInDayRefusal, overlappingPostings, postingDays, resolveCohortSettings, FINAL_DECISIONS, FINAL_SIGNERS, type Actor } from '../../../domain/posting/rules.ts';
import { postingWorkflowId, quarterWorkflowId, type PostingStatus, type PostingWorkflowInput, cohortWorkflowId, type PostingCohortInput } from '../../../domain/posting/contracts.ts';
import { RESIDENT_SURVEY } from '../../../domain/posting/contracts.ts';
import { attendanceSheetData, finalAssessmentData, quarterlyReviewData, yearEndRankingData } from './reports.ts';
import { ReportFile } from '../../../domain/entities/report-file.ts';
import { createReportStore } from '../../../reports/store.ts';
import { PostingFinalAssessment, PostingQuarterProgress, PostingQuarterReview } from '../../../domain/entities/posting-records.ts';
import type { ReportSubject } from '../../../activities/report-render.ts';
import { changeWithAudit } from '../../audited.ts';
import { PUBLIC_LINK_ACTOR, type AuditActor } from '../../../domain/audit/record.ts';
import { isRunning, reportEntry, startReportRender, type ReportEntry } from '../../report-render.ts';
import { isDateString, shanghaiDate } from '../../../domain/time.ts';

const tags = ['postings'];
const POSTING_ROLES: Role[] = ['org_department', 'street_committee', 'community_committee', 'first_secretary', 'dispatching_unit', 'admin'];
const PostingParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const QuarterParams = Type.Object({ id: Type.String({ format: 'uuid' }), quarter: Type.Integer({ minimum: 1, maximum: 8 }) });
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Score = Type.Number({ minimum: 0, maximum: 100 });

/** The roles the caller holds over a posting, as the workflow's validators see them. */
async function actorFor(request: FastifyRequest, postingId: string): Promise<{ em: EntityManager; posting: Posting; actor: Actor }> {
  const em = emOf(request);
  const principal = principalOf(request);
  const posting = await em.findOne(Posting, { id: postingId }, { populate: ['community', 'person', 'dispatchingOrganization'] });
  if (!posting) throw notFound('posting');
  const path = posting.community.getEntity().path;
  const roles = new Set<Role>();
  for (const g of principal.grants) {
    if (g.role === 'first_secretary') {
      if (principal.personId === posting.person.id) roles.add('first_secretary');
    } else if (g.organizationId && g.organizationId === posting.dispatchingOrganization.id) roles.add(g.role);
    else if (g.unitPath && path.startsWith(g.unitPath)) roles.add(g.role);
  }
  const admin = isAdmin(principal);
  if (roles.size === 0 && !admin) throw notFound('posting');
  return { em, posting, actor: { accountId: principal.accountId, name: principal.displayName, roles: [...roles] } };
}

/**
 * A day in the community counts only inside a posting that has begun, and not ahead of today
 * (Asia/Shanghai, by this service's clock): 409 before the posting began or once cancelled,
 * 400 naming the date otherwise.
 */
function refuseCheckInDay(posting: Posting, date: string, field: string): void {
  if (posting.phase === 'cancelled') throw new ApiError(409, 'not_open', 'the posting was cancelled before it began; it has no days in the community');
  if (posting.phase === 'awaiting_guarantees' || posting.phase === 'awaiting_start') {
    throw new ApiError(409, 'not_open', `the posting has not begun (${posting.phase === 'awaiting_guarantees' ? 'it waits for the dispatching unit’s guarantees' : `it begins on ${posting.startsOn}`}); days count from its start`);
  }
  const refusal = checkInDayRefusal(date, postingDays(posting), shanghaiDate(Date.now()));
  if (refusal) throw badRequest(`${date} cannot be counted as a day in the community`, [{ field, rule: refusal }]);
}

/**
 * One person, one posting at a time: a posting overlapping another of the same person (in this
 * cohort or an earlier one not cancelled) is refused with 409 naming the entry. Run inside the
 * creating transaction, under a lock per person, so two cohorts created at once cannot both
 * post the same secretary.
 */
async function refuseOverlappingPostings(tx: EntityManager, people: Person[], startsOn: string, lengthMonths: number): Promise<void> {
  for (const id of [...new Set(people.map((p) => p.id))].sort()) await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`posting-person:${id}`]);
  const spans = new Map<string, { id: string; from: string; to: string }[]>();
  const existing = await tx.find(Posting, { person: { $in: people.map((p) => p.id) }, phase: { $ne: 'cancelled' } }, { orderBy: { startsOn: 'asc' }, refresh: true });
  for (const row of existing) spans.set(row.person.id, [...(spans.get(row.person.id) ?? []), { id: row.id, from: String(row.startsOn), to: String(row.endsOn) }]);
  const endsOn = postingEndDate(startsOn, lengthMonths);
  const overlaps: { field: string; rule: string }[] = [];
  people.forEach((person, i) => {
    const clash = overlappingPostings(spans.get(person.id) ?? [], startsOn, lengthMonths)[0];
    if (clash) overlaps.push({ field: `body.postings.${i}.personId`, rule: clash.id === 'this request' ? `${person.name} appears twice in this cohort` : `${person.name} is already posted from ${clash.from} to ${clash.to} (posting ${clash.id})` });
    spans.set(person.id, [...(spans.get(person.id) ?? []), { id: 'this request', from: startsOn, to: endsOn }]);
  });
  if (overlaps.length) throw conflict('a first secretary cannot hold two postings at the same time', overlaps);
}

/** Who wrote a change, for the audit log. */
const auditActorOf = (request: FastifyRequest): AuditActor => ({ accountId: principalOf(request).accountId, label: principalOf(request).login });

type PostingReportSubject = ReportSubject & { subjectType: 'posting' };

const needRole = (actor: Actor, role: Role, what: string) => {
  if (!actor.roles.includes(role)) throw new ApiError(403, 'wrong_role', `${what} needs the role ${role} over this posting`);
};

/** Runs an update; a refusal becomes 403/400/409, and a posting or quarter whose workflow is not
 * running (finished, cancelled, or not started yet) answers 409 not_open. */
function tellPosting<T>(run: () => Promise<T>): Promise<T> {
  return tellWorkflow(run, async (error) =>
    error instanceof WorkflowNotFoundError ? new ApiError(409, 'not_open', 'that workflow is not running (finished, or not started yet)') : undefined,
  );
}

export const postingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const postingHandle = (id: string): WorkflowHandle => temporal.workflow.getHandle(postingWorkflowId(id));
  const store = createReportStore({ dataDir: config.DATA_DIR });
  const adminCalls = (request: FastifyRequest) => isAdmin(principalOf(request));
  /** A street (or cohort region) the caller holds a unit role over. */
  const overUnit = (request: FastifyRequest, path: string, roles?: Role[]) =>
    adminCalls(request) || principalOf(request).grants.some((g) => g.unitPath && path.startsWith(g.unitPath) && (!roles || roles.includes(g.role)));
  const listed = (rows: ReportFile[]) =>
    rows.map((r) => ({ id: r.id, type: r.type, subjectType: r.subjectType, subjectId: r.subjectId, version: r.version, sha256: r.sha256, bytes: r.bytes, pages: r.pages, createdAt: r.createdAt, download: `/postings/report-files/${r.id}` }));
  /** A posting's reports that are due (a finished quarterly review, a signed joint assessment), with their state. */
  const postingReportSubjects = async (em: EntityManager, postingId: string): Promise<PostingReportSubject[]> => {
    const quarters = await em.find(PostingQuarterReview, { posting: postingId }, { orderBy: { quarter: 'asc' } });
    const subjects: PostingReportSubject[] = quarters.map((q) => ({ subjectType: 'posting', subjectId: postingId, type: 'quarterly-review', quarter: q.quarter }));
    if (await em.findOne(PostingFinalAssessment, { posting: postingId })) subjects.push({ subjectType: 'posting', subjectId: postingId, type: 'final-assessment' });
    return subjects;
  };
  /** The workflow that makes the report in the cycle (the quarter's child, or the posting's own) still runs: it is making it. */
  const cycleMakes = (subject: PostingReportSubject) => () =>
    isRunning(temporal, subject.type === 'quarterly-review' ? quarterWorkflowId(subject.subjectId, subject.quarter) : postingWorkflowId(subject.subjectId));
  const renderPath = (subject: PostingReportSubject) => `/postings/${subject.subjectId}/reports/${subject.type}/render${subject.type === 'quarterly-review' ? `?quarter=${subject.quarter}` : ''}`;
  const postingReports = async (em: EntityManager, postingId: string): Promise<ReportEntry[]> => {
    const entries: ReportEntry[] = [];
    for (const subject of await postingReportSubjects(em, postingId)) {
      entries.push(await reportEntry(em, temporal, subject, { download: (state) => `/postings/report-files/${state.filed!.reportFileId}`, render: renderPath(subject) }, cycleMakes(subject)));
    }
    return entries;
  };
  const ReportList = Type.Object({ reports: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), subjectType: Type.String(), subjectId: Type.String(), version: Type.Integer(), sha256: Type.String(), bytes: Type.Number(), pages: Type.Integer(), createdAt: Type.Unknown(), download: Type.String() })) });

  app.post('/postings/cohorts', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Create a cohort of first-secretary postings and start one workflow per posting (posting/<id>)',
      description: 'Settings default to the Dafang rules: 12 months, 22 days a month (capped at the working days of the month), insurance >= 1,000,000 yuan, work funds >= 10,000 yuan. Each posting waits until its dispatching unit’s guarantees are on record.',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }),
        regionUnitId: Type.String({ format: 'uuid' }),
        startsOn: DateString,
        settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        postings: Type.Array(
          Type.Object({
            personId: Type.String({ format: 'uuid' }),
            communityId: Type.String({ format: 'uuid' }),
            dispatchingOrganizationId: Type.String({ format: 'uuid' }),
            originalPosition: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          { minItems: 1, maxItems: 1000 },
        ),
      }),
    },
  }, async (request, reply) => {
    const em = emOf(request);
    const principal = principalOf(request);
    const body = request.body;
    if (!isDateString(body.startsOn)) throw badRequest('startsOn is not a date', [{ field: 'body.startsOn', rule: 'YYYY-MM-DD calendar date' }]);
    const { settings, problems } = resolveCohortSettings(body.settings as never);
    if (problems.length) throw badRequest('the cohort settings are invalid', problems.map((p) => ({ field: `body.settings.${p.path}`, rule: p.message })));
    const region = await em.findOne(AdministrativeUnit, { id: body.regionUnitId });
    const admin = isAdmin(principal);
    const inRegion = (path: string) => admin || principal.grants.some((g) => g.role === 'org_department' && g.unitPath && path.startsWith(g.unitPath));
    if (!region || !inRegion(region.path)) throw notFound('unit');
    const chosen: { person: Person; community: AdministrativeUnit; org: Organization; originalPosition: string | null }[] = [];
    for (const [i, p] of body.postings.entries()) {
      const [person, community, org] = await Promise.all([
        em.findOne(Person, { id: p.personId }),
        em.findOne(AdministrativeUnit, { id: p.communityId, level: 'community' }),
        em.findOne(Organization, { id: p.dispatchingOrganizationId }),
      ]);
      const field = `body.postings.${i}`;
      if (!person) throw badRequest('unknown person', [{ field: `${field}.personId`, rule: 'an existing person' }]);
      if (!community || !community.path.startsWith(region.path)) throw badRequest('unknown community', [{ field: `${field}.communityId`, rule: 'a community inside the region' }]);
      if (!org) throw badRequest('unknown dispatching unit', [{ field: `${field}.dispatchingOrganizationId`, rule: 'an existing organization' }]);
      chosen.push({ person, community, org, originalPosition: p.originalPosition ?? null });
    }
    // The cohort, its postings and the audit row commit together; the workflows start after.
    const { cohort, postings } = await changeWithAudit(
      em,
      auditActorOf(request),
      (created) => ({
        action: 'posting_cohort.create',
        entityType: 'posting_cohort',
        entityId: created.cohort.id,
        after: { name: body.name, regionUnitId: region.id, startsOn: body.startsOn, settings, postings: created.postings.map((p) => ({ id: p.id, personId: p.person.id, communityId: p.community.id, dispatchingOrganizationId: p.dispatchingOrganization.id })) },
      }),
      async (tx: EntityManager) => {
        await refuseOverlappingPostings(tx, chosen.map((c) => c.person), body.startsOn, settings.lengthMonths);
        const cohort = tx.create(PostingCohort, { name: body.name, region, startsOn: body.startsOn, settings } as never);
        const postings = chosen.map((c) => {
          // Where the workflow starts from, on record before it runs: the view never waits for it.
          const id = randomUUID();
          return tx.create(Posting, { id, person: c.person, community: c.community, dispatchingOrganization: c.org, cohort, originalPosition: c.originalPosition, startsOn: body.startsOn, endsOn: postingEndDate(body.startsOn, settings.lengthMonths), phase: 'awaiting_guarantees', status: initialPostingStatus({ postingId: id, settings }) } as never);
        });
        return { cohort, postings };
      },
    );
    // A cohort created after its planned start begins today (its postings count from the day
    // they begin): no attendance sheets for the months already past, made all at once.
    const today = shanghaiDate(Date.now());
    const cohortInput: PostingCohortInput = { cohortId: cohort.id, firstMonth: (body.startsOn > today ? body.startsOn : today).slice(0, 7) };
    try {
      await temporal.workflow.start('postingCohortWorkflow', { taskQueue, workflowId: cohortWorkflowId(cohort.id), args: [cohortInput] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    for (const posting of postings) {
      const input: PostingWorkflowInput = { postingId: posting.id, cohortId: cohort.id, secretaryName: posting.person.getEntity().name, startsOn: body.startsOn, settings };
      try {
        await temporal.workflow.start('postingWorkflow', { taskQueue, workflowId: postingWorkflowId(posting.id), args: [input] });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    reply.code(201);
    return { id: cohort.id, postings: postings.map((p) => ({ id: p.id, workflowId: postingWorkflowId(p.id) })) };
  });

  app.get('/postings/cohorts/:id/ranking', {
    config: { auth: { roles: ['org_department', 'street_committee', 'admin'] } },
    schema: { tags, summary: '年终考核 ranking of a cohort (filled in once every posting has its year-end result)', params: PostingParams },
  }, async (request) => {
    const em = emOf(request);
    const cohort = await em.findOne(PostingCohort, { id: request.params.id }, { populate: ['region'] });
    // The department over the cohort's region sees the whole ranking; a street committee in the
    // region sees the rows of the postings in its streets (with their cohort-wide rank).
    if (!cohort || !overUnit(request, cohort.region.getEntity().path) && !principalOf(request).grants.some((g) => g.role === 'street_committee' && g.unitPath?.startsWith(cohort.region.getEntity().path))) throw notFound('cohort');
    const rows = await em.find(PostingYearEnd, { cohortId: cohort.id }, { orderBy: { rank: 'asc', total: 'desc' }, populate: ['posting', 'posting.person', 'posting.community'] });
    const whole = overUnit(request, cohort.region.getEntity().path, ['org_department', 'admin']);
    const visible = whole ? rows : rows.filter((r) => overUnit(request, r.posting.getEntity().community.getEntity().path, ['street_committee']));
    return {
      cohortId: cohort.id,
      entries: visible.map((r) => ({ postingId: r.posting.id, name: r.posting.getEntity().person.getEntity().name, total: Number(r.total), rank: r.rank ?? null, grade: r.grade ?? null })),
    };
  });

  // Report data to the reports/contracts, as JSON (the filed PDFs are listed below).
  app.get('/postings/reports/attendance-sheet', {
    config: { auth: { roles: ['org_department', 'street_committee', 'admin'] } },
    schema: { tags, summary: '月度考勤表 data of one street for a month (the PDF is filed monthly by the cohort workflow)', querystring: Type.Object({ streetId: Type.String({ format: 'uuid' }), month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }), cohortId: Type.Optional(Type.String({ format: 'uuid' })) }) },
  }, async (request) => {
    const em = emOf(request);
    const street = await em.findOne(AdministrativeUnit, { id: request.query.streetId });
    if (!street || !overUnit(request, street.path)) throw notFound('street');
    const data = await attendanceSheetData(em, street.id, request.query.month, request.query.cohortId);
    if (!data) throw notFound('postings in that street and month');
    return data;
  });

  app.get('/postings/:id/quarters/:quarter/report', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: '季度述评报告 data of a finished quarterly review', params: QuarterParams },
  }, async (request) => {
    const { em, posting } = await actorFor(request, request.params.id);
    const data = await quarterlyReviewData(em, posting.id, request.params.quarter);
    if (!data) throw notFound('finished quarterly review');
    return data;
  });

  app.get('/postings/:id/final-assessment/report', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: '期满联合考核表 data of a signed joint assessment', params: PostingParams },
  }, async (request) => {
    const { em, posting } = await actorFor(request, request.params.id);
    const data = await finalAssessmentData(em, posting.id);
    if (!data) throw notFound('signed joint assessment');
    return data;
  });

  app.get('/postings/cohorts/:id/ranking/report', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: { tags, summary: '年终考核排名 data of a ranked cohort', params: PostingParams },
  }, async (request) => {
    const em = emOf(request);
    const cohort = await em.findOne(PostingCohort, { id: request.params.id }, { populate: ['region'] });
    if (!cohort || !overUnit(request, cohort.region.getEntity().path, ['org_department'])) throw notFound('cohort');
    const data = await yearEndRankingData(em, cohort.id);
    if (!data) throw notFound('ranked cohort');
    return data;
  });

  app.get('/postings/:id/reports', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: 'Filed PDFs of a posting: quarterly reports (季度述评报告) and the final assessment form (期满联合考核表)', params: PostingParams, response: { 200: ReportList } },
  }, async (request) => {
    const { em, posting } = await actorFor(request, request.params.id);
    return { reports: listed(await em.find(ReportFile, { subjectType: 'posting', subjectId: posting.id }, { orderBy: { type: 'asc', createdAt: 'asc', version: 'asc' } })) };
  });

  app.get('/postings/cohorts/:id/reports', {
    config: { auth: { roles: ['org_department', 'street_committee', 'admin'] } },
    schema: {
      tags,
      summary: 'Filed PDFs of a cohort: monthly attendance sheets per street (月度考勤表) and the year-end ranking (年终考核排名)',
      description: 'A street committee sees its own streets’ sheets; the ranking is for the organization department over the cohort’s region.',
      params: PostingParams,
      querystring: Type.Object({ type: Type.Optional(Type.String({ maxLength: 50 })), month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) }),
      response: { 200: ReportList },
    },
  }, async (request) => {
    const em = emOf(request);
    const cohort = await em.findOne(PostingCohort, { id: request.params.id }, { populate: ['region'] });
    if (!cohort || !overUnit(request, cohort.region.getEntity().path) && !principalOf(request).grants.some((g) => g.role === 'street_committee' && g.unitPath?.startsWith(cohort.region.getEntity().path))) throw notFound('cohort');
    const rows = await em.find(ReportFile, { cycleId: cohort.id, subjectType: { $in: ['unit', 'posting_cohort'] }, ...(request.query.type ? { type: request.query.type } : {}) }, { orderBy: { type: 'asc', createdAt: 'asc', version: 'asc' } });
    const streets = new Map((await em.find(AdministrativeUnit, { id: { $in: rows.filter((r) => r.subjectType === 'unit').map((r) => r.subjectId) } })).map((u) => [u.id, u.path]));
    const regionDept = overUnit(request, cohort.region.getEntity().path, ['org_department']);
    const visible = rows.filter((r) => (r.subjectType === 'posting_cohort' ? regionDept : overUnit(request, streets.get(r.subjectId) ?? '\u0000')));
    const month = request.query.month;
    return { reports: listed(month ? visible.filter((r) => r.type !== 'attendance-sheet' || (r.requestKey ?? '').endsWith(`/${month}`)) : visible) };
  });

  app.get('/postings/report-files/:fileId', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: 'Download a filed posting PDF, with the authorization of the record it shows', params: Type.Object({ fileId: Type.String({ format: 'uuid' }) }) },
  }, async (request, reply) => {
    const em = emOf(request);
    const file = await em.findOne(ReportFile, { id: request.params.fileId, subjectType: { $in: ['posting', 'unit', 'posting_cohort'] } });
    if (!file) throw notFound('report');
    if (file.subjectType === 'posting') {
      // "report not found", as for a missing file: "posting not found" would say the file exists.
      await actorFor(request, file.subjectId).catch((error: unknown) => { throw error instanceof DomainError && error.kind === 'not_found' ? notFound('report') : error; });
    } else if (file.subjectType === 'unit') {
      const street = await em.findOne(AdministrativeUnit, { id: file.subjectId });
      if (!street || !overUnit(request, street.path, ['org_department', 'street_committee'])) throw notFound('report');
    } else {
      const cohort = await em.findOne(PostingCohort, { id: file.subjectId }, { populate: ['region'] });
      if (!cohort || !overUnit(request, cohort.region.getEntity().path, ['org_department'])) throw notFound('report');
    }
    const pdf = await store.read(file.sha256);
    const name = `${file.type}-v${file.version}.pdf`;
    reply.header('content-type', 'application/pdf').header('x-sha256', file.sha256).header('content-disposition', `attachment; filename="${name}"`);
    return reply.send(pdf);
  });

  app.post('/postings/:id/reports/:type/render', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Render a failed or missing report of a posting again (季度述评报告 with ?quarter=n, 期满联合考核表)',
      description: 'For the organization department over the posting. Starts renderReportWorkflow (ID report-render/posting/<id>/<type>[-q<n>]/<attempt>) and answers 202; GET /postings/:id lists the report under `reports` (filed with its download, failed with the reason, or rendering). The PDF is filed as a new version (GET /postings/:id/reports) and its SHA-256 written to the audit log. 409 not_ready before the quarter\'s review is signed off or the joint assessment signed, already_filed, rendering (the cycle is still making it) or already_rendering (a second request while one runs).',
      params: Type.Object({ id: Type.String({ format: 'uuid' }), type: Type.Union([Type.Literal('quarterly-review'), Type.Literal('final-assessment')]) }),
      querystring: Type.Object({ quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })) }),
    },
  }, async (request, reply) => {
    const { em, posting, actor } = await actorFor(request, request.params.id);
    if (!adminCalls(request) && !actor.roles.includes('org_department')) throw new ApiError(403, 'wrong_role', 'reports are rendered again by the organization department over this posting');
    const { type } = request.params;
    const quarter = request.query.quarter;
    if (type === 'quarterly-review' && quarter === undefined) throw badRequest('which quarter?', [{ field: 'querystring.quarter', rule: 'is required for a quarterly-review (1-8)' }]);
    const subject: PostingReportSubject = type === 'quarterly-review' ? { subjectType: 'posting', subjectId: posting.id, type, quarter: quarter! } : { subjectType: 'posting', subjectId: posting.id, type };
    const due = (await postingReportSubjects(em, posting.id)).some((s) => s.type === subject.type && (s.type !== 'quarterly-review' || s.quarter === quarter));
    if (!due) {
      throw new ApiError(409, 'not_ready', type === 'quarterly-review' ? `quarter ${quarter} of this posting has not been signed off yet (phase ${posting.phase}): there is no quarterly report to render` : `the joint final assessment of this posting is not signed yet (phase ${posting.phase}): there is no form to render`);
    }
    const started = await startReportRender(em, temporal, taskQueue, {
      subject,
      requestedBy: { accountId: actor.accountId, label: principalOf(request).login },
      cycleRendering: cycleMakes(subject),
      download: `/postings/${posting.id}/reports`,
      statusPath: `/postings/${posting.id}`,
    });
    reply.code(202);
    return started;
  });

  app.get('/postings/:id', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: 'A posting and where its workflow stands (what is missing, months, quarters, tally, year end, signatures)', params: PostingParams },
  }, async (request) => {
    const { posting } = await actorFor(request, request.params.id);
    // As the workflow saved it at its last change (every accepted action and phase): no query,
    // so the view answers whether or not a worker is up.
    const status: PostingStatus | null = posting.status ?? null;
    const em = emOf(request);
    // Quarters under review (晒绩 filed or not, scoring, score), as their workflows saved them.
    const openQuarters = (await em.find(PostingQuarterProgress, { posting: posting.id }, { orderBy: { quarter: 'asc' } }))
      .filter((q) => !(status?.quarters ?? []).some((done) => done.quarter === q.quarter))
      .map((q) => q.status);
    // Reports that are due: filed (download), or failed / not made with the reason and the re-render link (the department's).
    const reports = await postingReports(em, posting.id);
    return { id: posting.id, secretary: posting.person.getEntity().name, community: posting.community.getEntity().name, dispatchingUnit: posting.dispatchingOrganization.getEntity().name, phase: status?.phase ?? posting.phase, status, openQuarters, reports };
  });

  app.put('/postings/:id/guarantees', {
    config: { auth: { roles: ['dispatching_unit', 'admin'] } },
    schema: {
      tags,
      summary: 'Record the dispatching unit’s accident insurance and work funds (保障); answers what is still missing',
      params: PostingParams,
      body: Type.Object({ insuranceYuan: Type.Optional(Type.Integer({ minimum: 0 })), insurancePolicy: Type.Optional(Type.String({ maxLength: 100 })), workFundsYuan: Type.Optional(Type.Integer({ minimum: 0 })) }),
    },
  }, async (request) => {
    const { em, posting, actor } = await actorFor(request, request.params.id);
    needRole(actor, 'dispatching_unit', 'recording guarantees');
    const body = request.body;
    const existing = await em.findOne(PostingGuarantee, { posting: posting.id });
    const before = existing ? { insuranceYuan: existing.insuranceYuan ?? null, insurancePolicy: existing.insurancePolicy ?? null, workFundsYuan: existing.workFundsYuan ?? null } : null;
    const after = {
      insuranceYuan: body.insuranceYuan ?? before?.insuranceYuan ?? null,
      insurancePolicy: body.insurancePolicy ?? before?.insurancePolicy ?? null,
      workFundsYuan: body.workFundsYuan ?? before?.workFundsYuan ?? null,
    };
    const row = await changeWithAudit(em, auditActorOf(request), { action: 'posting.guarantees_record', entityType: 'posting', entityId: posting.id, before, after }, (tx) => {
      const row = existing ?? tx.create(PostingGuarantee, { posting } as never);
      Object.assign(row, after, { recordedBy: actor.accountId });
      return row;
    });
    const status = await tellPosting(() =>
      takeUpdate<PostingStatus, [unknown]>(bounds, postingHandle(posting.id), 'recordGuarantees', [{ actor, insuranceYuan: row.insuranceYuan ?? undefined, workFundsYuan: row.workFundsYuan ?? undefined }]),
    );
    return { phase: status.phase, missing: status.missingGuarantees };
  });

  app.post('/postings/:id/check-ins', {
    config: { auth: { roles: ['first_secretary'] } },
    schema: { tags, summary: 'A day in the community (check-in with a note); the community confirms or disputes it', params: PostingParams, body: Type.Object({ date: DateString, note: Type.String({ minLength: 1, maxLength: 2000 }) }) },
  }, async (request, reply) => {
    const { em, posting, actor } = await actorFor(request, request.params.id);
    needRole(actor, 'first_secretary', 'a check-in');
    if (!isDateString(request.body.date)) throw badRequest('not a date', [{ field: 'body.date', rule: 'YYYY-MM-DD calendar date' }]);
    refuseCheckInDay(posting, request.body.date, 'body.date');
    if (await em.findOne(PostingCheckIn, { posting: posting.id, date: request.body.date })) throw conflict(`a check-in for ${request.body.date} exists already`);
    const row = await changeWithAudit(em, auditActorOf(request), { action: 'posting.check_in', entityType: 'posting', entityId: posting.id, after: { date: request.body.date, note: request.body.note, status: 'pending' } }, (tx) =>
      tx.create(PostingCheckIn, { posting, date: request.body.date, note: request.body.note, status: 'pending' } as never),
    );
    reply.code(201);
    return { id: row.id, date: row.date, status: row.status };
  });

  app.post('/postings/:id/check-ins/:date/review', {
    config: { auth: { roles: ['community_committee'] } },
    schema: {
      tags,
      summary: 'The community confirms or disputes a check-in',
      params: Type.Object({ id: Type.String({ format: 'uuid' }), date: DateString }),
      body: Type.Object({ status: Type.Union([Type.Literal('confirmed'), Type.Literal('disputed')]), note: Type.Optional(Type.String({ maxLength: 1000 })) }),
    },
  }, async (request) => {
    const { em, posting, actor } = await actorFor(request, request.params.id);
    needRole(actor, 'community_committee', 'reviewing a check-in');
    refuseCheckInDay(posting, request.params.date, 'params.date');
    const row = await em.findOne(PostingCheckIn, { posting: posting.id, date: request.params.date });
    if (!row) throw notFound('check-in');
    const before = { date: row.date, status: row.status, reviewNote: row.reviewNote ?? null };
    const after = { date: row.date, status: request.body.status, reviewNote: request.body.note ?? null };
    await changeWithAudit(em, auditActorOf(request), { action: 'posting.check_in_review', entityType: 'posting', entityId: posting.id, before, after }, () => {
      row.status = request.body.status;
      row.reviewNote = request.body.note ?? null;
      row.reviewedBy = actor.accountId as never;
    });
    return { date: row.date, status: row.status };
  });

  app.post('/postings/:id/head-visits', {
    config: { auth: { roles: ['dispatching_unit'] } },
    schema: { tags, summary: 'The dispatching unit’s head visited the community (at least once a quarter)', params: PostingParams, body: Type.Object({ visitedOn: DateString, visitor: Type.String({ minLength: 1, maxLength: 100 }), position: Type.String({ minLength: 1, maxLength: 100 }), purpose: Type.String({ minLength: 1, maxLength: 2000 }) }) },
  }, async (request, reply) => {
    const { em, posting, actor } = await actorFor(request, request.params.id);
    needRole(actor, 'dispatching_unit', 'recording a visit');
    const row = await changeWithAudit(em, auditActorOf(request), { action: 'posting.head_visit', entityType: 'posting', entityId: posting.id, after: request.body }, (tx) =>
      tx.create(PostingHeadVisit, { posting, ...request.body, recordedBy: actor.accountId } as never),
    );
    reply.code(201);
    return { id: row.id };
  });

  app.post('/postings/:id/quarters/:quarter/work-report', {
    config: { auth: { roles: ['first_secretary'] } },
    schema: { tags, summary: '晒绩: the quarterly work report', params: QuarterParams, body: Type.Object({ summary: Type.String({ minLength: 1, maxLength: 10_000 }), achievements: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 }) }) },
  }, async (request) => {
    const { posting, actor } = await actorFor(request, request.params.id);
    return tellPosting(() => takeUpdate(bounds, temporal.workflow.getHandle(quarterWorkflowId(posting.id, request.params.quarter)), 'submitWorkReport', [{ actor, ...request.body }]));
  });

  app.post('/postings/:id/quarters/:quarter/score', {
    config: { auth: { roles: ['street_committee'] } },
    schema: { tags, summary: '按季述评: the street committee scores the quarter and signs off', params: QuarterParams, body: Type.Object({ score: Score, comment: Type.String({ minLength: 1, maxLength: 2000 }) }) },
  }, async (request) => {
    const { posting, actor } = await actorFor(request, request.params.id);
    return tellPosting(() => takeUpdate(bounds, temporal.workflow.getHandle(quarterWorkflowId(posting.id, request.params.quarter)), 'scoreQuarter', [{ actor, ...request.body }]));
  });

  const postingUpdate = (url: string, update: string, summary: string, roles: Role[], body: Parameters<typeof Type.Object>[0]) =>
    app.post(url, { config: { auth: { roles } }, schema: { tags, summary, params: PostingParams, body: Type.Object(body) } }, async (request) => {
      const { posting, actor } = await actorFor(request, (request.params as { id: string }).id);
      const status = await tellPosting(() => takeUpdate<PostingStatus, [unknown]>(bounds, postingHandle(posting.id), update, [{ actor, ...(request.body as object) }]));
      return { phase: status.phase, status };
    });

  postingUpdate('/postings/:id/self-assessment', 'submitSelfAssessment', '晒绩自评: the year-end self-assessment', ['first_secretary'], { score: Score, summary: Type.String({ minLength: 1, maxLength: 10_000 }) });
  postingUpdate('/postings/:id/organization-rating', 'rateOrganization', '组织考评: the organization department’s year-end rating', ['org_department'], { score: Score, comment: Type.String({ minLength: 1, maxLength: 2000 }) });
  postingUpdate('/postings/:id/final-signatures', 'signFinalAssessment', '期满联合考核: sign once as org_department, street_committee or dispatching_unit', ['org_department', 'street_committee', 'dispatching_unit'], {
    as: Type.Union(FINAL_SIGNERS.map((r) => Type.Literal(r))),
    decision: Type.Union(FINAL_DECISIONS.map((d) => Type.Literal(d))),
    comment: Type.String({ minLength: 1, maxLength: 2000 }),
  });
  postingUpdate('/postings/:id/recall', 'recallPosting', 'Recall the secretary early; the posting ends today and goes to the year-end assessment', ['org_department'], { reason: Type.String({ minLength: 1, maxLength: 1000 }) });
  postingUpdate('/postings/:id/extend', 'extendPosting', 'Extend the posting by some months', ['org_department'], { months: Type.Integer({ minimum: 1, maximum: 12 }) });

  app.post('/postings/:id/resident-ratings', {
    config: { auth: { roles: ['community_committee', 'street_committee'] } },
    schema: { tags, summary: '群众测评 entered from paper forms (0–100 each)', params: PostingParams, body: Type.Object({ scores: Type.Array(Score, { minItems: 1, maxItems: 1000 }) }) },
  }, async (request, reply) => {
    const { em, posting, actor } = await actorFor(request, request.params.id);
    if (!actor.roles.includes('community_committee') && !actor.roles.includes('street_committee')) throw new ApiError(403, 'wrong_role', 'paper ratings are entered by the community or street committee');
    await changeWithAudit(em, auditActorOf(request), { action: 'posting.resident_ratings', entityType: 'posting', entityId: posting.id, after: { source: 'paper', scores: request.body.scores } }, (tx) => {
      for (const score of request.body.scores) tx.create(PostingResidentRating, { posting, score, source: 'paper', enteredBy: actor.accountId } as never);
    });
    reply.code(201);
    return { entered: request.body.scores.length };
  });

  app.post('/public/posting-surveys/:token', {
    config: { auth: { public: true } },
    schema: { tags, summary: '群众测评 through an expiring survey link', params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }), body: Type.Object({ score: Score, comment: Type.Optional(Type.String({ maxLength: 1000 })) }) },
  }, async (request, reply) => {
    const em = emOf(request);
    const check = await verifyAccessLink(em, request.params.token, RESIDENT_SURVEY);
    if (!check.ok) throw new ApiError(check.reason === 'expired' ? 410 : 404, `link_${check.reason}`, `the survey link is ${check.reason}`);
    const postingId = check.link.subjectId;
    await changeWithAudit(em, PUBLIC_LINK_ACTOR, { action: 'posting.survey_answer', entityType: 'posting', entityId: postingId, after: { source: 'link', score: request.body.score, commentLength: request.body.comment?.length ?? 0 } }, (tx) => {
      tx.create(PostingResidentRating, { posting: postingId, score: request.body.score, source: 'link', comment: request.body.comment ?? null } as never);
    });
    reply.code(201);
    return { thanks: true };
  });
};

