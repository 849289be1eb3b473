// The star rating over HTTP (星级评定): a department enrols a count or a growing share of its
// organizations each year (one long-lived workflow each, star-rating/<orgId>); people act on
// an organization's rating through updates whose refusals answer 403/409; dashboards read
// the records the activities keep; PDFs (plaques, the jurisdiction's list) come from the worker.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import Type from 'typebox';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ApiError, badRequest, notFound } from '../../errors.ts';
import { askWorkflow, resultWhenTaken, takeUpdate, tellWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { escapeLike, isAdmin, rolesOver } from '../../../domain/auth/scope.ts';
import { verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { recordAudit, type AuditActor, PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { CatalogVersion } from '../../../domain/entities/catalog-version.ts';
import { EvidenceFile } from '../../../domain/entities/evidence.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { StarEnrolment, StarMove, StarRound } from '../../../domain/entities/star-rating.ts';
import { StarIncentiveGrant, StarPublicObjection, StarTrackingEvent } from '../../../domain/entities/star-tracking.ts';
import { enrolmentRuleProblem, enrolmentTarget, eventType, type EnrolmentRule, type StarLevel } from '../../../domain/star-rating/rules.ts';
import { DEFAULT_STAR_SETTINGS, passedRatingDeadlines, resolveStarSettings } from '../../../domain/star-rating/calendar.ts';
import type { Actor } from '../../../domain/star-rating/state.ts';
import { cycleInForce, starObjectionToken, starReportPath } from '../../../activities/star-rating.ts';
import {
  STAR_OBJECTIONS,
  answerStarObjection,
  approveStarProposal,
  decideStarReview,
  endStarRating,
  fileStarObjection,
  provideStarEvidence,
  recordTrackingEvent,
  requestStarEvidence,
  reviewStarPreliminary,
  scoreStarIndicators,
  starRatingWorkflowId,
  submitStarScores,
  submitStarSelfAssessment,
  submitStarSelfReport,
  type StarRatingInput,
  type StarRatingListInput,
  type StarRatingStatus,
} from '../../../domain/star-rating/contracts.ts';

const tags = ['star-ratings'];
const STAFF: Role[] = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'admin'];
const ANY: Role[] = [...STAFF, 'enterprise_rep', 'enterprise_party_org'];
const START_CONCURRENCY = 16;

const OrgParams = Type.Object({ orgId: Type.String({ format: 'uuid' }) });
/** Objections through the public 公示 link: at most this long (and per-client hourly limit from the settings). */
const PUBLIC_OBJECTION_MAX_LENGTH = 2000;
/** How long POST …/end waits for the workflow to record the end before answering (it finishes regardless). */
const END_WAIT_MS = 15_000;
/** How long POST /star-ratings/lists waits for a list a worker is rendering (a cold browser included). */
const LIST_RENDER_MS = 120_000;
const objectionPath = (token: string) => `/public/star-objections/${token}`;
const actorOf = (actor: Actor): AuditActor => ({ accountId: actor.accountId, label: actor.login });
const Stars = Type.Integer({ minimum: 0, maximum: 5 });

async function loadFor(request: FastifyRequest, orgId: string): Promise<{ em: EntityManager; org: Organization; enrolment: StarEnrolment; actor: Actor; principal: Principal }> {
  const em = emOf(request);
  const principal = principalOf(request);
  const org = await em.findOne(Organization, { id: orgId }, { populate: ['unit'] });
  if (!org) throw notFound('organization');
  const roles = await rolesOver(em, principal, org);
  const admin = isAdmin(principal);
  if (roles.length === 0 && !admin) throw notFound('organization');
  const enrolment = await em.findOne(StarEnrolment, { organization: org.id });
  if (!enrolment) throw notFound('star rating of this organization');
  return { em, org, enrolment, principal, actor: { accountId: principal.accountId, login: principal.login, roles } };
}

/** 400 unless every evidence file was filed for this organization (through the shared evidence upload). */
async function requireEvidence(em: EntityManager, orgId: string, ids: string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = await em.find(EvidenceFile, { id: { $in: ids }, organization: orgId }, { fields: ['id'] });
  const known = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw badRequest('unknown evidence', missing.map((id) => ({ field, rule: `${id} is not an evidence file of this organization` })));
}

const EnrolmentRuleSchema = Type.Union([
  Type.Object({ mode: Type.Literal('count'), count: Type.Integer({ minimum: 0, maximum: 100_000 }) }),
  Type.Object({ mode: Type.Literal('share'), share: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }),
]);

/** The department's latest star-rating cycle up to a year: its settings are the rules in force for rounds that start from then. */
async function latestCycle(em: EntityManager, unitId: string, year = 9999): Promise<Cycle | null> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from cycle where type = 'star_rating' and year <= ? and scope->'unitIds' @> ?::jsonb order by year desc, created_at desc limit 1`,
    [year, JSON.stringify([unitId])],
  );
  return rows[0] ? em.findOne(Cycle, { id: rows[0].id }) : null;
}

export const starRatingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const taskQueue = config.TEMPORAL_TASK_QUEUE;

  /**
   * Tells the organization's workflow; the workflow's state is mirrored into star_round by its
   * activities, and the accepted action (who, what, on which round) is appended to the audit log.
   */
  const act = async <A extends { actor: Actor }>(request: FastifyRequest, orgId: string, update: UpdateDefinition<StarRatingStatus, [A]>, args: NoInfer<Omit<A, 'actor'>>): Promise<StarRatingStatus> => {
    const { enrolment, actor, em } = await loadFor(request, orgId);
    if (enrolment.endedAt) throw new ApiError(409, 'rating_ended', `the star rating of this organization has ended: ${enrolment.endReason ?? ''}`);
    const status = await tellWorkflow(() => takeUpdate(bounds, temporal.workflow.getHandle(enrolment.workflowId), update, [{ ...args, actor } as A]));
    await em.transactional((tx) => recordAudit(tx, { actor: actorOf(actor), action: `star_rating.${update.name}`, entityType: 'star_round', entityId: `${orgId}/${status.year}`, after: { ...args, phase: status.phase, revision: status.revision } }));
    return status;
  };

  app.post('/star-ratings/enrolments', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Enrol organizations of your jurisdiction into the star rating for a year (a count, or a share that may only grow)',
      description: 'Creates the year\'s star-rating cycle (indicator system, incentive list, settings) and starts one workflow per newly enrolled organization, ID star-rating/<orgId>. Settings not given are those of the department\'s previous cycle (then the defaults); without `rule`, the enrolment rule set for this year in the settings (PUT /star-ratings/settings) applies. Organizations whose rating was ended are neither eligible nor counted.',
      body: Type.Object({
        year: Type.Integer({ minimum: 2000, maximum: 2100 }),
        unitId: Type.Optional(Type.String({ format: 'uuid' })),
        rule: Type.Optional(EnrolmentRuleSchema),
        organizationIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100_000 })),
        settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    },
  }, async (request, reply) => {
    const em = emOf(request);
    const principal = principalOf(request);
    const body = request.body;
    const admin = isAdmin(principal);
    const deptGrants = principal.grants.filter((g) => g.role === 'org_department' && g.unitId);
    const unitId = body.unitId ?? deptGrants[0]?.unitId;
    if (!unitId) throw badRequest('name the jurisdiction', [{ field: 'body.unitId', rule: 'is required for an account without a department unit' }]);
    const unit = await em.findOne(AdministrativeUnit, { id: unitId });
    if (!unit || (!admin && !deptGrants.some((g) => unit.path.startsWith(g.unitPath!)))) throw notFound('unit');

    const latest = await latestCycle(em, unit.id, body.year);
    const inherited = { ...(latest?.settings ?? {}) };
    delete inherited.enrolment;
    const settings = { ...inherited, ...(body.settings ?? {}) };
    const { settings: resolved, problems } = resolveStarSettings(settings);
    if (problems.length) throw badRequest('the star-rating settings are invalid', problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    // Enrolled after the self-assessment deadline, every organization would be 不予评定 at once.
    const passed = passedRatingDeadlines(body.year, resolved, Date.now());
    if (passed.length) throw badRequest('deadlines of the rating year have already passed', passed.map((p) => ({ field: `body.${p.field}`, rule: p.rule })));
    const previous = await em.execute<{ settings: { enrolment?: EnrolmentRule } }[]>(
      `select settings from cycle where type = 'star_rating' and year < ? and scope->'unitIds' @> ?::jsonb order by year desc, created_at desc limit 1`,
      [body.year, JSON.stringify([unit.id])],
    );
    const prevRule = previous[0]?.settings?.enrolment;
    const rule = body.rule ?? (latest?.settings.enrolment as EnrolmentRule | undefined);
    if (!rule) throw badRequest('the enrolment rule is missing', [{ field: 'body.rule', rule: 'is required when the settings name no enrolment rule' }]);
    const ruleProblem = enrolmentRuleProblem(rule, prevRule?.mode === 'share' ? prevRule.share : null);
    if (ruleProblem) throw badRequest('the enrolment rule is refused', [{ field: 'body.rule', rule: ruleProblem }]);

    const eligible = await em.getConnection().execute<{ id: string; enrolled: boolean }[]>(
      `select o.id, (e.id is not null) as enrolled from organization o join administrative_unit u on u.id = o.unit_id
         left join star_enrolment e on e.organization_id = o.id
        where u.path like ? and o.kind in ('non_public_enterprise', 'social_organization') and e.ended_at is null order by o.name, o.id`,
      [`${escapeLike(unit.path)}%`],
    );
    const already = eligible.filter((o) => o.enrolled).length;
    const target = enrolmentTarget(rule, eligible.length, already);
    const free = eligible.filter((o) => !o.enrolled).map((o) => o.id);
    let chosen: string[];
    if (body.organizationIds) {
      const wrong = body.organizationIds.filter((id) => !free.includes(id));
      if (wrong.length) throw badRequest('some organizations cannot be enrolled', wrong.map((id) => ({ field: 'body.organizationIds', rule: `${id} is not an unenrolled enterprise or social organization of the jurisdiction` })));
      if (body.organizationIds.length > target.newThisYear) throw badRequest('too many organizations for the rule', [{ field: 'body.organizationIds', rule: `the rule admits ${target.newThisYear} new organizations this year` }]);
      chosen = body.organizationIds;
    } else chosen = free.slice(0, target.newThisYear);

    const [catalog] = await em.find(CatalogVersion, { kind: 'star_rating' }, { orderBy: { version: 'desc' }, limit: 1 });
    const [incentives] = await em.find(CatalogVersion, { kind: 'incentive' }, { orderBy: { version: 'desc' }, limit: 1 });
    const { cycle, enrolments } = await em.transactional(async (tx) => {
      const cycle = tx.create(Cycle, {
        type: 'star_rating',
        year: body.year,
        name: `${body.year}年度非公企业和社会组织党建工作星级评定`,
        scope: { unitIds: [unit.id], organizationIds: chosen },
        catalogVersion: catalog?.id ?? null,
        incentiveCatalogVersion: incentives?.id ?? null,
        settings: { ...settings, enrolment: rule },
        status: 'running',
        createdBy: principal.accountId,
      } as never);
      const enrolments = chosen.map((orgId) => tx.create(StarEnrolment, { organization: orgId, departmentUnit: unit.id, cycle, firstYear: body.year, workflowId: starRatingWorkflowId(orgId), enrolledBy: principal.accountId } as never));
      await tx.flush();
      await recordAudit(tx, { actor: { accountId: principal.accountId, label: principal.login }, action: 'star_rating.enrol', entityType: 'cycle', entityId: cycle.id, after: { year: body.year, unitId: unit.id, rule, organizations: chosen.length } });
      return { cycle, enrolments: enrolments.map((e) => ({ id: e.id, organizationId: e.organization.id, workflowId: e.workflowId })) };
    });

    let next = 0;
    let failed = 0;
    const started: string[] = [];
    const start = async () => {
      for (;;) {
        const enrolment = enrolments[next++];
        if (!enrolment) return;
        const input: StarRatingInput = { organizationId: enrolment.organizationId, year: body.year, firstYear: body.year, stars: 0, lastRating: null, events: [] };
        try {
          await temporal.workflow.start('starRating', { taskQueue, workflowId: enrolment.workflowId, args: [input] });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
            failed += 1;
            app.log.error({ err: error, organizationId: input.organizationId }, 'could not start a star rating workflow');
            continue;
          }
        }
        started.push(enrolment.id);
      }
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, start));
    if (started.length) {
      await em.transactional(async (tx) => {
        const at = new Date();
        for (let i = 0; i < started.length; i += 500) await tx.nativeUpdate(StarEnrolment, { id: { $in: started.slice(i, i + 500) } }, { startedAt: at });
        await recordAudit(tx, { actor: { accountId: principal.accountId, label: principal.login }, action: 'star_rating.start', entityType: 'cycle', entityId: cycle.id, after: { started: started.length, failed } });
      });
    }
    reply.code(201);
    return { cycleId: cycle.id, year: body.year, eligible: eligible.length, alreadyEnrolled: already, targetTotal: target.targetTotal, enrolled: chosen, failedToStart: failed };
  });

  app.get('/star-ratings/organizations/:orgId', {
    config: { auth: { roles: ANY } },
    schema: { tags, summary: 'An organization\'s star rating: where it stands, its star history with reasons, incentives and tracked events, the 公示 and its public objection link', params: OrgParams },
  }, async (request) => {
    const { em, org, enrolment, actor } = await loadFor(request, request.params.orgId);
    const [moves, grants, events, rounds] = await Promise.all([
      em.find(StarMove, { organization: org.id }, { orderBy: { decidedAt: 'asc' } }),
      em.find(StarIncentiveGrant, { organization: org.id }, { orderBy: { measureCode: 'asc', grantedAt: 'asc' } }),
      em.find(StarTrackingEvent, { organization: org.id }, { orderBy: { createdAt: 'asc' } }),
      em.find(StarRound, { organization: org.id }, { orderBy: { year: 'asc' } }),
    ]);
    const current = rounds.at(-1);
    // The workflow's status as its activities mirrored it into star_round after every accepted
    // action and phase change: no query, so this answers whether or not a worker is up.
    const status = (current?.status ?? null) as StarRatingStatus | null;
    const publication = current && status?.publication && status.year === current.year
      ? { year: current.year, from: status.publication.from, to: status.publication.to, closed: status.publication.closed, objectionPath: objectionPath(await starObjectionToken(em, current.id)) }
      : null;
    return {
      organizationId: org.id,
      organizationName: org.name,
      firstYear: enrolment.firstYear,
      currentStars: enrolment.currentStars,
      ended: enrolment.endedAt ? { at: enrolment.endedAt, reason: enrolment.endReason } : null,
      /** 公示 of the current round, with the public link through which anyone may object while it is open. */
      publication,
      yourRoles: actor.roles,
      status,
      rounds: rounds.map((r) => ({ year: r.year, kind: r.kind, phase: r.phase, stars: r.stars, proposedStars: r.proposedStars, total: r.total })),
      history: moves.map((m) => ({
        year: m.year, trigger: m.trigger, outcome: m.outcome, from: m.fromStars, to: m.toStars, total: m.total, reason: m.reason,
        evidence: { eventIds: m.eventIds, evidenceFileIds: m.evidenceFileIds, objectionIds: m.objectionIds },
        decidedBy: m.decidedByLabel, decidedAt: m.decidedAt, certificateNumber: m.certificateNumber, validUntil: m.validUntil,
        plaque: m.plaqueSha256 ? `/star-ratings/organizations/${org.id}/plaques/${m.year}` : null,
      })),
      incentives: grants.map((g) => ({ code: g.measureCode, category: g.category, department: g.department, text: g.text, minStars: g.minStars, grantedYear: g.grantedYear, withdrawnAt: g.withdrawnAt })),
      events: events.map((e) => ({ id: e.id, type: e.type, occurredOn: e.occurredOn, summary: e.summary, points: e.points, serious: e.serious, accepted: e.accepted, evidenceFileIds: e.evidenceFileIds })),
    };
  });

  const route = <B extends ReturnType<typeof Type.Object>>(url: string, summary: string, roles: Role[], body: B | null, run: (request: FastifyRequest<{ Params: { orgId: string } & Record<string, string>; Body: Type.Static<B> }>) => Promise<StarRatingStatus>) => {
    app.post(url, {
      config: { auth: { roles } },
      schema: { tags, summary, params: Type.Object({ orgId: Type.String({ format: 'uuid' }) }, { additionalProperties: Type.String() }), ...(body ? { body } : {}) },
    }, async (request) => run(request as never));
  };

  const Scores = Type.Record(Type.String({ maxLength: 20 }), Type.Number({ minimum: 0, maximum: 1000 }));
  route('/star-ratings/organizations/:orgId/self-assessment', '自评: the organization self-assesses against the indicator system', ['enterprise_rep', 'enterprise_party_org'],
    Type.Object({ scores: Scores, summary: Type.String({ minLength: 1, maxLength: 5000 }) }),
    (r) => act(r, r.params.orgId, submitStarSelfAssessment, r.body));
  route('/star-ratings/organizations/:orgId/preliminary-review', '初审: the street or community passes, returns or does not recommend', ['street_committee', 'community_committee'],
    Type.Object({ decision: Type.Union([Type.Literal('pass'), Type.Literal('return'), Type.Literal('reject')]), comments: Type.String({ maxLength: 2000 }) }),
    (r) => act(r, r.params.orgId, reviewStarPreliminary, r.body));
  route('/star-ratings/organizations/:orgId/scores', 'Evaluators score indicators with comments (repeatable until submitted)', ['evaluator'],
    Type.Object({ scores: Type.Record(Type.String({ maxLength: 20 }), Type.Object({ points: Type.Number({ minimum: 0, maximum: 1000 }), comment: Type.String({ maxLength: 2000 }) })) }),
    (r) => act(r, r.params.orgId, scoreStarIndicators, r.body));
  route('/star-ratings/organizations/:orgId/scores/submit', 'Evaluators submit the scores (all indicators scored, no evidence request open)', ['evaluator'], null,
    (r) => act(r, r.params.orgId, submitStarScores, {}));
  route('/star-ratings/organizations/:orgId/evidence-requests', 'Evaluators ask for more evidence', ['evaluator'],
    Type.Object({ indicatorCode: Type.Optional(Type.String({ maxLength: 20 })), request: Type.String({ minLength: 1, maxLength: 2000 }) }),
    (r) => act(r, r.params.orgId, requestStarEvidence, { requestId: randomUUID(), indicatorCode: r.body.indicatorCode ?? null, request: r.body.request }));
  route('/star-ratings/organizations/:orgId/evidence-requests/:requestId/answer', 'The organization answers an evidence request with files', ['enterprise_rep', 'enterprise_party_org'],
    Type.Object({ note: Type.String({ maxLength: 2000 }), evidenceFileIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 }) }),
    async (r) => {
      await requireEvidence(emOf(r), r.params.orgId, r.body.evidenceFileIds, 'body.evidenceFileIds');
      return act(r, r.params.orgId, provideStarEvidence, { requestId: r.params.requestId!, note: r.body.note, evidenceFileIds: r.body.evidenceFileIds });
    });
  route('/star-ratings/organizations/:orgId/approval', '部务会审定: the department approves the proposed level before 公示', ['org_department'], null,
    (r) => act(r, r.params.orgId, approveStarProposal, {}));
  route('/star-ratings/organizations/:orgId/objections', '公示: file an objection while the window is open', ANY,
    Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }) }),
    (r) => act(r, r.params.orgId, fileStarObjection, { objectionId: randomUUID(), text: r.body.text }));
  route('/star-ratings/organizations/:orgId/objections/:objectionId/answer', 'The department answers an objection (dismissed, or upheld with the level it sets)', ['org_department'],
    Type.Object({ decision: Type.Union([Type.Literal('dismissed'), Type.Literal('upheld')]), stars: Type.Optional(Stars), reply: Type.String({ minLength: 1, maxLength: 5000 }) }),
    (r) => act(r, r.params.orgId, answerStarObjection, { objectionId: r.params.objectionId!, decision: r.body.decision, stars: (r.body.stars ?? null) as StarLevel | null, reply: r.body.reply }));
  route('/star-ratings/organizations/:orgId/self-report', '一年一审: the light yearly self-report', ['enterprise_rep', 'enterprise_party_org'],
    Type.Object({ summary: Type.String({ minLength: 1, maxLength: 5000 }) }),
    (r) => act(r, r.params.orgId, submitStarSelfReport, r.body));
  route('/star-ratings/organizations/:orgId/reviews/:reviewId/decision', 'The department decides an annual or immediate review (the proposal, or another level with a written reason)', ['org_department'],
    Type.Object({ stars: Type.Optional(Stars), reason: Type.String({ maxLength: 5000 }) }),
    (r) => act(r, r.params.orgId, decideStarReview, { reviewId: r.params.reviewId!, stars: (r.body.stars ?? null) as StarLevel | null, reason: r.body.reason }));

  app.post('/star-ratings/organizations/:orgId/events', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'evaluator'] } },
    schema: {
      tags,
      summary: '日常跟踪: record an event with evidence; a serious type starts an immediate review',
      params: OrgParams,
      body: Type.Object({
        type: Type.String({ minLength: 1, maxLength: 50 }),
        occurredOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
        summary: Type.String({ minLength: 1, maxLength: 5000 }),
        evidenceFileIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 }),
      }),
    },
  }, async (request, reply) => {
    const { em, org, enrolment, actor } = await loadFor(request, request.params.orgId);
    const handle = temporal.workflow.getHandle(enrolment.workflowId);
    const types = await eventTypesOf(em, enrolment);
    const type = eventType(types, request.body.type);
    if (!type) throw badRequest('unknown event type', [{ field: 'body.type', rule: `must be one of ${types.map((t) => t.code).join(', ')}` }]);
    await requireEvidence(em, org.id, request.body.evidenceFileIds, 'body.evidenceFileIds');
    if (enrolment.endedAt) throw new ApiError(409, 'rating_ended', `the star rating of this organization has ended: ${enrolment.endReason ?? ''}`);
    // The workflow hears first: a refused event, or one no worker took in time (503), writes
    // nothing. The workflow's own sync activity files an accepted event before the update
    // answers, so it is on record even if this request does not live to write it.
    const { occurredOn, summary, evidenceFileIds } = request.body;
    const eventId = randomUUID();
    const status = await tellWorkflow(() => takeUpdate(bounds, handle, recordTrackingEvent, [{ actor, event: { id: eventId, type: type.code, occurredOn, summary, evidenceFileIds, recordedBy: actor.login } }]));
    await em.transactional(async (tx) => {
      const row = await tx.findOne(StarTrackingEvent, { id: eventId });
      if (row) row.accepted = true;
      else tx.create(StarTrackingEvent, { id: eventId, organization: org.id, type: type.code, occurredOn, summary, points: type.points, serious: type.serious, evidenceFileIds, recordedBy: actor.accountId, accepted: true } as never);
      await tx.flush();
      await recordAudit(tx, { actor: actorOf(actor), action: 'star_rating.track_event_filed', entityType: 'star_tracking_event', entityId: eventId, after: { organizationId: org.id, type: type.code, occurredOn, points: type.points, serious: type.serious } });
      await recordAudit(tx, { actor: actorOf(actor), action: 'star_rating.track_event', entityType: 'organization', entityId: org.id, after: { eventId, type: type.code, serious: type.serious } });
    });
    reply.code(201);
    return { eventId, immediateReview: status.reviews.find((r) => r.trigger === 'immediate' && !r.decision) ?? null, status };
  });

  app.post('/star-ratings/organizations/:orgId/end', {
    config: { auth: { roles: ['org_department'] } },
    schema: {
      tags,
      summary: 'End an organization\'s star rating for good (dissolved, left the jurisdiction), with a written reason',
      description: 'The round stops wherever it stands (pending objections and reviews are dropped), the level in force is revoked with the reason as a move of trigger `ended` in the star history, every incentive still granted is withdrawn, the enrolment is closed (the organization no longer counts in enrolment shares) and the workflow finishes. 403 for another role, 400 without a reason, 409 `rating_ended` when it has already ended.',
      params: OrgParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false, examples: [{ reason: '企业已于2027年3月注销登记' }] }),
    },
  }, async (request) => {
    const { em, org, enrolment, actor } = await loadFor(request, request.params.orgId);
    if (!actor.roles.includes('org_department')) throw new ApiError(403, 'wrong_role', 'only the organization department over this organization ends its rating');
    if (enrolment.endedAt) throw new ApiError(409, 'rating_ended', `the star rating of this organization has already ended: ${enrolment.endReason ?? ''}`);
    const reason = request.body.reason.trim();
    if (!reason) throw badRequest('a reason is needed', [{ field: 'body.reason', rule: 'must say why the rating ends' }]);
    const handle = temporal.workflow.getHandle(enrolment.workflowId);
    const status = await tellWorkflow(() => takeUpdate(bounds, handle, endStarRating, [{ actor, reason }]), async () => {
      const described = await askWorkflow(bounds, () => handle.describe()).catch(() => null);
      return described && described.status.name !== 'RUNNING' ? new ApiError(409, 'workflow_closed', `the rating's workflow is ${described.status.name.toLowerCase()}`) : undefined;
    });
    await em.transactional((tx) => recordAudit(tx, { actor: actorOf(actor), action: 'star_rating.end_requested', entityType: 'organization', entityId: org.id, before: { stars: status.stars, phase: status.phase }, after: { reason } }));
    // The workflow revokes the level and closes the enrolment in an activity a moment later.
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      handle.result().then(() => true, () => false),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), END_WAIT_MS); }),
    ]).finally(() => clearTimeout(timer));
    const fresh = await em.fork().findOne(StarEnrolment, { id: enrolment.id });
    return { organizationId: org.id, ended: done && !!fresh?.endedAt, endedAt: fresh?.endedAt ?? null, reason, history: `/star-ratings/organizations/${org.id}` };
  });

  // ---------------------------------------------------------------------- settings
  const departmentUnit = async (request: FastifyRequest, unitId: string | undefined): Promise<AdministrativeUnit> => {
    const principal = principalOf(request);
    const admin = isAdmin(principal);
    const deptGrants = principal.grants.filter((g) => g.role === 'org_department' && g.unitId);
    const id = unitId ?? deptGrants[0]?.unitId;
    if (!id) throw badRequest('name the jurisdiction', [{ field: 'unitId', rule: 'is required for an account without a department unit' }]);
    const unit = await emOf(request).findOne(AdministrativeUnit, { id });
    if (!unit || (!admin && !deptGrants.some((g) => unit.path.startsWith(g.unitPath!)))) throw notFound('unit');
    return unit;
  };
  const settingsView = (cycle: Cycle) => {
    const { settings } = resolveStarSettings(cycle.settings);
    return { cycleId: cycle.id, year: cycle.year, settings: { ...settings, enrolment: (cycle.settings.enrolment as EnrolmentRule | undefined) ?? null }, given: cycle.settings };
  };
  const SETTINGS_DESCRIPTION = 'Settings in force: the department\'s latest star-rating cycle. A change takes effect for rounds not yet started: each organization\'s next yearly run (1 January, Shanghai) and organizations enrolled later load it. A running round keeps the settings it started with (its deadlines, thresholds, tracking cap and event effects, 公示 length); `enrolment` is the rule for the next enrolments (a share may only grow).';

  app.get('/star-ratings/settings', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: { tags, summary: 'The department\'s star-rating settings in force for rounds that start from now', description: SETTINGS_DESCRIPTION, querystring: Type.Object({ unitId: Type.Optional(Type.String({ format: 'uuid' })) }) },
  }, async (request) => {
    const unit = await departmentUnit(request, request.query.unitId);
    const cycle = await latestCycle(emOf(request), unit.id);
    if (!cycle) throw notFound('star rating of this jurisdiction');
    return { unitId: unit.id, ...settingsView(cycle) };
  });

  app.patch('/star-ratings/settings', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Change the department\'s star-rating settings after enrolment (deadlines, 公示 length, thresholds, tracking cap and event effects, enrolment rule for next years)',
      description: `${SETTINGS_DESCRIPTION} Only the keys given change (\`thresholds: null\` returns to the indicator system's); every bad field is named (400, field \`body.settings.<key>\`); the change is audited with the settings before and after.`,
      body: Type.Object({
        unitId: Type.Optional(Type.String({ format: 'uuid' })),
        settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        enrolment: Type.Optional(EnrolmentRuleSchema),
      }, { additionalProperties: false, examples: [{ settings: { publicationDays: 5, trackingCap: 8, thresholds: [{ stars: 1, minScore: 60, label: '一星' }, { stars: 2, minScore: 70, label: '二星' }, { stars: 3, minScore: 80, label: '三星' }, { stars: 4, minScore: 88, label: '四星' }, { stars: 5, minScore: 95, label: '五星' }] }, enrolment: { mode: 'share', share: 0.6 } }] }),
    },
  }, async (request) => {
    const principal = principalOf(request);
    const unit = await departmentUnit(request, request.body.unitId);
    const em = emOf(request);
    const cycle = await latestCycle(em, unit.id);
    if (!cycle) throw notFound('star rating of this jurisdiction');
    const given = request.body.settings ?? {};
    const known = new Set([...Object.keys(DEFAULT_STAR_SETTINGS), 'autoIndicators']);
    const unknown = Object.keys(given).filter((k) => !known.has(k));
    if (unknown.length) throw badRequest('unknown settings', unknown.map((k) => ({ field: `body.settings.${k}`, rule: `is not a star-rating setting (known: ${[...known].join(', ')})` })));
    const next: Record<string, unknown> = { ...cycle.settings, ...given };
    for (const [k, v] of Object.entries(given)) if (v === null) delete next[k];
    const { problems } = resolveStarSettings(next);
    const details = problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule }));
    if (request.body.enrolment) {
      const current = cycle.settings.enrolment as EnrolmentRule | undefined;
      const ruleProblem = enrolmentRuleProblem(request.body.enrolment, current?.mode === 'share' ? current.share : null);
      if (ruleProblem) details.push({ field: 'body.enrolment', rule: ruleProblem });
      next.enrolment = request.body.enrolment;
    }
    if (details.length) throw badRequest('the star-rating settings are invalid', details);
    const before = cycle.settings;
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(Cycle, { id: cycle.id }, { settings: next });
      await recordAudit(tx, { actor: { accountId: principal.accountId, label: principal.login }, action: 'star_rating.settings_change', entityType: 'cycle', entityId: cycle.id, before, after: next });
    });
    cycle.settings = next;
    return { unitId: unit.id, ...settingsView(cycle), appliesTo: 'rounds not yet started; running rounds keep the settings they started with' };
  });

  // ---------------------------------------------------------------------- 公示: public objections
  const clientHash = (request: FastifyRequest) => hashSecret(`client:${request.ip}`);
  /** The round a public objection link opens, or the API error for a link that does not (any more). */
  const roundOfLink = async (request: FastifyRequest, token: string) => {
    const em = emOf(request);
    const check = await verifyAccessLink(em, token, STAR_OBJECTIONS);
    if (!check.ok) {
      if (check.reason === 'expired' || check.reason === 'revoked') throw new ApiError(410, 'window_closed', 'the publication window has closed: objections are no longer taken');
      throw notFound('page');
    }
    const round = await em.findOne(StarRound, { id: check.link.subjectId }, { populate: ['organization'] });
    if (!round) throw notFound('page');
    const enrolment = await em.findOneOrFail(StarEnrolment, { organization: round.organization.id });
    return { em, round, org: round.organization.getEntity(), enrolment, expiresAt: check.link.expiresAt };
  };
  const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });

  app.get('/public/star-objections/:token', {
    config: { auth: { public: true } },
    schema: { tags, summary: '公示 (public link): the proposed level of an organization and whether objections are still taken (404 unknown link, 410 window closed); a browser asking for text/html gets the mobile page', params: TokenParams },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    const { round, org, enrolment } = await roundOfLink(request, request.params.token);
    const status = round.status as StarRatingStatus;
    const open = !enrolment.endedAt && status.phase === 'publication' && !status.publication?.closed;
    return {
      organization: org.name,
      partyOrganization: org.partyOrgName,
      year: round.year,
      proposedStars: round.proposedStars,
      total: round.total,
      publication: { from: status.publication?.from ?? null, to: status.publication?.to ?? null, open },
      objection: { maxLength: PUBLIC_OBJECTION_MAX_LENGTH, how: 'POST this address with {"text": "…"} while the window is open' },
    };
  });

  app.post('/public/star-objections/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '公示 (public link): lodge an objection to the proposed level while the window is open (length- and rate-limited); the department answers it before the award like any other',
      params: TokenParams,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: PUBLIC_OBJECTION_MAX_LENGTH }) }, { additionalProperties: false, examples: [{ text: '该企业存在拖欠职工工资问题，请核查' }] }),
    },
  }, async (request, reply) => {
    const { em, round, org, enrolment } = await roundOfLink(request, request.params.token);
    const text = request.body.text.trim();
    if (!text) throw badRequest('an objection needs a text', [{ field: 'body.text', rule: 'must not be blank' }]);
    const status = round.status as StarRatingStatus;
    if (enrolment.endedAt || status.phase !== 'publication' || status.publication?.closed) throw new ApiError(409, 'window_closed', 'the publication window has closed: objections are no longer taken');
    const cycle = await latestCycle(em, enrolment.departmentUnit.id, round.year);
    const perHour = resolveStarSettings(cycle?.settings ?? {}).settings.publicObjectionsPerHour;
    const client = clientHash(request);
    const recent = await em.count(StarPublicObjection, { organization: org.id, year: round.year, clientHash: client, createdAt: { $gt: new Date(Date.now() - 3_600_000) } });
    if (recent >= perHour) throw new ApiError(429, 'rate_limited', `at most ${perHour} objections an hour from one client`);
    const row = await em.transactional(async (tx) => {
      const created = tx.create(StarPublicObjection, { organization: org.id, year: round.year, text, clientHash: client } as never);
      await tx.flush();
      await recordAudit(tx, { actor: PUBLIC_LINK_ACTOR, action: 'star_rating.public_objection', entityType: 'star_round', entityId: `${org.id}/${round.year}`, after: { objectionId: created.id, length: text.length, client } });
      return created;
    });
    // A refused or unanswered objection stays on record unaccepted (it counts for the client's
    // hourly limit); if the workflow takes it later, its sync activity marks it accepted.
    const actor: Actor = { accountId: '', login: 'public-link', roles: ['public'] };
    await tellWorkflow(() => takeUpdate(bounds, temporal.workflow.getHandle(enrolment.workflowId), fileStarObjection, [{ actor, objectionId: row.id, text }]));
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(StarPublicObjection, { id: row.id }, { accepted: true });
      await recordAudit(tx, { actor: PUBLIC_LINK_ACTOR, action: 'star_rating.public_objection_accepted', entityType: 'star_round', entityId: `${org.id}/${round.year}`, after: { objectionId: row.id } });
    });
    reply.code(201);
    return { accepted: true, objectionId: row.id };
  });

  /** The tracking event types in force: those the current round loaded, else the settings of the cycle that enrolled it. */
  const eventTypesOf = async (em: EntityManager, enrolment: StarEnrolment) => {
    const [round] = await em.find(StarRound, { organization: enrolment.organization.id }, { orderBy: { year: 'desc' }, limit: 1 });
    const loaded = (round?.status as StarRatingStatus | null | undefined)?.config?.eventTypes;
    if (loaded) return loaded;
    const cycle = await cycleInForce(em, enrolment, round?.year ?? enrolment.firstYear);
    return resolveStarSettings((cycle?.settings ?? {}) as Record<string, unknown>).settings.eventTypes;
  };

  // ---------------------------------------------------------------------- dashboards
  const jurisdiction = async (request: FastifyRequest, unitId: string | undefined): Promise<AdministrativeUnit> => {
    const em = emOf(request);
    const principal = principalOf(request);
    const admin = isAdmin(principal);
    const paths = principal.grants.filter((g) => ['org_department', 'street_committee', 'community_committee'].includes(g.role) && g.unitPath);
    const id = unitId ?? paths[0]?.unitId;
    const unit = id ? await em.findOne(AdministrativeUnit, { id }) : null;
    if (!unit || (!admin && !paths.some((g) => unit.path.startsWith(g.unitPath!)))) throw notFound('unit');
    return unit;
  };
  const DashQuery = Type.Object({ unitId: Type.Optional(Type.String({ format: 'uuid' })), year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) });
  const DASH_ROLES: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];

  app.get('/star-ratings/distribution', {
    config: { auth: { roles: DASH_ROLES } },
    schema: { tags, summary: 'The jurisdiction\'s distribution of stars by year (the level each organization held at the end of each year)', querystring: DashQuery },
  }, async (request) => {
    const unit = await jurisdiction(request, request.query.unitId);
    const rows = await emOf(request).getConnection().execute<{ year: number; stars: number; n: string }[]>(
      `with years as (select distinct year from star_move m join organization o on o.id = m.organization_id join administrative_unit u on u.id = o.unit_id where u.path like ?),
            last as (select distinct on (y.year, m.organization_id) y.year, m.to_stars from years y join star_move m on m.year <= y.year
                       join organization o on o.id = m.organization_id join administrative_unit u on u.id = o.unit_id
                      where u.path like ? order by y.year, m.organization_id, m.year desc, m.decided_at desc)
       select year, to_stars as stars, count(*) as n from last group by year, to_stars order by year, to_stars desc`,
      [`${escapeLike(unit.path)}%`, `${escapeLike(unit.path)}%`],
    );
    const years = new Map<number, Record<string, number>>();
    for (const r of rows) {
      if (request.query.year && r.year !== request.query.year) continue;
      const counts = years.get(r.year) ?? { '5': 0, '4': 0, '3': 0, '2': 0, '1': 0, '0': 0 };
      counts[String(r.stars)] = Number(r.n);
      years.set(r.year, counts);
    }
    return { unitId: unit.id, unitName: unit.name, years: [...years].map(([year, counts]) => ({ year, counts })) };
  });

  app.get('/star-ratings/due-for-review', {
    config: { auth: { roles: DASH_ROLES } },
    schema: { tags, summary: 'Organizations due for review: the annual review of the year, immediate reviews waiting for a decision', querystring: DashQuery },
  }, async (request) => {
    const unit = await jurisdiction(request, request.query.unitId);
    const rows = await emOf(request).getConnection().execute<{ organization_id: string; name: string; year: number; kind: string; phase: string; stars: number; status: StarRatingStatus }[]>(
      `select r.organization_id, o.name, r.year, r.kind, r.phase, r.stars, r.status from star_round r join organization o on o.id = r.organization_id
         join administrative_unit u on u.id = o.unit_id
        where u.path like ? and (r.phase in ('review_self_report', 'review_decision') or exists (select 1 from jsonb_array_elements(r.status->'reviews') v where v->'decision' = 'null'::jsonb))
          and r.year = (select max(year) from star_round r2 where r2.organization_id = r.organization_id) order by o.name`,
      [`${escapeLike(unit.path)}%`],
    );
    return {
      items: rows.map((r) => ({
        organizationId: r.organization_id, name: r.name, year: r.year, phase: r.phase, stars: r.stars,
        pending: (r.status.reviews ?? []).filter((v) => !v.decision).map((v) => ({ reviewId: v.id, trigger: v.trigger, proposal: v.proposal, decideBy: v.decideBy })),
      })),
    };
  });

  app.get('/star-ratings/incentives', {
    config: { auth: { roles: DASH_ROLES } },
    schema: { tags, summary: 'Incentive measures granted (and still in force) per organization of the jurisdiction', querystring: DashQuery },
  }, async (request) => {
    const unit = await jurisdiction(request, request.query.unitId);
    const grants = await emOf(request).find(StarIncentiveGrant, { withdrawnAt: null, organization: { unit: { path: { $like: `${escapeLike(unit.path)}%` } } } } as never, { populate: ['organization'], orderBy: { organization: { name: 'asc' }, measureCode: 'asc' } as never });
    const byOrg = new Map<string, { organizationId: string; name: string; measures: { code: string; category: string; department: string; text: string; grantedYear: number }[] }>();
    for (const g of grants) {
      const org = g.organization.getEntity();
      const entry = byOrg.get(org.id) ?? { organizationId: org.id, name: org.name, measures: [] };
      entry.measures.push({ code: g.measureCode, category: g.category, department: g.department, text: g.text, grantedYear: g.grantedYear });
      byOrg.set(org.id, entry);
    }
    return { items: [...byOrg.values()] };
  });

  // ---------------------------------------------------------------------- PDFs
  app.get('/star-ratings/organizations/:orgId/plaques/:year', {
    config: { auth: { roles: ANY } },
    schema: { tags, summary: '授牌证书 PDF of a rating year', params: Type.Object({ orgId: Type.String({ format: 'uuid' }), year: Type.Integer({ minimum: 2000, maximum: 2100 }) }) },
  }, async (request, reply) => {
    const { em, org } = await loadFor(request, request.params.orgId);
    const move = await em.findOne(StarMove, { organization: org.id, year: request.params.year, trigger: 'rating', plaqueSha256: { $ne: null } });
    if (!move) throw notFound('plaque');
    reply.header('content-type', 'application/pdf').header('x-sha256', move.plaqueSha256!);
    return readFile(starReportPath(config.DATA_DIR, move.plaqueSha256!));
  });

  app.post('/star-ratings/lists', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: '星级评定名单: render the jurisdiction\'s list for a year (评定 after a rating, 复审 after reviews)',
      body: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }), kind: Type.Union([Type.Literal('评定'), Type.Literal('复审')]), unitId: Type.Optional(Type.String({ format: 'uuid' })) }),
    },
  }, async (request) => {
    const unit = await jurisdiction(request, request.body.unitId);
    const principal = principalOf(request);
    const input: StarRatingListInput = { unitId: unit.id, year: request.body.year, kind: request.body.kind, decidedByLogin: principal.displayName };
    const handle = await temporal.workflow.start('starRatingList', { taskQueue, workflowId: `star-rating-list/${unit.id}/${input.year}/${randomUUID()}`, args: [input] });
    const result = await resultWhenTaken<{ sha256: string | null; entries: number; problem: string | null }>(bounds, handle, LIST_RENDER_MS);
    if (!result.sha256) throw new ApiError(409, result.entries === 0 ? 'nothing_to_list' : 'report_failed', result.problem ?? 'the list could not be rendered');
    const em = emOf(request);
    await em.transactional((tx) => recordAudit(tx, { actor: { accountId: principal.accountId, label: principal.login }, action: 'star_rating.list', entityType: 'administrative_unit', entityId: unit.id, after: { year: input.year, kind: input.kind, sha256: result.sha256, entries: result.entries } }));
    return { sha256: result.sha256, entries: result.entries, download: `/star-ratings/lists/${result.sha256}` };
  });

  app.get('/star-ratings/lists/:sha256', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'admin'] } },
    schema: { tags, summary: 'Download a rendered rating list', params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }) },
  }, async (request, reply) => {
    const em = emOf(request);
    const rows = await em.execute<{ entity_id: string }[]>(`select entity_id from audit_entry where action = 'star_rating.list' and after->>'sha256' = ? limit 1`, [request.params.sha256]);
    if (!rows[0]) throw notFound('list');
    await jurisdiction(request, rows[0].entity_id);
    reply.header('content-type', 'application/pdf').header('x-sha256', request.params.sha256);
    return readFile(starReportPath(config.DATA_DIR, request.params.sha256));
  });

};
