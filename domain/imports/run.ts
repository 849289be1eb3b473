// Runs a CSV import: parse, check every row (collecting every broken rule with its row and
// column), then write all rows in one transaction or none. Progress goes to the ImportJob row
// through a separate connection, so a client polling GET /imports/:id sees it move.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse, type Options as CsvOptions } from 'csv-parse';
import { AdministrativeUnit, UNIT_LEVELS, type UnitLevel } from '../entities/administrative-unit.ts';
import { Organization, type OrganizationKind } from '../entities/organization.ts';
import { Person } from '../entities/person.ts';
import { ImportJob, type ImportKind, type ImportRowError } from '../entities/import-job.ts';
import { recordAuditBatch, type AuditActor } from '../audit/record.ts';
import { unitPathInScope, type Scope } from '../auth/scope.ts';
import { COLUMNS } from './columns.ts';
import { XlsxReadError, readXlsxRecords } from './xlsx.ts';
import { clockOf } from '../clock.ts';

const PROGRESS_EVERY = 200;
/** How often a running import says it is alive, and how long a silent one is taken for dead. */
export const IMPORT_HEARTBEAT_MS = 5_000;
export const IMPORT_ORPHANED_AFTER_MS = 60_000;
export const IMPORT_INTERRUPTED_RULE = 'the service stopped during the import; nothing was written: upload the file again';
/** A job keeps the first rule breaks only (with their count): enough to fix a file, small enough to read. */
export const MAX_IMPORT_ERRORS = 1000;
/** Columns a CSV header may have: the layouts have at most 8; a wider file is refused at upload. */
export const MAX_IMPORT_COLUMNS = 50;
/** Text parsed between two turns of the event loop, so other requests are answered meanwhile. */
const PARSE_CHUNK = 64 * 1024;
const YIELD_EVERY_ROWS = 2000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The first rule breaks and how many there were in all. */
export class RuleBreaks {
  readonly first: ImportRowError[] = [];
  count = 0;
  add(row: number, column: string, rule: string): void {
    this.count++;
    if (this.first.length < MAX_IMPORT_ERRORS) this.first.push({ row, column, rule });
  }
}

type Row = Record<string, string>;

export interface ImportContext {
  orm: MikroORM;
  jobId: string;
  kind: ImportKind;
  /** The file's text when it is a CSV… */
  csv: string;
  /** …or its bytes when it is an .xlsx workbook (its first sheet is read). */
  xlsx?: Buffer;
  scope: Scope;
  actor: AuditActor;
}

