// Document numbers on a real database: per issuer, kind and year from 1, allocated once per
// subject (a retried render gets the same number), never two documents with one number even
// when allocated at once; the issuer is the district's department, in full, or as configured.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initOrm } from '../../../db/orm.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { allocateDocumentNumber, departmentIssuer, documentNumberOf } from '../../../domain/documents/issuer.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let orm: MikroORM;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('docnumbers');
  orm = await initOrm({ url: db.url });
  const em = orm.em.fork() as EntityManager;
  const unit = (code: string, name: string, level: string, partyOrgName: string, parent?: AdministrativeUnit) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, partyOrgName, path: '', depth: parent ? parent.depth + 1 : 0 } as never);
    u.path = `${parent ? parent.path : ''}${u.id}/`;
    return u;
  };
  const city = unit('3708', '济宁市', 'city', '中共济宁市委员会');
  const district = unit('370811', '任城区', 'district', '中共济宁市任城区委员会', city);
  const street = unit('370811001', '古槐街道', 'street', '中共济宁市任城区古槐街道工作委员会', district);
  const community = unit('370811001001', '铁塔寺社区', 'community', '中共铁塔寺社区委员会', street);
  const other = unit('370812', '兖州区', 'district', '中共济宁市兖州区委员会', city);
  await em.flush();
  Object.assign(ids, { district: district.id, community: community.id, other: other.id });
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

describe('document issuer and numbers', () => {
  it('issues in the name of the district department, in full, found from any unit below it', async () => {
    const em = orm.em.fork() as EntityManager;
    expect(await departmentIssuer(em, ids.community!)).toEqual({
      unitId: ids.district, name: '中共济宁市任城区委组织部', sealCaption: '中共济宁市任城区委组织部', contact: null, numberPrefix: '任组',
    });
    await em.execute('insert into document_issuer (unit_id, department_name, seal_caption, contact, number_prefix) values (?, ?, ?, ?, ?)', [
      ids.other, '中共济宁市兖州区委组织部', '中共济宁市兖州区委组织部（两新工委）', '0537-3411234', '兖组',
    ]);
    expect(await departmentIssuer(em, ids.other!)).toMatchObject({ sealCaption: '中共济宁市兖州区委组织部（两新工委）', contact: '0537-3411234', numberPrefix: '兖组' });
  });

  it('numbers per kind and year from 1, once per subject, never twice, even at once', async () => {
    const em = orm.em.fork() as EntityManager;
    const issuer = (await departmentIssuer(em, ids.district!))!;
    const allocate = (subjectKey: string, year = 2026, kind: 'evaluation-record' | 'star-rating-list' = 'evaluation-record') =>
      allocateDocumentNumber(orm.em.fork() as EntityManager, { issuer, kind, year, subjectKey });
    expect(await allocate('commitment_set/a')).toBe('任组备〔2026〕1号');
    // A retried or repeated render of the same record prints the same number.
    expect(await allocate('commitment_set/a')).toBe('任组备〔2026〕1号');
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => allocate(`commitment_set/b${i}`)));
    expect(new Set(burst).size).toBe(8);
    expect(burst.map((n) => Number(/〕(\d+)号/.exec(n)![1])).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // Another kind and another year have their own sequences.
    expect(await allocate('star_rating_list/x', 2026, 'star-rating-list')).toBe('任组星〔2026〕1号');
    expect(await allocate('commitment_set/c', 2027)).toBe('任组备〔2027〕1号');
    expect(await documentNumberOf(em, 'evaluation-record', 'commitment_set/a')).toBe('任组备〔2026〕1号');
    // The database refuses a second document under a number in use.
    await expect(em.execute("insert into document_number (issuer_unit_id, kind, year, seq, subject_key, text) values (?, 'evaluation-record', 2026, 1, 'commitment_set/z', 'x')", [ids.district]))
      .rejects.toThrow(/document_number_seq_unique/);
  });
});
