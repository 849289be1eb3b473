// Cohorts of first-secretary postings: the department creates one (its postings on record with
// the status their workflows start from, then one workflow per posting and one for the cohort),
// and reads its year-end ranking.
import { randomUUID } from 'node:crypto';
import { calendarFor } from '../../../domain/posting/holiday-calendars.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Static } from 'typebox';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { changeWithAudit } from '../../audited.ts';
import { badRequest, conflict, notFound } from '../../../domain/errors.ts';
import type { CohortCreate } from '../../schemas/postings.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingCohort } from '../../../domain/entities/posting-cohort.ts';
import { PostingYearEnd } from '../../../domain/entities/posting-records.ts';
import { postingEndDate } from '../../../domain/posting/calendar.ts';
import { isDateString, shanghaiDate } from '../../../domain/time.ts';
import {
  cohortWorkflowId,
  POSTING_COHORT_WORKFLOW_TYPE,
  POSTING_WORKFLOW_TYPE,
  postingWorkflowId,
  type PostingCohortInput,
  type PostingWorkflowInput,
} from '../../../domain/posting/contracts.ts';
import { overlappingPostings, resolveCohortSettings } from '../../../domain/posting/rules.ts';
import { initialPostingStatus } from '../../../domain/posting/state.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { auditActorOf, overUnit, streetInRegion, type PostingCaller } from './access.ts';

/**
 * One person, one posting at a time: a posting overlapping another of the same person (in this
 * cohort or an earlier one not cancelled) is refused with 409 naming the entry. Run inside the
 * creating transaction, under a lock per person, so two cohorts created at once cannot both
 * post the same secretary.
 */
async function refuseOverlappingPostings(tx: EntityManager, people: Person[], startsOn: string, lengthMonths: number): Promise<void> {
  for (const id of [...new Set(people.map((p) => p.id))].sort()) {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`posting-person:${id}`]);
  }
  const spans = new Map<string, { id: string; from: string; to: string }[]>();
  const mine = { person: { $in: people.map((p) => p.id) }, phase: { $ne: 'cancelled' } };
  const existing = await tx.find(Posting, mine, { orderBy: { startsOn: 'asc' }, refresh: true });
  for (const row of existing) {
    spans.set(row.person.id, [...(spans.get(row.person.id) ?? []), { id: row.id, from: String(row.startsOn), to: String(row.endsOn) }]);
  }
  const endsOn = postingEndDate(startsOn, lengthMonths);
  const overlaps: { field: string; rule: string }[] = [];
  people.forEach((person, i) => {
    const clash = overlappingPostings(spans.get(person.id) ?? [], startsOn, lengthMonths)[0];
    if (clash) {
      const rule =
        clash.id === 'this request'
          ? `${person.name} appears twice in this cohort`
          : `${person.name} is already posted from ${clash.from} to ${clash.to} (posting ${clash.id})`;
      overlaps.push({ field: `body.postings.${i}.personId`, rule });
    }
    spans.set(person.id, [...(spans.get(person.id) ?? []), { id: 'this request', from: startsOn, to: endsOn }]);
  });
  if (overlaps.length) throw conflict('a first secretary cannot hold two postings at the same time', overlaps);
}

type Chosen = { person: Person; community: AdministrativeUnit; org: Organization; originalPosition: string | null };