export async function runImport(ctx: ImportContext): Promise<void> {
  const progressEm = ctx.orm.em.fork() as EntityManager;
  const clock = clockOf(progressEm);
  const setJob = (data: Partial<Pick<ImportJob, 'status' | 'total' | 'processed' | 'imported' | 'errors' | 'errorCount' | 'finishedAt'>>) =>
    progressEm.nativeUpdate(ImportJob, { id: ctx.jobId }, { ...data, heartbeatAt: clock.now() });
  // The rows are written in one transaction, so a process that dies mid-import wrote nothing;
  // the heartbeat lets a reader tell such an orphaned job from a slow one (see orphanedImport).
  const heartbeat = setInterval(() => {
    progressEm.nativeUpdate(ImportJob, { id: ctx.jobId, status: 'running' }, { heartbeatAt: clock.now() }).catch(() => {});
  }, IMPORT_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const parsed = ctx.xlsx ? await parseXlsx(ctx.kind, ctx.xlsx) : await parseCsv(ctx.kind, ctx.csv);
    if ('errors' in parsed) {
      await setJob({ status: 'failed', errors: parsed.errors.first, errorCount: parsed.errors.count, finishedAt: clock.now() });
      return;
    }
    const rows = parsed.rows;
    await setJob({ total: rows.length });
    const em = ctx.orm.em.fork() as EntityManager;
    const errors = new RuleBreaks();
    const plan = await checkRows(em, ctx, rows, errors);
    if (errors.count > 0) {
      await setJob({ status: 'failed', errors: errors.first, errorCount: errors.count, finishedAt: clock.now() });
      return;
    }
    await em.transactional(async (tx) => {
      // Batches keep memory and round trips bounded; rows are still written in file order, so a
      // unit's parent from an earlier row is always inserted first.
      for (let start = 0; start < plan.length; start += PROGRESS_EVERY) {
        const batch = plan.slice(start, start + PROGRESS_EVERY).map((step) => step(tx));
        await tx.flush();
        await recordAuditBatch(tx, batch.map((entity) => ({ actor: ctx.actor, action: `import.${ctx.kind}`, entityType: entityTypeOf(ctx.kind), entityId: entity.id, after: { ...entity.snapshot, importJobId: ctx.jobId } })));
        tx.clear();
        await setJob({ processed: Math.min(start + PROGRESS_EVERY, plan.length) });
      }
    });
    await setJob({ status: 'succeeded', processed: rows.length, imported: rows.length, finishedAt: clock.now() });
  } catch (error) {
    await setJob({ status: 'failed', errors: [{ row: 0, column: '', rule: `import stopped: ${error instanceof Error ? error.message : String(error)}` }], errorCount: 1, finishedAt: clock.now() }).catch(() => {});
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * A job still marked running whose process stopped (no heartbeat for a minute) is failed with
 * a reason the person who uploaded it understands. Returns true when it changed the job.
 */
export async function failIfOrphaned(em: EntityManager, job: ImportJob, now = clockOf(em).now()): Promise<boolean> {
  if (job.status !== 'running') return false;
  const lastSign = job.heartbeatAt ?? job.createdAt;
  if (now.getTime() - lastSign.getTime() < IMPORT_ORPHANED_AFTER_MS) return false;
  const errors = [{ row: 0, column: '', rule: IMPORT_INTERRUPTED_RULE }];
  const changed = await em.nativeUpdate(ImportJob, { id: job.id, status: 'running', heartbeatAt: job.heartbeatAt ?? null }, { status: 'failed', errors, errorCount: 1, finishedAt: now });
  if (changed > 0) Object.assign(job, { status: 'failed', errors, errorCount: 1, finishedAt: now });
  return changed > 0;
}

const entityTypeOf = (kind: ImportKind) => (kind === 'units' ? 'unit' : kind === 'organizations' ? 'organization' : 'person');

/**
 * Columns of the header line (the first record), counting at most `stopAfter + 1` of them, so a
 * file of 100,000 columns is measured without reading it.
 */
export function headerColumnCount(csv: string, stopAfter = MAX_IMPORT_COLUMNS): number {
  let columns = 1;
  let quoted = false;
  for (let i = csv.charCodeAt(0) === 0xfeff ? 1 : 0; i < csv.length; i++) {
    const c = csv[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',' && ++columns > stopAfter) return columns;
    else if (!quoted && (c === '\n' || c === '\r')) break;
  }
  return columns;
}

/** The records of the CSV, parsed a chunk at a time between turns of the event loop. */
async function parseRecords(csv: string, options: CsvOptions): Promise<string[][]> {
  const records: string[][] = [];
  const parser = parse(options);
  let failure: unknown = null;
  parser.on('readable', () => {
    for (let record = parser.read(); record !== null; record = parser.read()) records.push(record as string[]);
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  ended.catch(() => {});
  for (let at = 0; at < csv.length && !failure; at += PARSE_CHUNK) {
    parser.write(csv.slice(at, at + PARSE_CHUNK));
    await nextTurn();
  }
  if (!failure) parser.end();
  await ended;
  return records;
}

export async function parseCsv(kind: ImportKind, csv: string): Promise<{ rows: Row[] } | { errors: RuleBreaks }> {
  const errors = new RuleBreaks();
  const width = headerColumnCount(csv);
  if (width > MAX_IMPORT_COLUMNS) {
    errors.add(1, '', `the header may have at most ${MAX_IMPORT_COLUMNS} columns`);
    return { errors };
  }
  let records: string[][];
  try {
    records = await parseRecords(csv, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    errors.add(line, '', `is not valid CSV: ${(error as Error).message}`);
    return { errors };
  }
  return rowsOfRecords(kind, records, errors);
}

/** An .xlsx upload: its first worksheet, read as a stream, checked like a CSV. */
export async function parseXlsx(kind: ImportKind, bytes: Buffer): Promise<{ rows: Row[] } | { errors: RuleBreaks }> {
  const errors = new RuleBreaks();
  let records: string[][];
  try {
    records = await readXlsxRecords(bytes, MAX_IMPORT_COLUMNS);
  } catch (error) {
    errors.add(error instanceof XlsxReadError && /header/.test(error.message) ? 1 : 0, '', (error as Error).message);
    return { errors };
  }
  return rowsOfRecords(kind, records, errors);
}

/**
 * The data rows keyed by column name, after checking the header: each header cell is a column's
 * name or its Chinese label (as in the templates); a missing required or an unknown column is an error.
 */
function rowsOfRecords(kind: ImportKind, records: string[][], errors: RuleBreaks): { rows: Row[] } | { errors: RuleBreaks } {
  if (records.length === 0 || records[0]!.every((h) => !h.trim())) {
    errors.add(1, '', 'the file is empty; the first line must be the header');
    return { errors };
  }
  const specs = COLUMNS[kind];
  const header = records[0]!.map((h) => h.trim()).map((h) => specs.find((s) => s.name === h || s.label === h)?.name ?? h);
  for (const spec of specs) if (spec.required && !header.includes(spec.name)) errors.add(1, spec.name, 'required column is missing from the header');
  for (const name of header) {
    if (name && !specs.some((s) => s.name === name)) errors.add(1, name, `is not a known column (known: ${specs.map((s) => s.name).join(', ')})`);
  }
  if (errors.count > 0) return { errors };
  const rows = records.slice(1).map((values) => Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])));
  return { rows };
}

interface Planned {
  id: string;
  snapshot: Record<string, unknown>;
}
type Step = (tx: EntityManager) => Planned;

/** Checks every row and returns the writes to make, in order; fills `errors` instead when rows break rules. */
async function checkRows(em: EntityManager, ctx: ImportContext, rows: Row[], errors: RuleBreaks): Promise<Step[]> {
  const specs = COLUMNS[ctx.kind];
  const fail = (row: number, column: string, rule: string) => errors.add(row, column, rule);
  for (let i = 0; i < rows.length; i++) {
    if (i % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await nextTurn();
    const row = rows[i]!;
    for (const spec of specs) {
      const value = row[spec.name] ?? '';
      if (!value) {
        if (spec.required) fail(i + 2, spec.name, 'is required');
        continue;
      }
      const broken = spec.check?.(value);
      if (broken) fail(i + 2, spec.name, broken);
    }
  }
  const unitsByCode = await loadUnits(em, rows, ctx.kind);
  if (ctx.kind === 'units') return planUnits(em, ctx, rows, unitsByCode, fail);
  if (ctx.kind === 'organizations') return planOrganizations(em, ctx, rows, unitsByCode, fail);
  return planPeople(em, ctx, rows, unitsByCode, fail);
}

async function loadUnits(em: EntityManager, rows: Row[], kind: ImportKind): Promise<Map<string, { id: string; path: string; depth: number; level: UnitLevel }>> {
  const codes = new Set<string>();
  for (const row of rows) {
    for (const key of kind === 'units' ? ['code', 'parent_code'] : ['unit_code']) if (row[key]) codes.add(row[key]!);
  }
  const units = codes.size ? await em.find(AdministrativeUnit, { code: { $in: [...codes] } }) : [];
  return new Map(units.map((u) => [u.code, { id: u.id, path: u.path, depth: u.depth, level: u.level }]));
}

type Fail = (row: number, column: string, rule: string) => void;

function planUnits(_em: EntityManager, ctx: ImportContext, rows: Row[], existing: Map<string, { id: string; path: string; depth: number; level: UnitLevel }>, fail: Fail): Step[] {
  const known = new Map(existing);
  const steps: Step[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    if (!row.code || !row.level) return;
    if (known.has(row.code)) return fail(line, 'code', existing.has(row.code) ? 'a unit with this code already exists' : 'is used by an earlier row');
    let parent: { id: string; path: string; depth: number; level: UnitLevel } | undefined;
    if (row.parent_code) {
      parent = known.get(row.parent_code);
      if (!parent || !unitPathInScope(ctx.scope, parent.path)) return fail(line, 'parent_code', 'must be the code of a unit in your subtree or of an earlier row');
      if (UNIT_LEVELS.indexOf(row.level as UnitLevel) <= UNIT_LEVELS.indexOf(parent.level)) return fail(line, 'level', `must be a level below the parent's (${parent.level})`);
    } else if (!ctx.scope.all) {
      return fail(line, 'parent_code', 'is required (only an administrator imports root units)');
    }
    const id = crypto.randomUUID();
    const placed = { id, path: `${parent?.path ?? ''}${id}/`, depth: parent ? parent.depth + 1 : 0, level: row.level as UnitLevel };
    known.set(row.code, placed);
    steps.push((tx) => {
      const unit = tx.create(AdministrativeUnit, { id, code: row.code!, name: row.name!, level: placed.level, parent: parent?.id ?? null, path: placed.path, depth: placed.depth, partyOrgName: row.party_org_name! });
      return { id: unit.id, snapshot: { code: unit.code, name: unit.name, level: unit.level, parentId: parent?.id ?? null, partyOrgName: unit.partyOrgName } };
    });
  });
  return steps;
}

async function planOrganizations(em: EntityManager, ctx: ImportContext, rows: Row[], units: Map<string, { id: string; path: string }>, fail: Fail): Promise<Step[]> {
  const codes = rows.map((r) => r.credit_code).filter((c): c is string => Boolean(c));
  const taken = new Set((codes.length ? await em.find(Organization, { creditCode: { $in: codes } }, { fields: ['creditCode'] }) : []).map((o) => o.creditCode));
  const seen = new Set<string>();
  const steps: Step[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const unit = row.unit_code ? units.get(row.unit_code) : undefined;
    if (row.unit_code && (!unit || !unitPathInScope(ctx.scope, unit.path))) fail(line, 'unit_code', 'must be the code of a unit in your subtree');
    if (row.credit_code) {
      if (taken.has(row.credit_code)) fail(line, 'credit_code', 'an organization with this credit code already exists');
      else if (seen.has(row.credit_code)) fail(line, 'credit_code', 'is used by an earlier row');
      seen.add(row.credit_code);
    }
    if (!unit) return;
    steps.push((tx) => {
      const org = tx.create(Organization, {
        name: row.name!, kind: row.kind as OrganizationKind, unit: unit.id, creditCode: row.credit_code || null, partyOrgName: row.party_org_name || null,
        address: row.address || null, responsiblePeople: responsiblePeopleOf(row), ...documentFieldsOf(row),
      });
      return { id: org.id, snapshot: { name: org.name, kind: org.kind, unitId: unit.id, creditCode: org.creditCode, partyOrgName: org.partyOrgName } };
    });
  });
  return steps;
}

const person = (role: string, name: string | undefined, phone: string | undefined) => (name ? [{ role, name, ...(phone ? { phone } : {}) }] : []);
const responsiblePeopleOf = (row: Row) => [
  ...person('负责人', row.responsible_name, row.responsible_phone),
  ...person('党组织书记', row.party_secretary_name, row.party_secretary_phone),
];
/** The organization fields the forms print; an empty cell stays unknown (null), never 0. */
const documentFieldsOf = (row: Row) => ({
  legalRepresentative: row.legal_representative || null,
  staffCount: row.staff_count ? Number(row.staff_count) : null,
  partyMemberCount: row.party_member_count ? Number(row.party_member_count) : null,
  partyOrgType: row.party_org_type || null,
  partyOrgFoundedOn: row.party_org_founded_on || null,
});

async function planPeople(em: EntityManager, ctx: ImportContext, rows: Row[], units: Map<string, { id: string; path: string }>, fail: Fail): Promise<Step[]> {
  const codes = [...new Set(rows.map((r) => r.organization_credit_code).filter((c): c is string => Boolean(c)))];
  const orgs = codes.length ? await em.find(Organization, { creditCode: { $in: codes } }, { populate: ['unit'] }) : [];
  const orgsByCode = new Map(orgs.map((o) => [o.creditCode!, { id: o.id, path: o.unit.getEntity().path }]));
  const steps: Step[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    if (!row.unit_code && !row.organization_credit_code) return fail(line, 'unit_code', 'unit_code or organization_credit_code is required');
    const unit = row.unit_code ? units.get(row.unit_code) : undefined;
    if (row.unit_code && (!unit || !unitPathInScope(ctx.scope, unit.path))) fail(line, 'unit_code', 'must be the code of a unit in your subtree');
    const org = row.organization_credit_code ? orgsByCode.get(row.organization_credit_code) : undefined;
    if (row.organization_credit_code && (!org || !unitPathInScope(ctx.scope, org.path))) fail(line, 'organization_credit_code', 'must be the credit code of an organization in your subtree');
    steps.push((tx) => {
      const person = tx.create(Person, {
        name: row.name!, phone: row.phone || null, title: row.title || null, isPartyMember: ['是', 'true', '1', 'yes'].includes(row.is_party_member ?? ''),
        unit: unit?.id ?? null, organization: org?.id ?? null,
      });
      return { id: person.id, snapshot: { name: person.name, unitId: unit?.id ?? null, organizationId: org?.id ?? null } };
    });
  });
  return steps;
}
