// Imports from .xlsx: a workbook as Excel saves it (Chinese headers, typed numbers and dates)
// imports like its CSV; broken rows are named by the row number Excel shows and by column; the
// templates of each kind open in both formats and go back in as they are.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { multipartFile } from './support/multipart.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Person } from '../../domain/entities/person.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function upload(token: string, kind: string, file: Buffer, name = `${kind}.xlsx`) {
  const body = multipartFile(file, name, XLSX_TYPE);
  const res = await app.server.inject({ method: 'POST', url: `/imports/${kind}`, headers: { ...bearer(token), ...body.headers }, payload: body.payload });
  expect(res.statusCode).toBe(202);
  for (let i = 0; i < 1200; i++) {
    const job = await app.server.inject({ method: 'GET', url: `/imports/${res.json().id}`, headers: bearer(token) });
    if (job.json().status !== 'running') return job.json();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe('.xlsx import', () => {
  it('imports organizations with Chinese headers, numbers and a date cell typed as Excel types them', async () => {
    const file = await workbook([
      ['组织名称', '类型', '所属单位代码', '统一社会信用代码', '职工人数', '党员人数', '党组织类型', '党组织成立日期', '党组织书记'],
      ['鲁源电气有限公司', 'non_public_enterprise', 'C-A', '91370800MA3C000301', 120, 9, '党支部', new Date(Date.UTC(2016, 6, 1)), '孙立'],
      ['甲社区书画协会', 'social_organization', 'C-A', null, null, null, null, null, null],
    ]);
    const job = await upload(world.tokens.streetA!, 'organizations', file);
    expect(job).toMatchObject({ status: 'succeeded', total: 2, imported: 2, fileName: 'organizations.xlsx', errors: [] });
    const em = app.orm.em.fork();
    expect(await em.findOneOrFail(Organization, { creditCode: '91370800MA3C000301' })).toMatchObject({
      name: '鲁源电气有限公司', staffCount: 120, partyMemberCount: 9, partyOrgType: '党支部', partyOrgFoundedOn: '2016-07-01',
      responsiblePeople: [{ role: '党组织书记', name: '孙立' }],
    });
    expect(await em.findOneOrFail(Organization, { name: '甲社区书画协会' })).toMatchObject({ staffCount: null, creditCode: null });
  });

  it('names each broken rule by the row Excel shows and the column, and writes nothing', async () => {
    const file = await workbook([
      ['name', 'phone', 'is_party_member', 'unit_code'],
      ['周九', '13800000011', '是', 'C-A'],
      [],
      ['吴十', 'abc', '也许', 'C-B'],
    ]);
    const before = await app.orm.em.fork().count(Person, {});
    const job = await upload(world.tokens.streetA!, 'people', file);
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual(expect.arrayContaining([
      { row: 3, column: 'name', rule: 'is required' },
      { row: 4, column: 'phone', rule: 'must be a phone number' },
      { row: 4, column: 'is_party_member', rule: expect.stringContaining('must be one of 是, 否') },
      { row: 4, column: 'unit_code', rule: 'must be the code of a unit in your subtree' },
    ]));
    expect(job.errors.some((e: { row: number }) => e.row === 2)).toBe(false);
    expect(await app.orm.em.fork().count(Person, {})).toBe(before);
  });

  it('refuses an unknown header column and a file that is not a workbook, by name', async () => {
    const unknown = await upload(world.tokens.streetA!, 'units', await workbook([['单位代码', '单位名称', '层级', '颜色'], ['C-X', 'X', 'community', '红']]));
    expect(unknown.errors).toEqual(expect.arrayContaining([
      { row: 1, column: 'party_org_name', rule: 'required column is missing from the header' },
      { row: 1, column: '颜色', rule: expect.stringContaining('is not a known column') },
    ]));
    const broken = await upload(world.tokens.streetA!, 'units', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]));
    expect(broken.status).toBe('failed');
    expect(broken.errors[0].rule).toContain('is not a readable .xlsx workbook');
  });

  it('offers a template of each kind as .xlsx and CSV, which go back in as they are (only the example\'s codes are unknown here)', async () => {
    for (const kind of ['units', 'organizations', 'people'] as const) {
      const res = await app.server.inject({ method: 'GET', url: `/imports/${kind}/template`, headers: bearer(world.tokens.streetA!) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as never);
      const header = (book.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
      expect(header.length).toBeGreaterThan(3);
      expect(book.worksheets[0]!.rowCount).toBe(2);
      expect(book.worksheets[1]!.name).toBe('填写说明');
      const job = await upload(world.tokens.streetA!, kind, res.rawPayload);
      expect(job.status).toBe('failed');
      const columns = new Set(job.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`));
      expect([...columns].every((c) => ['2:unit_code', '2:parent_code', '2:organization_credit_code'].includes(c as string))).toBe(true);
      const csv = await app.server.inject({ method: 'GET', url: `/imports/${kind}/template?format=csv`, headers: bearer(world.tokens.streetA!) });
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body.split('\r\n')[0]).toBe(`\uFEFF${header.join(',')}`);
    }
    expect((await app.server.inject({ method: 'GET', url: '/imports/people/template', headers: bearer(world.tokens.enterpriseA!) })).statusCode).toBe(403);
  });
});