/** The people, communities (inside the region) and dispatching units named in the body; 400 naming the entry otherwise. */
async function chosenPostings(em: EntityManager, region: AdministrativeUnit, postings: Static<typeof CohortCreate>['postings']): Promise<Chosen[]> {
  const chosen: Chosen[] = [];
  for (const [i, p] of postings.entries()) {
    const [person, community, org] = await Promise.all([
      em.findOne(Person, { id: p.personId }),
      em.findOne(AdministrativeUnit, { id: p.communityId, level: 'community' }),
      em.findOne(Organization, { id: p.dispatchingOrganizationId }),
    ]);
    const field = `body.postings.${i}`;
    if (!person) throw badRequest('unknown person', [{ field: `${field}.personId`, rule: 'an existing person' }]);
    if (!community || !community.path.startsWith(region.path)) {
      throw badRequest('unknown community', [{ field: `${field}.communityId`, rule: 'a community inside the region' }]);
    }
    if (!org) throw badRequest('unknown dispatching unit', [{ field: `${field}.dispatchingOrganizationId`, rule: 'an existing organization' }]);
    chosen.push({ person, community, org, originalPosition: p.originalPosition ?? null });
  }
  return chosen;
}

/** Starts a workflow once: a second start of the same business key is the one already running. */
async function startOnce(caller: PostingCaller, type: string, workflowId: string, input: unknown): Promise<void> {
  const { temporal, config } = caller.services;
  try {
    await temporal.workflow.start(type, { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export async function createCohort(caller: PostingCaller, body: Static<typeof CohortCreate>) {
  const { em, principal } = caller;
  if (!isDateString(body.startsOn)) throw badRequest('startsOn is not a date', [{ field: 'body.startsOn', rule: 'YYYY-MM-DD calendar date' }]);
  const { settings, problems } = resolveCohortSettings(body.settings as never);
  if (problems.length) throw badRequest('the cohort settings are invalid', problems.map((p) => ({ field: `body.settings.${p.path}`, rule: p.message })));
  const region = await em.findOne(AdministrativeUnit, { id: body.regionUnitId });
  if (!region || !overUnit(principal, region.path, ['org_department'])) throw notFound('unit');
  const chosen = await chosenPostings(em, region, body.postings);
  const endsOn = postingEndDate(body.startsOn, settings.lengthMonths);
  // Every year the cohort spans: the stored calendar of that year (shipped or entered by the department) wins.
  settings.holidayCalendar = await calendarFor(em, settings.holidayCalendar, body.startsOn, endsOn);
  // The cohort, its postings and the audit row commit together; the workflows start after.
  const { cohort, postings } = await changeWithAudit(
    em,
    auditActorOf(caller),
    (created) => ({
      action: 'posting_cohort.create',
      entityType: 'posting_cohort',
      entityId: created.cohort.id,
      after: {
        name: body.name,
        regionUnitId: region.id,
        startsOn: body.startsOn,
        settings,
        postings: created.postings.map((p) => ({
          id: p.id,
          personId: p.person.id,
          communityId: p.community.id,
          dispatchingOrganizationId: p.dispatchingOrganization.id,
        })),
      },
    }),
    async (tx: EntityManager) => {
      await refuseOverlappingPostings(tx, chosen.map((c) => c.person), body.startsOn, settings.lengthMonths);
      const cohort = tx.create(PostingCohort, { name: body.name, region, startsOn: body.startsOn, settings } as never);
      const postings = chosen.map((c) => {
        // Where the workflow starts from, on record before it runs: the view never waits for it.
        const id = randomUUID();
        const status = initialPostingStatus({ postingId: id, settings });
        const row = { id, person: c.person, community: c.community, dispatchingOrganization: c.org, cohort, originalPosition: c.originalPosition };
        return tx.create(Posting, { ...row, startsOn: body.startsOn, endsOn, phase: 'awaiting_guarantees', status } as never);
      });
      return { cohort, postings };
    },
  );
  // A cohort created after its planned start begins today (its postings count from the day
  // they begin): no attendance sheets for the months already past, made all at once.
  const today = shanghaiDate(caller.services.clock.now().getTime());
  const cohortInput: PostingCohortInput = { cohortId: cohort.id, firstMonth: (body.startsOn > today ? body.startsOn : today).slice(0, 7) };
  await startOnce(caller, POSTING_COHORT_WORKFLOW_TYPE, cohortWorkflowId(cohort.id), cohortInput);
  for (const posting of postings) {
    const secretaryName = posting.person.getEntity().name;
    const input: PostingWorkflowInput = { postingId: posting.id, cohortId: cohort.id, secretaryName, startsOn: body.startsOn, settings };
    await startOnce(caller, POSTING_WORKFLOW_TYPE, postingWorkflowId(posting.id), input);
  }
  return { id: cohort.id, postings: postings.map((p) => ({ id: p.id, workflowId: postingWorkflowId(p.id) })) };
}

/** A cohort the caller may see: the department (or admin) over its region, or a street committee inside it; 404 otherwise. */
export async function visibleCohort(caller: PostingCaller, cohortId: string, roles?: Role[]): Promise<PostingCohort> {
  const { principal } = caller;
  const cohort = await caller.em.findOne(PostingCohort, { id: cohortId }, { populate: ['region'] });
  if (!cohort) throw notFound('cohort');
  const path = cohort.region.getEntity().path;
  if (!(roles ? overUnit(principal, path, roles) : overUnit(principal, path) || streetInRegion(principal, path))) throw notFound('cohort');
  return cohort;
}

/**
 * The department over the cohort's region sees the whole ranking; a street committee in the
 * region sees the rows of the postings in its streets (with their cohort-wide rank).
 */
export async function cohortRanking(caller: PostingCaller, cohortId: string) {
  const cohort = await visibleCohort(caller, cohortId);
  const populate = ['posting', 'posting.person', 'posting.community'] as const;
  const rows = await caller.em.find(PostingYearEnd, { cohortId: cohort.id }, { orderBy: { rank: 'asc', total: 'desc' }, populate });
  const whole = overUnit(caller.principal, cohort.region.getEntity().path, ['org_department', 'admin']);
  const visible = whole ? rows : rows.filter((r) => overUnit(caller.principal, r.posting.getEntity().community.getEntity().path, ['street_committee']));
  return {
    cohortId: cohort.id,
    entries: visible.map((r) => ({
      postingId: r.posting.id,
      name: r.posting.getEntity().person.getEntity().name,
      total: Number(r.total),
      rank: r.rank ?? null,
      grade: r.grade ?? null,
    })),
  };
}

/** Cohorts the caller may see (the department over the region, a street committee inside it), newest start first, with their counts. */
export async function listCohorts(caller: PostingCaller, page: { limit: number; offset: number }) {
  const { em, principal } = caller;
  const all = await em.find(PostingCohort, {}, { populate: ['region'], orderBy: { startsOn: 'desc', createdAt: 'desc', id: 'asc' } });
  const visible = all.filter((c) => overUnit(principal, c.region.getEntity().path) || streetInRegion(principal, c.region.getEntity().path));
  const shown = visible.slice(page.offset, page.offset + page.limit);
  const ids = shown.map((c) => c.id);
  const counts = ids.length
    ? await em.execute<{ cohort_id: string; postings: string; under_way: string; ranked: string }[]>(
      'select p.cohort_id, count(*) as postings, count(*) filter (where p.phase not in (\'completed\', \'cancelled\')) as under_way, ' +
        'count(y.rank) as ranked from posting p left join posting_year_end y on y.posting_id = p.id where p.cohort_id in (?) group by p.cohort_id',
      [ids],
    )
    : [];
  const byId = new Map(counts.map((r) => [r.cohort_id, r]));
  return {
    items: shown.map((c) => ({
      id: c.id,
      name: c.name,
      regionUnitId: c.region.id,
      region: c.region.getEntity().name,
      startsOn: (c.startsOn as unknown) instanceof Date ? shanghaiDate((c.startsOn as unknown as Date).getTime()) : String(c.startsOn),
      postings: Number(byId.get(c.id)?.postings ?? 0),
      underWay: Number(byId.get(c.id)?.under_way ?? 0),
      ranked: Number(byId.get(c.id)?.ranked ?? 0),
    })),
    total: visible.length,
    limit: page.limit,
    offset: page.offset,
  };
}
