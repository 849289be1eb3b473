// GET /dual-commitments/cycles: the dual commitments cycles a department (or a street, a
// community, an evaluator) has organizations in, newest first, each with the counts of the
// caller's part of it: sets, how far their start got, and how many stand at each gate. A cycle
// with none of the caller's organizations is not listed (another district's cycles: nothing).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { organizationScopeSql, readableOrganizationScope } from '../../../domain/auth/scope.ts';
import { DateTime, Page, PageQuery, Uuid } from '../../schemas/common.ts';
import { CYCLE_STATUSES } from '../../../domain/entities/cycle.ts';

const tags = ['dual-commitments'];
const STAFF: Role[] = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'admin'];
const GATES = ['set', 'show', 'practice', 'evaluate', 'filed'] as const;

const cycleExample = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  year: 2026,
  name: '2026年度双向承诺',
  status: 'running',
  createdAt: '2026-11-21T08:00:00.000Z',
  sets: 120,
  start: { started: 118, failed: 2, pending: 0 },
  perGate: { set: 20, show: 5, practice: 95, evaluate: 0, filed: 0 },
  href: '/dual-commitments/cycles/0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
};

export const CycleSummary = Type.Object({
  id: Uuid,
  year: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  createdAt: DateTime,
  sets: Type.Integer({ description: 'commitment sets of the cycle in your jurisdiction' }),
  start: Type.Object({ started: Type.Integer(), failed: Type.Integer(), pending: Type.Integer() }),
  perGate: Type.Object(Object.fromEntries(GATES.map((g) => [g, Type.Integer()])) as Record<(typeof GATES)[number], ReturnType<typeof Type.Integer>>),
  href: Type.String({ description: 'the cycle dashboard' }),
}, { examples: [cycleExample] });

const CycleListQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  status: Type.Optional(Type.Union(CYCLE_STATUSES.map((s) => Type.Literal(s)))),
  ...PageQuery,
}, { additionalProperties: false });

interface CycleRow {
  id: string;
  year: number;
  name: string;
  status: string;
  created_at: Date;
  sets: string;
  started: string;
  failed: string;
  g_set: string;
  g_show: string;
  g_practice: string;
  g_evaluate: string;
  g_filed: string;
}

export const dualCommitmentCycleListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/dual-commitments/cycles', {
    config: { auth: { roles: STAFF } },
    schema: {
      tags,
      summary: 'The dual commitments cycles with organizations in your jurisdiction, newest first, with counts of your part',
      querystring: CycleListQuery,
      response: { 200: Page(CycleSummary, cycleExample) },
    },
  }, async (request) => {
    const em = emOf(request);
    const { year, status, limit, offset } = request.query;
    const visible = organizationScopeSql(await readableOrganizationScope(em, principalOf(request), STAFF), 's.organization_id');
    const filters: string[] = ["c.type = 'dual_commitment'", visible.sql];
    const params: unknown[] = [...visible.params];
    if (year !== undefined) {
      filters.push('c.year = ?');
      params.push(year);
    }
    if (status !== undefined) {
      filters.push('c.status = ?');
      params.push(status);
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
        [...params, limit, offset],
      ),
      conn.execute<{ n: string }[]>(`select count(distinct c.id) n ${from}`, params),
    ]);
    return {
      items: rows.map((r) => {
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
      }),
      total: Number(count?.n ?? 0),
      limit,
      offset,
    };
  });
};
