// 双报到 as people file it: a unit or a member reports to a community, the community confirms
// (which starts the member's workflow of monthly checks) or declines; lists and one member's record.
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { scopeOf } from '../../../domain/auth/scope.ts';
import { clockOf } from '../../../domain/clock.ts';
import { badRequest, notFound } from '../../../domain/errors.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { MEMBER_REPORT_WORKFLOW, memberReportWorkflowId, type MemberReportInput } from '../../../domain/member-report/contracts.ts';
import { registrationRefusal } from '../../../domain/member-report/state.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import type * as S from '../../schemas/member-reports.ts';
import { askWorkflow, type WorkflowBounds } from '../../workflow-refusals.ts';
import { actorOf, unitInScope, unitScopeSql, type Caller } from '../points/access.ts';
import { COMMUNITY_STAFF, CONFIRMERS, loadRegistration, standing, UNIT_ROLES } from './access.ts';
import { detailOf, REGISTRATION_SELECT, registrationOf } from './records.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export interface MemberReportDeps {
  temporal: Client;
  bounds: WorkflowBounds;
  taskQueue: string;
}

export function createRegistrationService(deps: MemberReportDeps) {
  async function unitById({ em }: Caller, id: string) {
    const [r] = await em.execute<Record<string, unknown>[]>(
      `select r.id, r.organization_id, o.name organization_name, r.community_id, u.name community_name, r.status, r.created_at, r.decided_at
         from unit_registration r join organization o on o.id = r.organization_id join administrative_unit u on u.id = r.community_id where r.id = ?`, [id]);
    if (!r) throw notFound('unit registration');
    return {
      id: r.id as string, organizationId: r.organization_id as string, organizationName: r.organization_name as string, communityId: r.community_id as string,
      communityName: r.community_name as string, status: r.status as 'pending', createdAt: iso(r.created_at)!, decidedAt: iso(r.decided_at),
    };
  }

  async function registerUnit(caller: Caller, body: Static<typeof S.UnitRegistrationBody>) {
    const { em, principal } = caller;
    if (!scopeOf(principal, UNIT_ROLES).organizationIds.includes(body.organizationId) && !scopeOf(principal, ['admin']).all) throw notFound('organization');
    const [community] = await em.execute<{ level: string }[]>('select level from administrative_unit where id = ?', [body.communityId]);
    if (!community || community.level !== 'community') throw badRequest('not a community', [{ field: 'body.communityId', rule: '请选择报到的社区' }]);
    const now = clockOf(em).now();
    const id = randomUUID();
    await em.transactional(async (tx) => {
      const made = await tx.execute(`insert into unit_registration (id, organization_id, community_id, status, created_at) values (?, ?, ?, 'pending', ?)
        on conflict (organization_id, community_id) do nothing returning id`, [id, body.organizationId, body.communityId, now]);
      if (made.length) await recordAudit(tx, { actor: actorOf(principal), action: 'unit_registration.create', entityType: 'unit_registration', entityId: id,
        after: body });
    });
    const [row] = await em.execute<{ id: string }[]>('select id from unit_registration where organization_id = ? and community_id = ?', [body.organizationId,
      body.communityId]);
    return unitById(caller, row!.id);
  }

  async function units(caller: Caller, query: { limit: number; offset: number }) {
    const { em, principal } = caller;
    const staff = unitScopeSql(scopeOf(principal, COMMUNITY_STAFF), 'r.community_id');
    const orgs = scopeOf(principal, UNIT_ROLES).organizationIds;
    const where = `(${staff.sql}${orgs.length ? ` or r.organization_id in (${orgs.map(() => '?').join(', ')})` : ''})`;
    const params = [...staff.params, ...orgs];
    const rows = await em.execute<{ id: string; total: string }[]>(
      `select r.id, count(*) over () total from unit_registration r where ${where} order by r.created_at desc, r.id limit ? offset ?`, [...params,
        query.limit, query.offset]);
    return { items: await Promise.all(rows.map((r) => unitById(caller, r.id))), total: rows.length ? Number(rows[0]!.total) : 0, limit: query.limit,
      offset: query.offset };
  }

  async function decideUnit(caller: Caller, id: string, decision: 'confirm' | 'decline') {
    const { em, principal } = caller;
    const [row] = await em.execute<{ community_id: string; status: 'pending' }[]>('select community_id, status from unit_registration where id = ?', [id]);
    if (!row) throw notFound('unit registration');
    await unitInScope(em, principal, row.community_id, CONFIRMERS, 'unit registration');
    const refusal = registrationRefusal(row.status);
    if (refusal) throw refusal;
    const status = decision === 'confirm' ? 'confirmed' : 'declined';
    await em.transactional(async (tx) => {
      await tx.execute('update unit_registration set status = ?, decided_at = ?, decided_by = ? where id = ?', [status, clockOf(em).now(),
        principal.accountId, id]);
      await recordAudit(tx, { actor: actorOf(principal), action: `unit_registration.${decision}`, entityType: 'unit_registration', entityId: id,
        after: { status } });
    });
    return unitById(caller, id);
  }

  async function register(caller: Caller, body: Static<typeof S.RegistrationBody>) {
    const { em, principal } = caller;
    if (!principal.personId) throw badRequest('your account is not linked to a person', [{ field: 'account.person', rule: '账号未关联党员信息，请联系管理员' }]);
    const [person] = await em.execute<{ organization_id: string | null; is_party_member: boolean }[]>(
      'select organization_id, is_party_member from person where id = ?', [principal.personId]);
    if (!person?.organization_id) throw badRequest('no work unit on record', [{ field: 'account.person.organization', rule: '未登记工作单位，请联系单位党组织' }]);
    const [community] = await em.execute<{ level: string }[]>('select level from administrative_unit where id = ?', [body.communityId]);
    if (!community || community.level !== 'community') throw badRequest('not a community', [{ field: 'body.communityId', rule: '请选择报到的社区' }]);
    const now = clockOf(em).now();
    const id = randomUUID();
    await em.transactional(async (tx) => {
      const made = await tx.execute(
        `insert into member_registration (id, person_id, organization_id, community_id, status, skills, created_at) values (?, ?, ?, ?, 'pending', ?, ?)
         on conflict (person_id, community_id) do nothing returning id`,
        [id, principal.personId, person.organization_id, body.communityId, body.skills?.trim() || null, now]);
      if (made.length) await recordAudit(tx, { actor: actorOf(principal), action: 'member_registration.create', entityType: 'member_registration',
        entityId: id, after: body });
    });
    const [row] = await em.execute<{ id: string }[]>('select id from member_registration where person_id = ? and community_id = ?', [principal.personId,
      body.communityId]);
    return (await detailOf(em, row!.id, now)).registration;
  }

  async function list({ em, principal }: Caller, query: Static<typeof S.RegistrationQuery>) {
    const staff = unitScopeSql(scopeOf(principal, COMMUNITY_STAFF), 'r.community_id');
    const orgs = scopeOf(principal, UNIT_ROLES).organizationIds;
    const parts = [staff.sql, ...(orgs.length ? [`r.organization_id in (${orgs.map(() => '?').join(', ')})`] : []),
      ...(principal.personId ? ['r.person_id = ?'] : [])];
    const filters = [`(${parts.join(' or ')})`];
    const params: unknown[] = [...staff.params, ...orgs, ...(principal.personId ? [principal.personId] : [])];
    if (query.status) filters.push('r.status = ?') && params.push(query.status);
    if (query.organizationId) filters.push('r.organization_id = ?') && params.push(query.organizationId);
    const year = shanghaiDate(clockOf(em).now()).slice(0, 4);
    const where = filters.join(' and ');
    const [rows, [count]] = await Promise.all([
      em.execute<Record<string, unknown>[]>(`${REGISTRATION_SELECT} where ${where} order by r.status desc, r.created_at desc, r.id limit ? offset ?`,
        [year, ...params, query.limit, query.offset]),
      em.execute<{ n: string }[]>(`select count(*) n from member_registration r where ${where}`, params),
    ]);
    return { items: rows.map(registrationOf), total: Number(count!.n), limit: query.limit, offset: query.offset };
  }

  async function detail(caller: Caller, id: string) {
    standing(caller, await loadRegistration(caller, id));
    return detailOf(caller.em, id, clockOf(caller.em).now());
  }

  async function decide(caller: Caller, id: string, decision: 'confirm' | 'decline') {
    const { em, principal } = caller;
    const reg = await loadRegistration(caller, id);
    if (!standing(caller, reg).confirmer) throw notFound('registration');
    const refusal = registrationRefusal(reg.status);
    if (refusal) throw refusal;
    const now = clockOf(em).now();
    const workflowId = memberReportWorkflowId(id);
    if (decision === 'confirm') {
      // The workflow first (its ID is the registration's): a confirmation it missed would never be checked.
      const today = shanghaiDate(now);
      const input: MemberReportInput = { registrationId: id, year: Number(today.slice(0, 4)), fromMonth: Number(today.slice(5, 7)) };
      await askWorkflow(deps.bounds, () => deps.temporal.workflow.start(MEMBER_REPORT_WORKFLOW, { taskQueue: deps.taskQueue, workflowId, args: [input] }))
        .catch((error) => {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        });
    }
    const status = decision === 'confirm' ? 'confirmed' : 'declined';
    await em.transactional(async (tx) => {
      await tx.execute('update member_registration set status = ?, decided_at = ?, decided_by = ?, workflow_id = ? where id = ?',
        [status, now, principal.accountId, decision === 'confirm' ? workflowId : null, id]);
      await recordAudit(tx, { actor: actorOf(principal), action: `member_registration.${decision}`, entityType: 'member_registration', entityId: id,
        after: { status } });
    });
    return (await detailOf(em, id, now)).registration;
  }

  return { registerUnit, units, decideUnit, register, list, detail, decide };
}
