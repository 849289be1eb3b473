// Who issues each kind of document, and under what number: the one place the rule lives.
// - A document is issued in the name of a real unit with its full name, taken from the
//   administrative tree (中共济宁市任城区委组织部, never a generic 区委组织部).
// - The 承诺公示 is the enterprise's (or social organization's) Party organization's own notice;
//   the street's attendance sheet and quarterly review are the street working committee's;
//   everything the department files, lists or awards is the district department's.
// - Per district, the department may set its full name, seal caption, contact and number
//   prefix (document_issuer); without a row they are derived from the district's Party
//   committee (中共济宁市任城区委员会 → 中共济宁市任城区委组织部, prefix 任组).
// - Numbers (〔2026〕12号) run per issuer, kind and year, are allocated once per subject in a
//   transaction (a retried or repeated render of the same subject gets the same number) and
//   are never reused (rows are never deleted).
import type { EntityManager } from '@mikro-orm/postgresql';

export type DocumentKind =
  | 'commitment-notice'
  | 'evaluation-record'
  | 'factual-evaluation'
  | 'star-rating-list'
  | 'star-plaque'
  | 'attendance-sheet'
  | 'quarterly-review'
  | 'year-end-ranking'
  | 'final-assessment';

/** Who issues a kind: the district's organization department, the street committee, or the organization's own Party organization. */
export const ISSUER_OF: Record<DocumentKind, 'department' | 'street' | 'organization'> = {
  'commitment-notice': 'organization',
  'evaluation-record': 'department',
  'factual-evaluation': 'department',
  'star-rating-list': 'department',
  'star-plaque': 'department',
  'attendance-sheet': 'street',
  'quarterly-review': 'street',
  'year-end-ranking': 'department',
  'final-assessment': 'department',
};

/** The kinds that carry a number, and the word after the prefix: 任组备〔2026〕3号. */
export const NUMBER_WORD: Partial<Record<DocumentKind, string>> = {
  'evaluation-record': '备',
  'factual-evaluation': '评',
  'star-rating-list': '星',
  'star-plaque': '星证',
  'year-end-ranking': '考',
};

/** 中共济宁市任城区委员会 → 中共济宁市任城区委组织部 (a Party committee's organization department). */
export function departmentFullName(partyCommitteeName: string): string {
  return `${partyCommitteeName.replace(/委员会$/, '委')}组织部`;
}

/** 任城区 → 任组; 大方县 → 大组: the usual short prefix of a department's numbers. */
export function defaultNumberPrefix(districtName: string): string {
  return `${districtName.slice(0, 1)}组`;
}

/** 任组备〔2026〕12号 */
export function formatDocumentNumber(prefix: string, kind: DocumentKind, year: number, seq: number): string {
  return `${prefix}${NUMBER_WORD[kind] ?? ''}〔${year}〕${seq}号`;
}

export interface DepartmentIssuer {
  /** The district (or city) unit whose department issues. */
  unitId: string;
  name: string;
  sealCaption: string;
  contact: string | null;
  numberPrefix: string;
}

interface UnitRow {
  id: string;
  name: string;
  level: string;
  party_org_name: string;
  path: string;
}

/** The nearest district (else city) at or above a unit, by its materialized path. */
export async function districtOf(em: EntityManager, unitId: string): Promise<UnitRow | null> {
  const rows = await em.getConnection().execute<UnitRow[]>(
    `select a.id, a.name, a.level, a.party_org_name, a.path from administrative_unit u
       join administrative_unit a on u.path like a.path || '%' and a.level in ('district', 'city')
      where u.id = ? order by (a.level = 'district') desc, a.depth desc limit 1`,
    [unitId],
  );
  return rows[0] ?? null;
}

/** The street at or above a unit (its working committee supervises the organizations below it). */
export async function streetOf(em: EntityManager, unitId: string): Promise<UnitRow | null> {
  const rows = await em.getConnection().execute<UnitRow[]>(
    `select a.id, a.name, a.level, a.party_org_name, a.path from administrative_unit u
       join administrative_unit a on u.path like a.path || '%' and a.level = 'street'
      where u.id = ? order by a.depth desc limit 1`,
    [unitId],
  );
  return rows[0] ?? null;
}

/** The department that issues for the district above `unitId`, as configured or derived from the tree. */
export async function departmentIssuer(em: EntityManager, unitId: string): Promise<DepartmentIssuer | null> {
  const district = await districtOf(em, unitId);
  if (!district) return null;
  const [configured] = await em.getConnection().execute<{ department_name: string; seal_caption: string; contact: string | null; number_prefix: string }[]>(
    'select department_name, seal_caption, contact, number_prefix from document_issuer where unit_id = ?',
    [district.id],
  );
  const name = configured?.department_name ?? departmentFullName(district.party_org_name);
  return {
    unitId: district.id,
    name,
    sealCaption: configured?.seal_caption ?? name,
    contact: configured?.contact ?? null,
    numberPrefix: configured?.number_prefix ?? defaultNumberPrefix(district.name),
  };
}

/** The department that issues for `unitId`; a unit with no district above it cannot have its documents issued. */
export async function requireDepartmentIssuer(em: EntityManager, unitId: string): Promise<DepartmentIssuer> {
  const issuer = await departmentIssuer(em, unitId);
  if (!issuer) throw new Error(`unit ${unitId} has no district above it in the administrative tree: no department can issue its documents`);
  return issuer;
}

const NUMBER_LOCK = 20_261_129;

/**
 * The number of one document: the subject's number if it has one, else the next of its
 * issuer, kind and year, in one transaction under a lock on that sequence. `subjectKey` names
 * the document (commitment_set/<id>, star_round/<unit>/<year>/评定…), so a retry, a re-render
 * or a second version of it prints the same number.
 */
export async function allocateDocumentNumber(
  em: EntityManager,
  input: { issuer: DepartmentIssuer; kind: DocumentKind; year: number; subjectKey: string },
): Promise<string> {
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?, hashtext(?))', [NUMBER_LOCK, `${input.issuer.unitId}/${input.kind}/${input.year}`]);
    const [found] = await tx.execute<{ text: string }[]>('select text from document_number where kind = ? and subject_key = ?', [input.kind, input.subjectKey]);
    if (found) return found.text;
    const [next] = await tx.execute<{ seq: number }[]>(
      'select coalesce(max(seq), 0) + 1 as seq from document_number where issuer_unit_id = ? and kind = ? and year = ?',
      [input.issuer.unitId, input.kind, input.year],
    );
    const seq = Number(next?.seq ?? 1);
    const text = formatDocumentNumber(input.issuer.numberPrefix, input.kind, input.year, seq);
    await tx.execute(
      'insert into document_number (issuer_unit_id, kind, year, seq, subject_key, text) values (?, ?, ?, ?, ?, ?)',
      [input.issuer.unitId, input.kind, input.year, seq, input.subjectKey, text],
    );
    return text;
  });
}

/** The number a subject's document was given, if any (for the audit row that files its PDF). */
export async function documentNumberOf(em: EntityManager, kind: DocumentKind, subjectKey: string): Promise<string | null> {
  const [row] = await em.getConnection().execute<{ text: string }[]>('select text from document_number where kind = ? and subject_key = ?', [kind, subjectKey]);
  return row?.text ?? null;
}
