// Reading and verifying the audit log (organization department and administrators). A
// department reads the rows about its own jurisdiction only (domain/audit/scope.ts);
// verification walks the whole chain, and says only whether and where it is broken.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { verifyAuditChain } from '../../../domain/audit/record.ts';
import { auditVisibleSql } from '../../../domain/audit/scope.ts';
import { scopeOf } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from '../../schemas/common.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import { XlsxFile, named, xlsxExportDescription } from '../../services/export/route.ts';
import { keysetPages, sendXlsx, type ExportColumn } from '../../services/export/xlsx.ts';

const READ: Role[] = ['org_department', 'admin'];
const tags = ['audit'];
const example = {
  seq: 42,
  at: '2026-11-21T08:00:00.000Z',
  actorAccountId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  actor: 'orgdept',
  action: 'organization.update',
  entityType: 'organization',
  entityId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  before: { partyOrgName: '党支部' },
  after: { partyOrgName: '党总支' },
  prevHash: 'a3f1…',
  hash: '9c0d…',
};
const Entry = Type.Object({
  seq: Type.Integer(),
  at: DateTime,
  actorAccountId: Nullable(Uuid),
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  prevHash: Type.String(),
  hash: Type.String(),
}, { examples: [example] });

const AuditFilters = {
  entityType: Type.Optional(Type.String({ maxLength: 50 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  actorAccountId: Type.Optional(Type.String({ format: 'uuid' })),
};

/** The rows a caller may read (their jurisdiction's; all for an administrator), narrowed by the filters. */
function auditWhere(query: { entityType?: string; entityId?: string; actorAccountId?: string }, principal: Principal) {
  const visible = auditVisibleSql(scopeOf(principal, READ));
  const conditions = [visible.sql];
  const params: unknown[] = [...visible.params];
  for (const [column, value] of [['e.entity_type', query.entityType], ['e.entity_id', query.entityId], ['e.actor_account_id', query.actorAccountId]]) {
    if (!value) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  return { where: conditions.join(' and '), params };
}

type AuditRow = { seq: string; at: Date; actor: string; action: string; entity_type: string; entity_id: string | null; before: unknown; after: unknown };
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v).slice(0, 32_000));
const AUDIT_COLUMNS: ExportColumn<AuditRow>[] = [
  { header: '序号', value: (r) => Number(r.seq), format: 'integer' },
  { header: '时间', value: (r) => r.at, format: 'datetime', width: 17 },
  { header: '操作人', value: (r) => r.actor, width: 16 },
  { header: '操作', value: (r) => r.action, width: 28 },
  { header: '对象类型', value: (r) => r.entity_type, width: 18 },
  { header: '对象编号', value: (r) => r.entity_id, width: 38 },
  { header: '变更前', value: (r) => json(r.before), width: 40 },
  { header: '变更后', value: (r) => json(r.after), width: 40 },
];

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit/export', {
    config: { auth: { roles: READ } },
    schema: {
      tags, summary: 'The audit entries about the caller\'s jurisdiction as Excel (.xlsx), newest first, same filters',
      description: xlsxExportDescription,
      querystring: Type.Object(AuditFilters, { additionalProperties: false }),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) => {
    const { where, params } = auditWhere(request.query, principalOf(request));
    const em = emOf(request);
    const read = (after: number | null, size: number) => em.execute<AuditRow[]>(
      `select e.seq, e.at, e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after from audit_entry e
        where ${where}${after === null ? '' : ' and e.seq < ?'} order by e.seq desc limit ?`,
      [...params, ...(after === null ? [] : [after]), size],
    );
    const q = request.query;
    return sendXlsx(reply, {
      fileName: '审计日志', title: '审计日志',
      filters: named([['对象类型', q.entityType], ['对象编号', q.entityId], ['操作人账号', q.actorAccountId]]),
      columns: AUDIT_COLUMNS, pages: keysetPages(read, (r) => Number(r.seq)), now: app.services.clock.now(),
    }, request.log);
  });

  app.get('/audit', {
    config: { auth: { roles: READ } },
    schema: {
      tags, summary: 'Audit entries about the caller\'s jurisdiction, newest first',
      description:
        'A department sees the rows about organizations, units, people, accounts, cycles and postings inside its jurisdiction; administrators see every row.',
      querystring: Type.Object(
        { ...AuditFilters, ...PageQuery },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object(
          { items: Type.Array(Entry), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() },
          { examples: [{ items: [example], total: 1, limit: 50, offset: 0 }] },
        ),
      },
    },
  }, async (request) => {
    const { limit, offset } = request.query;
    const { where, params } = auditWhere(request.query, principalOf(request));
    const em = emOf(request);
    const [counted] = await em.execute<{ n: string }[]>(`select count(*) as n from audit_entry e where ${where}`, params);
    const rows = await em.execute<Record<string, unknown>[]>(
      `select e.seq, e.at, e.actor_account_id, e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after, e.prev_hash, e.hash
       from audit_entry e where ${where} order by e.seq desc limit ? offset ?`,
      [...params, limit, offset],
    );
    const items = rows.map((r) => ({
      seq: Number(r.seq), at: iso(new Date(r.at as string | Date))!, actorAccountId: (r.actor_account_id as string | null) ?? null, actor: r.actor as string,
      action: r.action as string, entityType: r.entity_type as string, entityId: (r.entity_id as string | null) ?? null,
      before: r.before ?? null, after: r.after ?? null, prevHash: r.prev_hash as string, hash: r.hash as string,
    }));
    return { items, total: Number(counted!.n), limit, offset };
  });

  app.get('/audit/verify', {
    config: { auth: { roles: READ } },
    schema: {
      tags, summary: 'Walk the keyed hash chain and its signed checkpoints; report the first broken seq',
      response: {
        200: Type.Object(
          {
            ok: Type.Boolean(),
            checked: Type.Integer(),
            lastSeq: Type.Optional(Nullable(Type.Integer())),
            checkpoints: Type.Optional(Type.Integer()),
            brokenSeq: Type.Optional(Type.Integer()),
            reason: Type.Optional(Type.String()),
          },
          {
            examples: [
              { ok: true, checked: 1234, lastSeq: 1234, checkpoints: 13 },
              { ok: false, checked: 41, brokenSeq: 42, reason: 'hash does not match the row content' },
            ],
          },
        ),
      },
    },
  }, async (request) => verifyAuditChain(emOf(request)));
};
