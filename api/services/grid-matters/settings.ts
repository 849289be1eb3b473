// What a department sets up for grid matters: the dispatch rules and deadlines (分级响应) per
// category and urgency, the units it registers to answer (functional departments, utilities),
// the grids' buildings and each grid's QR code link residents report through.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { derivedLinkToken } from '../../../domain/auth/access-links.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { isAdmin } from '../../../domain/auth/scope.ts';
import { badRequest, forbidden, notFound } from '../../../domain/errors.ts';
import { settingsProblems, type GridMatterSettings, type ResponderKind } from '../../../domain/grid-matter/rules.ts';
import { GRID_REPORT_LINK } from '../../../domain/grid-matter/contracts.ts';
import { changeWithAudit } from '../../audited.ts';
import { escapeLike } from '../../../domain/auth/scope.ts';
import { requireGrid } from './matters.ts';
import { isoOf, settingsFor, staffPaths, type Caller, type GridMatterDeps } from './access.ts';

/** The QR link of a grid works this long; printing a new poster makes the same link. */
const REPORT_LINK_DAYS = 3 * 365;

async function unitInScope(caller: Caller, unitId: string, roles: readonly string[]) {
  const [unit] = await caller.em.execute<{ id: string; name: string; path: string }[]>('select id, name, path from administrative_unit where id = ?', [unitId]);
  if (!unit) throw notFound('unit');
  const paths = caller.principal.grants.filter((g) => roles.includes(g.role) && g.unitPath).map((g) => g.unitPath!);
  if (!isAdmin(caller.principal) && !paths.some((p) => unit.path.startsWith(p))) throw notFound('unit');
  return unit;
}

const actorOf = (caller: Caller) => ({ accountId: caller.principal.accountId, label: caller.principal.login });

