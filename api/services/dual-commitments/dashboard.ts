// What the department, a street, a community or an evaluator sees of the cycles: the list of
// cycles with organizations in their jurisdiction, and one cycle's dashboard (start progress,
// counts per gate, overdue submissions and items, stuck sets), each counting only the caller's
// part. Reads only: plain SQL over commitment_set and commitment_item_progress.
import type { Role } from '../../../domain/auth/roles.ts';
import { organizationScopeSql, readableOrganizationScope } from '../../../domain/auth/scope.ts';
import { notFound } from '../../../domain/errors.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { GATES } from '../../../domain/dual-commitment/state.ts';
import { resolveSettings } from '../../../domain/dual-commitment/rules.ts';
import { endOfShanghaiDay } from '../../../domain/time.ts';
import { DAY_MS } from '../../../domain/time.ts';
import type { Caller, DualCommitmentDeps } from './access.ts';

export const STAFF: Role[] = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'admin'];
/** A set that stays this long in one gate with an action pending counts as stuck. */
const STUCK_AFTER_DAYS = 14;

interface CycleRow {
  id: string;
  year: number;
  name: string;
  status: string;
  created_at: Date;
  sets: string;
  started: string;
  failed: string;
  [gateCount: `g_${string}`]: string;
}

export function createDashboardService(deps: DualCommitmentDeps) {
  /** The cycles with organizations in the caller's jurisdiction, newest first, with counts of their part. */
  async function list({ em, principal }: Caller, query: { year?: number; status?: string; limit: number; offset: number }) {
    const visible = organizationScopeSql(await readableOrganizationScope(em, principal, STAFF), 's.organization_id');
    const filters: string[] = ["c.type = 'dual_commitment'", visible.sql];
    const params: unknown[] = [...visible.params];
    if (query.year !== undefined) {
      filters.push('c.year = ?');
      params.push(query.year);
    }
    if (query.status !== undefined) {
      filters.push('c.status = ?');
      params.push(query.status);
    }
    const from = `from cycle c join commitment_set s on s.cycle_id = c.id where ${filters.join(' and ')}`;
    const conn = em.getConnection();
    const [rows, [count]] = await Promise.all([
      conn.execute<CycleRow[]>(
        `select c.id, c.year, c.name, c.status, c.created_at, count(*) sets,
                count(s.started_at) started,
                count(*) filter (where s.started_at is null and s.start_error is not null) failed,
                ${GATES.map((g) => `count(*) filter (where s.gate = '${g}') g_${g}`).join(', ')}
           ${from} group by c.id order by c.created_at desc, c.id desc limit ? offset ?`,
        [...params, query.limit, query.offset],
      ),
      conn.execute<{ n: string }[]>(`select count(distinct c.id) n ${from}`, params),
    ]);
    const items = rows.map((r) => {
      const sets = Number(r.sets);
      const started = Number(r.started);
      const failed = Number(r.failed);
      return {
        id: r.id,
        year: r.year,
        name: r.name,
        status: r.status,
        createdAt: new Date(r.created_at).toISOString(),
        sets,
        start: { started, failed, pending: sets - started - failed },
        perGate: Object.fromEntries(GATES.map((g) => [g, Number(r[`g_${g}`])])) as Record<(typeof GATES)[number], number>,
        href: `/dual-commitments/cycles/${r.id}`,
      };
    });
    return { items, total: Number(count?.n ?? 0), limit: query.limit, offset: query.offset };
  }

  /**
   * One cycle's dashboard. Everyone sees the part of the cycle in their jurisdiction (or assigned
   * to them): a street its organizations, the department all of its own; a cycle with none of
   * theirs is not found. Overdue and stuck are counted on the service's clock.
   */
  async function dashboard({ em, principal }: Caller, cycleId: string) {
    const cycle = await em.findOne(Cycle, { id: cycleId, type: 'dual_commitment' });
    if (!cycle) throw notFound('cycle');
    const visible = organizationScopeSql(await readableOrganizationScope(em, principal, STAFF), 's.organization_id');
    const conn = em.getConnection();
    const { settings } = resolveSettings(cycle.year, cycle.settings);
    const deadline = new Date(endOfShanghaiDay(settings.submissionDeadline));
    const now = deps.clock.now();
    const stuckSince = new Date(now.getTime() - STUCK_AFTER_DAYS * DAY_MS);
    const inCycle = `s.cycle_id = ? and ${visible.sql}`;
    const params = [cycle.id, ...visible.params];
    const [counts, startRow, startFailures, overdueSets, overdueItems, stuck] = await Promise.all([
      conn.execute<{ gate: string; status: string; n: string }[]>(
        `select gate, status, count(*) n from commitment_set s where ${inCycle} group by gate, status`, params,
      ),
      conn.execute<{ total: string; started: string; failed: string }[]>(
        `select count(*) total, count(started_at) started, count(*) filter (where started_at is null and start_error is not null) failed
           from commitment_set s where ${inCycle}`,
        params,
      ),
      conn.execute<{ id: string; organization_id: string; start_error: string }[]>(
        `select id, organization_id, start_error from commitment_set s
          where ${inCycle} and started_at is null and start_error is not null order by organization_id limit 200`,
        params,
      ),
      conn.execute<{ id: string; organization_id: string; status: string }[]>(
        `select id, organization_id, status from commitment_set s
          where ${inCycle} and gate = 'set' and ?::timestamptz < ?::timestamptz order by organization_id limit 200`,
        [...params, deadline, now],
      ),
      conn.execute<{ set_id: string; item_key: string; escalated_at: Date }[]>(
        `select p.set_id, p.item_key, p.escalated_at from commitment_item_progress p join commitment_set s on s.id = p.set_id
          where ${inCycle} and p.status is null and p.escalated_at is not null order by p.escalated_at limit 200`,
        params,
      ),
      conn.execute<{ id: string; organization_id: string; gate: string; status: string; since: Date }[]>(
        `select id, organization_id, gate, status, gate_entered_at since from commitment_set s
          where ${inCycle} and gate in ('set', 'evaluate') and gate_entered_at < ? order by gate_entered_at limit 200`,
        [...params, stuckSince],
      ),
    ]);
    const total = Number(startRow[0]!.total);
    if (total === 0) throw notFound('cycle');
    const started = Number(startRow[0]!.started);
    const failed = Number(startRow[0]!.failed);
    const perGate: Record<string, number> = { set: 0, show: 0, practice: 0, evaluate: 0, filed: 0 };
    const setStatuses: Record<string, number> = { drafting: 0, submitted: 0, returned: 0, approved: 0 };
    for (const row of counts) {
      perGate[row.gate] = (perGate[row.gate] ?? 0) + Number(row.n);
      if (row.gate === 'set') setStatuses[row.status] = (setStatuses[row.status] ?? 0) + Number(row.n);
    }
    return {
      id: cycle.id,
      year: cycle.year,
      start: {
        total,
        started,
        failed,
        pending: total - started - failed,
        done: started + failed === total,
        failures: startFailures.map((f) => ({ setId: f.id, organizationId: f.organization_id, reason: f.start_error })),
        retry: failed > 0 ? `POST /dual-commitments/cycles/${cycle.id}/start-retries` : null,
      },
      perGate,
      setStatuses,
      overdue: {
        submissions: overdueSets.map((s) => ({ setId: s.id, organizationId: s.organization_id, status: s.status })),
        items: overdueItems.map((i) => ({ setId: i.set_id, itemKey: i.item_key, escalatedAt: new Date(i.escalated_at).toISOString() })),
      },
      stuck: stuck.map((s) => ({ setId: s.id, organizationId: s.organization_id, gate: s.gate, status: s.status, since: new Date(s.since).toISOString() })),
    };
  }

  return { list, dashboard };
}
