// Dual commitments cycles that start late, on the devserver with time skipping and the real
// activities: a start whose dates have passed is refused naming each date; a workflow started
// weeks after its submission deadline sends one 逾期督办 per person, then one a week (never the
// catch-up storm of every week since the deadline); reminder texts count Shanghai calendar
// days. The cycle list shows the department its cycles with counts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, type CycleHarness, httpCaller } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { createDualCommitmentActivities } from '../../../activities/dual-commitment.ts';
import { gatePlan, resolveSettings } from '../../../domain/dual-commitment/rules.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CommitmentSet } from '../../../domain/entities/commitment.ts';
import { Notification } from '../../../domain/entities/notification.ts';
import { dualCommitment } from '../../../workflows/dual-commitment.ts';
import { dualCommitmentStatus } from '../../../domain/dual-commitment/contracts.ts';
import { DAY_MS, shanghaiDate } from '../../../domain/time.ts';
import { unitMaker } from '../../support/fixtures.ts';

let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
const accounts: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  harness = await startCycleHarness((app) => createDualCommitmentActivities({ orm: app.orm, publicBaseUrl: 'https://dangjian.example.cn' }));
  ({ env, app } = harness);
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('d1', '测试区', 'district', null);
  const street = unit('s1', '东街道', 'street', district);
  const community = unit('c1', '东社区', 'community', street);
  const otherDistrict = unit('d2', '别的区', 'district', null);
  const org = em.create(Organization, { name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', unit: community, responsiblePeople: [] } as never);
  const org2 = em.create(Organization, { name: '东街道物流公司', kind: 'non_public_enterprise', unit: street, responsiblePeople: [] } as never);
  em.create(Organization, { name: '别区公司', kind: 'non_public_enterprise', unit: otherDistrict, responsiblePeople: [] } as never);
  Object.assign(ids, { district: district.id, street: street.id, org: org.id, org2: org2.id });
  const grant = (login: string, role: string, scope: { unit?: unknown; organization?: unknown }) => {
    accounts[login] = grantWithToken(em, tokens, login, role, scope).id;
  };
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  grant('otherdept', 'org_department', { unit: otherDistrict });
  grant('rep', 'enterprise_rep', { organization: org });
  grant('party', 'enterprise_party_org', { organization: org });
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);
type ErrorBody = { error: string; details: { field: string; rule: string }[] };

describe('a dual commitments cycle started late', () => {
  it('is refused with 400 naming each date that has passed, and accepted with dates that lie ahead', async () => {
    const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
    const late = await call('dept', 'POST', '/dual-commitments/cycles', { year: thisYear - 1, organizationIds: [ids.org] });
    expect(late.status).toBe(400);
    const body = late.body as ErrorBody;
    expect(body.error).toBe('bad_request');
    expect(body.details.map((d) => d.field)).toEqual(['body.settings.submissionDeadline', 'body.settings.practiceEnd', 'body.settings.evaluationStart', 'body.settings.evaluationEnd']);
    expect(body.details[0]!.rule).toContain(`${thisYear - 1}-03-31`);
    // Explicit dates that are also past are refused the same way, one field each.
    const explicit = await call('dept', 'POST', '/dual-commitments/cycles', { year: thisYear - 1, settings: { submissionDeadline: `${thisYear - 1}-05-31` }, organizationIds: [ids.org] });
    expect(explicit.status).toBe(400);
    expect((explicit.body as ErrorBody).details[0]).toEqual({ field: 'body.settings.submissionDeadline', rule: expect.stringContaining(`${thisYear - 1}-05-31`) });
    // Next year's default dates all lie ahead: accepted.
    expect((await call('dept', 'POST', '/dual-commitments/cycles', { year: thisYear + 1, organizationIds: [ids.org, ids.org2] })).status).toBe(202);
  }, 60_000);

  it('sends one 逾期督办 per person at once and one a week after, never the weeks already past', async () => {
    const now = await env.currentTimeMs();
    const year = Number(shanghaiDate(new Date(now)).slice(0, 4));
    const em = app.orm.em.fork() as EntityManager;
    const cycle = em.create(Cycle, { type: 'dual_commitment', year, name: `${year}年度双向承诺`, scope: {}, settings: {}, status: 'running' } as never);
    const set = em.create(CommitmentSet, { cycle, organization: ids.org, year, workflowId: `dual-commitment/${ids.org}/${year}-late` } as never);
    await em.flush();
    // The default plan of the year, its submission deadline moved 35 weeks back from the
    // workflow clock (the finding: a cycle started in November with the default 03-31).
    const plan = {
      ...gatePlan(year, resolveSettings(year, {}).settings),
      submissionDeadline: new Date(now - 35 * 7 * DAY_MS).toISOString(),
      evaluationEnd: new Date(now + 60 * DAY_MS).toISOString(),
    };
    const handle = await env.client.workflow.start(dualCommitment, {
      taskQueue: app.config.TEMPORAL_TASK_QUEUE,
      workflowId: set.workflowId,
      args: [{ setId: set.id, cycleId: cycle.id, organizationId: ids.org!, year, plan }],
    });
    const escalationsPerPerson = async () => {
      const rows = await app.orm.em.fork().find(Notification, { kind: 'escalation', title: '双向承诺逾期督办' }, { orderBy: { createdAt: 'asc' } });
      const counts: Record<string, number> = {};
      for (const row of rows) {
        const login = Object.keys(accounts).find((l) => accounts[l] === row.recipient.id) ?? row.recipient.id;
        counts[login] = (counts[login] ?? 0) + 1;
      }
      return counts;
    };
    await env.sleep(DAY_MS);
    expect((await handle.query(dualCommitmentStatus)).escalations).toHaveLength(1);
    // One per person (the department and the street over the organization), none elsewhere.
    expect(await escalationsPerPerson()).toEqual({ dept: 1, street: 1 });
    await env.sleep(5 * DAY_MS);
    expect(await escalationsPerPerson()).toEqual({ dept: 1, street: 1 });
    await env.sleep(2 * DAY_MS);
    expect(await escalationsPerPerson()).toEqual({ dept: 2, street: 2 });
    // No reminder for a deadline already gone.
    expect(await app.orm.em.fork().count(Notification, { kind: 'deadline_reminder' })).toBe(0);
    await handle.terminate('test done');
    await harness.replay(set.workflowId);
  }, 120_000);

  it('says in a reminder how many Shanghai calendar days are left', async () => {
    const acts = createDualCommitmentActivities({ orm: app.orm });
    const now = Date.parse('2026-06-29T15:30:00Z'); // 23:30 on 06-29 in Shanghai
    const em = app.orm.em.fork() as EntityManager;
    const cycle = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: '2026年度双向承诺', scope: {}, settings: { submissionDeadline: '2026-06-30', evaluationEnd: '2026-07-02' }, status: 'running' } as never);
    const set = em.create(CommitmentSet, { cycle, organization: ids.org2, year: 2026, workflowId: `dual-commitment/${ids.org2}/2026-text` } as never);
    await em.flush();
    // The organization's own accounts are those of org, not org2: give org2 a drafter.
    const em2 = app.orm.em.fork() as EntityManager;
    accounts.rep2 = grantWithToken(em2, tokens, 'rep2', 'enterprise_rep', { organization: ids.org2 }).id;
    await em2.flush();
    await acts.sendReminder({ setId: set.id, subject: 'submission', itemKey: null, daysBefore: 7, now });
    const [reminder] = await app.orm.em.fork().find(Notification, { recipient: accounts.rep2!, kind: 'deadline_reminder' });
    expect(reminder!.body).toBe('双向承诺的定诺将于明天（6月30日）截止，请在截止前提交并通过审核。');
  }, 60_000);

  it("lists the cycles with organizations in the caller's jurisdiction, newest first, with counts; another district sees none", async () => {
    type CycleList = { items: { id: string; year: number; sets: number; start: { started: number; failed: number; pending: number }; perGate: Record<string, number>; href: string }[]; total: number; limit: number; offset: number };
    const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
    let list = (await call('dept', 'GET', '/dual-commitments/cycles')).body as CycleList;
    // Three cycles: next year's through the API (2 sets), the late one and the reminder's (1 set each), newest first.
    expect(list.total).toBe(3);
    expect(list.items.map((c) => c.sets)).toEqual([1, 1, 2]);
    const started = list.items[2]!;
    expect(started).toMatchObject({ year: thisYear + 1, href: `/dual-commitments/cycles/${started.id}`, perGate: { set: 2, show: 0, practice: 0, evaluate: 0, filed: 0 } });
    expect(started.start.started + started.start.pending + started.start.failed).toBe(2);
    // Paged and filtered.
    const page = (await call('dept', 'GET', '/dual-commitments/cycles?limit=1&offset=2')).body as CycleList;
    expect([page.total, page.limit, page.offset, page.items.map((c) => c.id)]).toEqual([3, 1, 2, [started.id]]);
    expect(((await call('dept', 'GET', `/dual-commitments/cycles?year=${thisYear + 1}`)).body as CycleList).items.map((c) => c.id)).toEqual([started.id]);
    // The street sees the same cycles, counted over its own organizations.
    list = (await call('street', 'GET', '/dual-commitments/cycles')).body as CycleList;
    expect(list.total).toBe(3);
    // Another district's department: nothing, and an enterprise may not list cycles at all.
    expect((await call('otherdept', 'GET', '/dual-commitments/cycles')).body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    expect((await call('rep', 'GET', '/dual-commitments/cycles')).status).toBe(403);
    expect((await call('dept', 'GET', '/dual-commitments/cycles?limit=0')).status).toBe(400);
  }, 60_000);
});
