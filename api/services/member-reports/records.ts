// What members file on a confirmed registration (service records, which earn 先锋指数 pending the
// community's confirmation; household pairings and their visits), one registration's record, a
// unit's summary for the 写实评价 of its dual commitments, and the dashboard's service rates.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Static } from 'typebox';
import { scopeOf } from '../../../domain/auth/scope.ts';
import { clockOf } from '../../../domain/clock.ts';
import { notFound } from '../../../domain/errors.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { creditPoints } from '../../../domain/points/ledger.ts';
import { recordRefusal } from '../../../domain/member-report/state.ts';
import { requireValid, serviceErrors, serviceRate, visitErrors } from '../../../domain/member-report/rules.ts';
import { shanghaiDate } from '../../../domain/time.ts';
import type * as S from '../../schemas/member-reports.ts';
import { actorOf, unitScopeSql, type Caller } from '../points/access.ts';
import { COMMUNITY_STAFF, loadRegistration, standing, UNIT_ROLES } from './access.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** The registration with its counts of the year (the first parameter). */
export const REGISTRATION_SELECT = `select r.id, r.person_id, p.name person_name, r.organization_id, o.name organization_name,
  r.community_id, u.name community_name,
  r.status, r.skills, r.created_at, r.decided_at, y.year,
  (select count(*) from member_service_record s where s.registration_id = r.id and to_char(s.served_on, 'YYYY') = y.year) services,
  (select count(*) from member_month_flag f where f.registration_id = r.id and f.month like y.year || '%') flagged,
  (select count(*) from household_pairing h where h.registration_id = r.id) pairings,
  (select count(*) from household_visit v join household_pairing h on h.id = v.pairing_id where h.registration_id = r.id) visits,
  (select to_char(max(s.served_on), 'YYYY-MM-DD') from member_service_record s where s.registration_id = r.id) last_served
  from member_registration r cross join (select ?::text as year) y join person p on p.id = r.person_id join organization o on o.id = r.organization_id
  join administrative_unit u on u.id = r.community_id`;

export const registrationOf = (r: Record<string, unknown>): Static<typeof S.Registration> => ({
  id: r.id as string, personId: r.person_id as string, personName: r.person_name as string, organizationId: r.organization_id as string,
  organizationName: r.organization_name as string, communityId: r.community_id as string, communityName: r.community_name as string,
  status: r.status as 'pending', skills: (r.skills as string | null) ?? null, createdAt: iso(r.created_at)!, decidedAt: iso(r.decided_at),
  servicesThisYear: Number(r.services), monthsFlagged: Number(r.flagged), pairings: Number(r.pairings), visits: Number(r.visits),
  lastServedOn: (r.last_served as string | null) ?? null,
});

export async function detailOf(em: EntityManager, id: string, now: Date) {
  const [row] = await em.execute<Record<string, unknown>[]>(`${REGISTRATION_SELECT} where r.id = ?`, [shanghaiDate(now).slice(0, 4), id]);
  if (!row) throw notFound('registration');
  const [services, flags, pairings, visits] = await Promise.all([
    em.execute<Record<string, unknown>[]>(
      `select s.id, to_char(s.served_on, 'YYYY-MM-DD') served_on, s.hours, s.content, s.created_at, e.id entry_id, e.amount, e.status entry_status
         from member_service_record s left join point_entry e on e.source_key = 'member-service/' || s.id where s.registration_id = ?
        order by s.served_on desc, s.created_at desc limit 200`, [id]),
    em.execute<{ month: string }[]>('select month from member_month_flag where registration_id = ? order by month desc', [id]),
    em.execute<Record<string,
      unknown>[]>('select id, household_name, address, difficulty, created_at from household_pairing where registration_id = ? order by created_at', [id]),
    em.execute<Record<string, unknown>[]>(
      `select v.id, v.pairing_id, to_char(v.visited_on, 'YYYY-MM-DD') visited_on, v.note, v.created_at from household_visit v
         join household_pairing h on h.id = v.pairing_id where h.registration_id = ? order by v.visited_on desc`, [id]),
  ]);
  return {
    registration: registrationOf(row),
    services: services.map((s) => ({
      id: s.id as string, servedOn: s.served_on as string, hours: Number(s.hours), content: s.content as string, createdAt: iso(s.created_at)!,
      points: { entryId: s.entry_id as string, amount: Number(s.amount ?? 0), status: (s.entry_status as string) ?? 'none' },
    })),
    flaggedMonths: flags.map((f) => f.month),
    pairings: pairings.map((h) => ({
      id: h.id as string, householdName: h.household_name as string, address: (h.address as string | null) ?? null, difficulty: h.difficulty as string,
      createdAt: iso(h.created_at)!,
      visits: visits.filter((v) => v.pairing_id === h.id).map((v) => ({ id: v.id as string, visitedOn: v.visited_on as string, note: v.note as string,
        createdAt: iso(v.created_at)! })),
    })),
  };
}