export function createSettingsService(deps: GridMatterDeps) {
  /** The caller's own department unit when none is named. */
  const ownUnit = (caller: Caller) => caller.principal.grants.find((g) => g.role === 'org_department' && g.unitId)?.unitId
    ?? caller.principal.grants.find((g) => g.unitId)?.unitId;

  async function read(caller: Caller, unitId?: string) {
    const id = unitId ?? ownUnit(caller);
    if (!id) throw badRequest('name a unit', [{ field: 'querystring.unitId', rule: 'is required for a caller without a unit' }]);
    const unit = await unitInScope(caller, id, ['org_department', 'street_committee', 'community_committee']);
    const found = await settingsFor(caller.em, unit.path);
    return { unitId: unit.id, unitName: unit.name, inheritedFrom: found.unitId, settings: found.settings, updatedAt: isoOf(found.updatedAt) };
  }

  async function registered(em: EntityManager, unitPath: string): Promise<Map<string, ResponderKind>> {
    const ids = unitPath.split('/').filter(Boolean);
    const rows = await em.execute<{ id: string; kind: ResponderKind }[]>('select id, kind from grid_responder where unit_id = any(?::uuid[])',
      [`{${ids.join(',')}}`]);
    return new Map(rows.map((r) => [r.id, r.kind]));
  }

  async function save(caller: Caller, unitId: string, settings: GridMatterSettings) {
    const unit = await unitInScope(caller, unitId, ['org_department']);
    const problems = settingsProblems(settings, await registered(caller.em, unit.path));
    if (problems.length) throw badRequest('the dispatch rules cannot be saved as given', problems);
    const before = await settingsFor(caller.em, unit.path);
    await changeWithAudit(caller.em, actorOf(caller), { action: 'grid_matter.settings', entityType: 'administrative_unit', entityId: unit.id,
      before: before.settings, after: settings }, async (tx) => {
      await tx.execute(
        `insert into grid_matter_settings (unit_id, settings, updated_by, updated_at) values (?, ?, ?, ?)
         on conflict (unit_id) do update set settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [unit.id, JSON.stringify(settings), caller.principal.accountId, deps.clock.now()],
      );
    });
    return read(caller, unit.id);
  }

  interface ResponderRow { id: string; unit_id: string; kind: 'department' | 'utility'; name: string; contact: string | null; member_account_ids: string[] }
  const responderOf = (r: ResponderRow) => ({
    id: r.id, unitId: r.unit_id, kind: r.kind, name: r.name, contact: r.contact, memberAccountIds: r.member_account_ids,
  });

  async function responders(caller: Caller, unitId?: string) {
    const id = unitId ?? ownUnit(caller);
    if (!id) return { items: [] };
    const unit = await unitInScope(caller, id, ['org_department', 'street_committee', 'community_committee']);
    const rows = await caller.em.execute<ResponderRow[]>(
      'select r.* from grid_responder r join administrative_unit u on u.id = r.unit_id where ? like u.path || \'%\' or u.path like ? order by r.kind, r.name',
      [unit.path, `${escapeLike(unit.path)}%`],
    );
    return { items: rows.map(responderOf) };
  }

  async function register(caller: Caller,
    body: { unitId: string; kind: 'department' | 'utility'; name: string; contact?: string | null; memberAccountIds: string[] }) {
    const unit = await unitInScope(caller, body.unitId, ['org_department']);
    const members = [...new Set(body.memberAccountIds)];
    if (members.length) {
      const known = await caller.em.execute<{ id: string }[]>('select id from account where id = any(?::uuid[])', [`{${members.join(',')}}`]);
      if (known.length !== members.length) throw badRequest('unknown accounts', [{ field: 'body.memberAccountIds', rule: 'must be existing accounts' }]);
    }
    const taken = await caller.em.execute('select 1 from grid_responder where unit_id = ? and name = ?', [unit.id, body.name.trim()]);
    if (taken.length) throw badRequest('name taken', [{ field: 'body.name', rule: 'is already registered under this unit' }]);
    const row = await caller.em.transactional(async (tx) => {
      const [r] = await tx.execute<ResponderRow[]>(
        'insert into grid_responder (unit_id, kind, name, contact, member_account_ids, created_at) values (?, ?, ?, ?, ?, ?) returning *',
        [unit.id, body.kind, body.name.trim(), body.contact ?? null, JSON.stringify(members), deps.clock.now()],
      );
      await recordAudit(tx as EntityManager, { actor: actorOf(caller), action: 'grid_responder.create', entityType: 'grid_responder', entityId: r!.id,
        after: { kind: body.kind, name: body.name, members } });
      return r!;
    });
    return responderOf(row);
  }

  async function grids(caller: Caller) {
    const paths = staffPaths(caller.principal);
    const admin = isAdmin(caller.principal);
    if (!admin && paths.length === 0) return { items: [] };
    const params = admin ? [] : paths.map((p) => `${escapeLike(p)}%`);
    const rows = await caller.em.execute<{ id: string; name: string; community: string | null; street: string | null; buildings: string[]; open: string }[]>(
      `select g.id, g.name, c.name community, s.name street,
              coalesce((select json_agg(b.name order by b.name) from grid_building b where b.grid_id = g.id), '[]') buildings,
              (select count(*) from grid_matter m where m.grid_id = g.id and m.status in ('open', 'accepted', 'answered')) open
         from administrative_unit g left join administrative_unit c on c.id = g.parent_id left join administrative_unit s on s.id = c.parent_id
        where g.level = 'grid' ${admin ? '' : `and (${paths.map(() => 'g.path like ?').join(' or ')})`}
        order by s.name nulls first, c.name nulls first, g.name limit 2000`,
      params,
    );
    return { items: rows.map((r) => ({ ...r, open: Number(r.open) })) };
  }

  async function setBuildings(caller: Caller, gridId: string, buildings: string[]) {
    const grid = await requireGrid(caller.em, caller, gridId);
    if (!caller.principal.grants.some((g) => g.role !== 'first_secretary' && g.unitPath && grid.path.startsWith(g.unitPath)) && !isAdmin(caller.principal)) {
      throw forbidden('only the grid\'s Party organizations keep its buildings');
    }
    const names = [...new Set(buildings.map((b) => b.trim()).filter(Boolean))];
    await changeWithAudit(caller.em, actorOf(caller), { action: 'grid.buildings', entityType: 'administrative_unit', entityId: grid.id,
      after: { buildings: names } }, async (tx) => {
      await tx.execute('delete from grid_building where grid_id = ?', [grid.id]);
      for (const name of names) await tx.execute('insert into grid_building (grid_id, name) values (?, ?)', [grid.id, name]);
    });
    return (await grids(caller)).items.find((g) => g.id === grid.id)!;
  }

  /** The grid's QR code link (the same token every time: a reprinted poster keeps working). */
  async function reportLink(caller: Caller, gridId: string) {
    const grid = await requireGrid(caller.em, caller, gridId);
    const token = await derivedLinkToken(caller.em, GRID_REPORT_LINK, grid.id);
    const now = deps.clock.now();
    await caller.em.execute(
      `insert into access_link (id, token_hash, purpose, subject_type, subject_id, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?)
       on conflict (token_hash) do nothing`,
      [hashSecret(token), GRID_REPORT_LINK, 'administrative_unit', grid.id, new Date(now.getTime() + REPORT_LINK_DAYS * 86_400_000), now],
    );
    return { gridId: grid.id, token, path: `/public/grid-report/${token}` };
  }

  return { read, save, responders, register, grids, setBuildings, reportLink };
}
