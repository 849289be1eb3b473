// Assessment schemes a department defines: the shipped defaults (readable by every department,
// copied to be replaced), its own schemes' drafts, and the immutable versions it publishes. A
// round pins the version it started with; editing or republishing never reaches it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../../domain/audit/record.ts';
import { isAdmin } from '../../../domain/auth/scope.ts';
import { badRequest, conflictOf, forbidden, notFound } from '../../../domain/errors.ts';
import { schemeProblems, type SchemeDefinition } from '../../../domain/assessment/rules.ts';
import { SHIPPED_SCHEMES } from '../../../domain/assessment/defaults.ts';
import { pathsOf, schemeFor, unitInScope, type AssessmentDeps, type Caller, type SchemeRow } from './access.ts';

const iso = (d: Date | string) => new Date(d).toISOString();
const actor = (c: Caller) => ({ accountId: c.principal.accountId, label: c.principal.login });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Inserts the shipped schemes (version 1, marked default) once; a department copies one to replace it. */
export async function ensureShippedSchemes(em: EntityManager): Promise<void> {
  for (const s of SHIPPED_SCHEMES) {
    await em.transactional(async (tx) => {
      const [row] = await tx.execute<{ id: string }[]>(
        `insert into assessment_scheme (shipped_key, is_default, draft, latest_version) values (?, true, ?, 1)
         on conflict (shipped_key) do nothing returning id`, [s.key, JSON.stringify(s.definition)]);
      if (row) {
        await tx.execute('insert into assessment_scheme_version (scheme_id, version, definition) values (?, 1, ?)', [row.id, JSON.stringify(s.definition)]);
      }
    });
  }
}

export function createSchemeService(deps: AssessmentDeps) {
  async function view(c: Caller, scheme: SchemeRow, editable: boolean) {
    const versions = await c.em.execute<{ version: number; published_at: Date; definition: SchemeDefinition }[]>(
      'select version, published_at, definition from assessment_scheme_version where scheme_id = ? order by version', [scheme.id]);
    return {
      id: scheme.id, unitId: scheme.unit_id, unitName: scheme.unit_name, isDefault: scheme.is_default, copiedFrom: scheme.copied_from, draft: scheme.draft,
      latestVersion: scheme.latest_version, changed: !same(versions.at(-1)?.definition, scheme.draft), editable,
      versions: versions.map((v) => ({ version: v.version, publishedAt: iso(v.published_at) })), updatedAt: iso(scheme.updated_at),
    };
  }

  async function get(c: Caller, id: string) {
    const { scheme, editable } = await schemeFor(c, id);
    return view(c, scheme, editable);
  }

  async function list(c: Caller) {
    const admin = isAdmin(c.principal);
    const paths = pathsOf(c.principal, ['org_department']);
    const rows = await c.em.execute<{ id: string }[]>(
      `select s.id from assessment_scheme s left join administrative_unit u on u.id = s.unit_id
        where s.is_default ${admin ? 'or true' : paths.length ? `or ${paths.map(() => '(u.path like ? or ? like u.path || \'%\')').join(' or ')}` : ''}
        order by s.is_default desc, s.created_at`, paths.flatMap((p) => [`${p}%`, p]));
    const items = [];
    for (const r of rows) items.push(await get(c, r.id));
    return { items };
  }

  const problemsOf = (d: SchemeDefinition) => schemeProblems(d).map((p) => ({ field: `body.definition.${p.field}`, rule: p.rule }));

  async function create(c: Caller, body: { unitId: string; copyOf?: string; definition?: SchemeDefinition }) {
    const unit = await unitInScope(c, body.unitId, ['org_department']);
    let definition = body.definition;
    if (body.copyOf) definition = (await schemeFor(c, body.copyOf)).scheme.draft;
    if (!definition) throw badRequest('give a definition or a scheme to copy', [{ field: 'body.definition', rule: 'is required without copyOf' }]);
    const problems = problemsOf(definition);
    if (problems.length) throw badRequest('the scheme cannot be saved as given', problems);
    const id = await c.em.transactional(async (tx) => {
      const [row] = await tx.execute<{ id: string }[]>(
        'insert into assessment_scheme (unit_id, copied_from, draft, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?) returning id',
        [unit.id, body.copyOf ?? null, JSON.stringify(definition), c.principal.accountId, deps.clock.now(), deps.clock.now()]);
      await recordAudit(tx as EntityManager, { actor: actor(c), action: 'assessment_scheme.create', entityType: 'assessment_scheme', entityId: row!.id,
        after: { unitId: unit.id, copyOf: body.copyOf ?? null, name: definition!.name } });
      return row!.id;
    });
    return get(c, id);
  }

  async function saveDraft(c: Caller, id: string, definition: SchemeDefinition) {
    const { scheme, editable } = await schemeFor(c, id);
    if (!editable) throw forbidden('a shipped default is not edited: copy it as your department\'s own scheme', 'scheme_not_editable');
    const problems = schemeProblems(definition).map((p) => ({ field: `body.${p.field}`, rule: p.rule }));
    if (problems.length) throw badRequest('the scheme cannot be saved as given', problems);
    await c.em.transactional(async (tx) => {
      await tx.execute('update assessment_scheme set draft = ?, updated_at = ? where id = ?', [JSON.stringify(definition), deps.clock.now(), scheme.id]);
      await recordAudit(tx as EntityManager, { actor: actor(c), action: 'assessment_scheme.edit', entityType: 'assessment_scheme', entityId: scheme.id,
        before: scheme.draft, after: definition });
    });
    return get(c, id);
  }

  /** Publishes the draft as the next immutable version (rounds started from now on use it). */
  async function publish(c: Caller, id: string) {
    const { scheme, editable } = await schemeFor(c, id);
    if (!editable) throw forbidden('a shipped default is published already: copy it as your department\'s own scheme', 'scheme_not_editable');
    const [latest] = await c.em.execute<{ definition: SchemeDefinition }[]>(
      'select definition from assessment_scheme_version where scheme_id = ? order by version desc limit 1', [scheme.id]);
    if (latest && same(latest.definition, scheme.draft)) throw conflictOf('nothing_changed', 'the draft is the latest version already');
    const version = scheme.latest_version + 1;
    await c.em.transactional(async (tx) => {
      await tx.execute('insert into assessment_scheme_version (scheme_id, version, definition, published_by, published_at) values (?, ?, ?, ?, ?)',
        [scheme.id, version, JSON.stringify(scheme.draft), c.principal.accountId, deps.clock.now()]);
      await tx.execute('update assessment_scheme set latest_version = ? where id = ?', [version, scheme.id]);
      await recordAudit(tx as EntityManager, { actor: actor(c), action: 'assessment_scheme.publish', entityType: 'assessment_scheme', entityId: scheme.id,
        after: { version } });
    });
    return get(c, id);
  }

  async function version(c: Caller, id: string, v: number) {
    const { scheme } = await schemeFor(c, id);
    const [row] = await c.em.execute<{ definition: SchemeDefinition; published_at: Date }[]>(
      'select definition, published_at from assessment_scheme_version where scheme_id = ? and version = ?', [scheme.id, v]);
    if (!row) throw notFound('assessment scheme version');
    return { schemeId: scheme.id, version: v, definition: row.definition, publishedAt: iso(row.published_at) };
  }

  return { list, get, create, saveDraft, publish, version };
}