export function createRecordService() {
  /** The member files a service; it earns the member_service points, counted once the community confirms them. */
  async function addService(caller: Caller, registrationId: string, body: Static<typeof S.ServiceBody>) {
    const { em, principal } = caller;
    const reg = await loadRegistration(caller, registrationId);
    if (!standing(caller, reg).owner) throw notFound('registration');
    const refusal = recordRefusal(reg.status);
    if (refusal) throw refusal;
    const now = clockOf(em).now();
    requireValid(serviceErrors(body, shanghaiDate(now)));
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await tx.execute('insert into member_service_record (id, registration_id, served_on, hours, content, created_at) values (?, ?, ?, ?, ?, ?)',
        [id, registrationId, body.servedOn, body.hours, body.content.trim(), now]);
      await recordAudit(tx, { actor: actorOf(principal), action: 'member_service.create', entityType: 'member_registration', entityId: registrationId,
        after: { id, ...body } });
    });
    const posted = await creditPoints(em, {
      sourceKey: `member-service/${id}`, holder: { kind: 'member', personId: reg.person_id }, ruleCode: 'member_service', communityId: reg.community_id,
      memo: `${body.servedOn} ${body.content.trim()}`.slice(0, 200), actor: actorOf(principal),
    });
    return { id, servedOn: body.servedOn, hours: body.hours, content: body.content.trim(), createdAt: now.toISOString(), points: { entryId: posted.entryId,
      amount: posted.amount, status: posted.status } };
  }

  async function addPairing(caller: Caller, registrationId: string, body: Static<typeof S.PairingBody>) {
    const { em, principal } = caller;
    const reg = await loadRegistration(caller, registrationId);
    const who = standing(caller, reg);
    if (!who.owner && !who.confirmer) throw notFound('registration');
    const refusal = recordRefusal(reg.status);
    if (refusal) throw refusal;
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await tx.execute('insert into household_pairing (id, registration_id, household_name, address, difficulty, created_at) values (?, ?, ?, ?, ?, ?)',
        [id, registrationId, body.householdName.trim(), body.address?.trim() || null, body.difficulty.trim(), clockOf(em).now()]);
      await recordAudit(tx, { actor: actorOf(principal), action: 'household_pairing.create', entityType: 'member_registration', entityId: registrationId,
        after: { id, ...body } });
    });
    return (await detailOf(em, registrationId, clockOf(em).now())).pairings.find((p) => p.id === id)!;
  }

  async function addVisit(caller: Caller, pairingId: string, body: Static<typeof S.VisitBody>) {
    const { em, principal } = caller;
    const [pairing] = await em.execute<{ registration_id: string }[]>('select registration_id from household_pairing where id = ?', [pairingId]);
    if (!pairing) throw notFound('pairing');
    const reg = await loadRegistration(caller, pairing.registration_id).catch(() => {
      throw notFound('pairing');
    });
    let who;
    try {
      who = standing(caller, reg);
    } catch {
      throw notFound('pairing');
    }
    if (!who.owner && !who.confirmer) throw notFound('pairing');
    const now = clockOf(em).now();
    requireValid(visitErrors(body, shanghaiDate(now)));
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await tx.execute('insert into household_visit (id, pairing_id, visited_on, note, created_at) values (?, ?, ?, ?, ?)', [id, pairingId, body.visitedOn,
        body.note.trim(), now]);
      await recordAudit(tx, { actor: actorOf(principal), action: 'household_visit.create', entityType: 'household_pairing', entityId: pairingId, after: { id,
        ...body } });
    });
    await creditPoints(em, {
      sourceKey: `household-visit/${id}`, holder: { kind: 'member', personId: reg.person_id }, ruleCode: 'household_visit', communityId: reg.community_id,
      memo: `${body.visitedOn} 走访`, actor: actorOf(principal),
    });
    return { id, visitedOn: body.visitedOn, note: body.note.trim(), createdAt: now.toISOString() };
  }

  /** The unit's members in 双报到 for a year: what the street or community reads when writing the unit's 写实评价. */
  async function unitSummary({ em, principal }: Caller, orgId: string, year?: number) {
    const [org] = await em.execute<{ id: string; path: string }[]>(
      'select o.id, u.path from organization o join administrative_unit u on u.id = o.unit_id where o.id = ?', [orgId]);
    if (!org) throw notFound('organization');
    const staff = scopeOf(principal, COMMUNITY_STAFF);
    const own = scopeOf(principal, UNIT_ROLES).organizationIds.includes(orgId);
    const reportedHere = unitScopeSql(staff, 'r.community_id');
    const [seen] = await em.execute<{ n: string }[]>(`select count(*) n from member_registration r where r.organization_id = ? and ${reportedHere.sql}`,
      [orgId, ...reportedHere.params]);
    if (!own && !staff.all && !staff.unitPaths.some((p) => org.path.startsWith(p)) && Number(seen!.n) === 0) throw notFound('organization');
    const y = String(year ?? Number(shanghaiDate(clockOf(em).now()).slice(0, 4)));
    const [row] = await em.execute<Record<string, string>[]>(
      `select count(*) members, count(*) filter (where r.status = 'confirmed') confirmed,
         (select count(*) from member_service_record s join member_registration m on m.id = s.registration_id
           where m.organization_id = ? and to_char(s.served_on, 'YYYY') = ?) services,
         (select coalesce(sum(s.hours), 0) from member_service_record s join member_registration m on m.id = s.registration_id
           where m.organization_id = ? and to_char(s.served_on, 'YYYY') = ?) hours,
         (select count(*) from member_month_flag f join member_registration m on m.id = f.registration_id
           where m.organization_id = ? and f.month like ? || '%') flagged,
         (select count(*) from household_pairing h join member_registration m on m.id = h.registration_id where m.organization_id = ?) pairings,
         (select count(*) from household_visit v join household_pairing h on h.id = v.pairing_id join member_registration m on m.id = h.registration_id
           where m.organization_id = ? and to_char(v.visited_on, 'YYYY') = ?) visits,
         exists (select 1 from unit_registration ur where ur.organization_id = ? and ur.status = 'confirmed') unit_registered
         from member_registration r where r.organization_id = ? and r.status <> 'declined'`,
      [orgId, y, orgId, y, orgId, y, orgId, orgId, y, orgId, orgId]);
    return {
      organizationId: orgId, year: Number(y), unitRegistered: Boolean(row!.unit_registered), members: Number(row!.members),
        confirmedMembers: Number(row!.confirmed),
      services: Number(row!.services), serviceHours: Number(row!.hours), monthsFlagged: Number(row!.flagged), pairings: Number(row!.pairings),
        visits: Number(row!.visits),
    };
  }

  /** Members' service rate of a month by unit: confirmed members with at least one service that month. */
  async function dashboard({ em, principal }: Caller, month?: string) {
    const m = month ?? shanghaiDate(clockOf(em).now()).slice(0, 7);
    const scope = unitScopeSql(scopeOf(principal, COMMUNITY_STAFF), 'r.community_id');
    const rows = await em.execute<Record<string, unknown>[]>(
      `select r.organization_id, o.name, count(*) members,
         count(*) filter (where exists (select 1 from member_service_record s where s.registration_id = r.id and to_char(s.served_on, 'YYYY-MM') = ?)) served,
         count(*) filter (where exists (select 1 from member_month_flag f where f.registration_id = r.id and f.month = ?)) flagged
         from member_registration r join organization o on o.id = r.organization_id where r.status = 'confirmed' and ${scope.sql}
        group by r.organization_id, o.name order by o.name`,
      [m, m, ...scope.params]);
    return {
      month: m,
      units: rows.map((r) => ({
        organizationId: r.organization_id as string, organizationName: r.name as string, members: Number(r.members), served: Number(r.served),
        rate: serviceRate(Number(r.served), Number(r.members)), flagged: Number(r.flagged),
      })),
    };
  }

  return { addService, addPairing, addVisit, unitSummary, dashboard };
}
