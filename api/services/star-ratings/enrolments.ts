// Enrolment (逐年扩大比例): a department enrols a count or a growing share of its jurisdiction's
// organizations for a year. Writes what the department filed (the year's cycle with its
// settings, one star_enrolment row per organization) and then starts one workflow each.
import type { Static } from 'typebox';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { badRequest } from '../../../domain/errors.ts';
import { escapeLike } from '../../../domain/auth/scope.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { CatalogVersion } from '../../../domain/entities/catalog-version.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { StarEnrolment } from '../../../domain/entities/star-rating.ts';
import { enrolmentRuleProblem, enrolmentTarget, type EnrolmentRule } from '../../../domain/star-rating/rules.ts';
import { passedRatingDeadlines, resolveStarSettings } from '../../../domain/star-rating/calendar.ts';
import { STAR_RATING_WORKFLOW, starRatingWorkflowId, type StarRatingInput } from '../../../domain/star-rating/contracts.ts';
import { starCycleInForce } from '../../../domain/star-rating/records.ts';
import type { EnrolmentBody, EnrolmentResult } from '../../schemas/star-ratings.ts';
import { auditActorOf, departmentUnit, type Caller, type StarDeps } from './access.ts';

const START_CONCURRENCY = 16;
const prefixed = (problems: { field: string; rule: string }[]) => problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule }));

export async function enrol(deps: StarDeps, caller: Caller, body: Static<typeof EnrolmentBody>): Promise<Static<typeof EnrolmentResult>> {
  const { em, principal } = caller;
  const unit = await departmentUnit(caller, body.unitId, 'body.unitId');

  const latest = await starCycleInForce(em, unit.id, body.year);
  const inherited = { ...(latest?.settings ?? {}) };
  delete inherited.enrolment;
  const settings = { ...inherited, ...(body.settings ?? {}) };
  const { settings: resolved, problems } = resolveStarSettings(settings);
  if (problems.length) throw badRequest('the star-rating settings are invalid', prefixed(problems));
  // Enrolled after the self-assessment deadline, every organization would be 不予评定 at once.
  const passed = passedRatingDeadlines(body.year, resolved, deps.clock.now().getTime());
  if (passed.length) throw badRequest('deadlines of the rating year have already passed', prefixed(passed));
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
    const notFree = (id: string) => ({
      field: 'body.organizationIds',
      rule: `${id} is not an unenrolled enterprise or social organization of the jurisdiction`,
    });
    if (wrong.length) throw badRequest('some organizations cannot be enrolled', wrong.map(notFree));
    const tooMany = [{ field: 'body.organizationIds', rule: `the rule admits ${target.newThisYear} new organizations this year` }];
    if (body.organizationIds.length > target.newThisYear) throw badRequest('too many organizations for the rule', tooMany);
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
    const enrolments = chosen.map((orgId) => tx.create(StarEnrolment, {
      organization: orgId, departmentUnit: unit.id, cycle, firstYear: body.year, workflowId: starRatingWorkflowId(orgId), enrolledBy: principal.accountId,
    } as never));
    await tx.flush();
    const after = { year: body.year, unitId: unit.id, rule, organizations: chosen.length };
    await recordAudit(tx, { actor: auditActorOf(principal), action: 'star_rating.enrol', entityType: 'cycle', entityId: cycle.id, after });
    return { cycle, enrolments: enrolments.map((e) => ({ id: e.id, organizationId: e.organization.id, workflowId: e.workflowId })) };
  });

  const { started, failed } = await startWorkflows(deps, body.year, enrolments);
  if (started.length) {
    await em.transactional(async (tx) => {
      const at = deps.clock.now();
      for (let i = 0; i < started.length; i += 500) await tx.nativeUpdate(StarEnrolment, { id: { $in: started.slice(i, i + 500) } }, { startedAt: at });
      const after = { started: started.length, failed };
      await recordAudit(tx, { actor: auditActorOf(principal), action: 'star_rating.start', entityType: 'cycle', entityId: cycle.id, after });
    });
  }
  const counts = { eligible: eligible.length, alreadyEnrolled: already, targetTotal: target.targetTotal };
  return { cycleId: cycle.id, year: body.year, ...counts, enrolled: chosen, failedToStart: failed };
}

/** Starts one workflow per enrolment, a few at a time; one already running counts as started. */
async function startWorkflows(deps: StarDeps, year: number, enrolments: { id: string; organizationId: string; workflowId: string }[]) {
  let next = 0;
  let failed = 0;
  const started: string[] = [];
  const start = async () => {
    for (;;) {
      const enrolment = enrolments[next++];
      if (!enrolment) return;
      const input: StarRatingInput = { organizationId: enrolment.organizationId, year, firstYear: year, stars: 0, lastRating: null, events: [] };
      try {
        await deps.temporal.workflow.start(STAR_RATING_WORKFLOW, { taskQueue: deps.taskQueue, workflowId: enrolment.workflowId, args: [input] });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
          failed += 1;
          deps.log.error({ err: error, organizationId: input.organizationId }, 'could not start a star rating workflow');
          continue;
        }
      }
      started.push(enrolment.id);
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, start));
  return { started, failed };
}
