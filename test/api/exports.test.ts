// Excel exports of the directory's lists: the files open with exceljs's reader and hold the
// list's rows for the caller, with Chinese headers, the filters named, and dates and numbers typed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { byHeader, readXlsx } from '../support/xlsx.ts';
import { Organization } from '../../domain/entities/organization.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  em.create(Organization, {
    name: '甲精密制造有限公司', kind: 'non_public_enterprise', unit: world.communityA.id, creditCode: '91370800MA3C000901', partyOrgName: '甲精密党支部',
    responsiblePeople: [{ role: '负责人', name: '赵一', phone: '13800000009' }, { role: '党组织书记', name: '钱二' }], address: '甲路1号',
    legalRepresentative: '赵一', staffCount: 326, partyMemberCount: 27, partyOrgType: '党支部', partyOrgFoundedOn: '2015-07-01',
  });
  em.create(Organization, { name: '甲社区志愿者协会', kind: 'social_organization', unit: world.communityA.id, creditCode: null, partyOrgName: null, responsiblePeople: [], address: null });
  await em.flush();
});
afterAll(async () => app?.close());

const download = (token: string, url: string) => app.server.inject({ method: 'GET', url, headers: bearer(token) });

describe('Excel export of the directory', () => {
  it('organizations: the list\'s rows for the caller, Chinese headers, typed dates and counts, the filters named', async () => {
    const res = await download(world.tokens.streetA!, '/organizations/export?kind=non_public_enterprise');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('组织名录.xlsx'));
    const sheet = await readXlsx(res.rawPayload);
    expect(sheet.title).toContain('组织名录');
    expect(sheet.filters).toBe('筛选条件：类型：非公企业');
    expect(sheet.subject).toContain('类型：非公企业');
    expect(sheet.headers).toEqual(expect.arrayContaining(['组织名称', '类型', '所属单位', '统一社会信用代码', '职工人数', '党员人数', '党组织成立日期']));
    const rows = byHeader(sheet);
    // Street A sees its own community's enterprises, not street B's, and not the social organization (filtered out).
    // In pinyin order, as the list: jiǎ jīng before jiǎ kē (by code point 科 U+79D1 came before 精 U+7CBE).
    expect(rows.map((r) => r['组织名称'])).toEqual(['甲精密制造有限公司', '甲科技有限公司']);
    const precise = rows.find((r) => r['组织名称'] === '甲精密制造有限公司')!;
    expect(precise).toMatchObject({ 类型: '非公企业', 所属单位: '甲社区', 职工人数: 326, 党员人数: 27, 负责人: '赵一', 党组织书记: '钱二' });
    expect(precise['党组织成立日期']).toEqual(new Date('2015-07-01T00:00:00Z'));
    const first = rows.find((r) => r['组织名称'] === '甲科技有限公司')!;
    expect(first['职工人数']).toBeNull();
    expect(sheet.formats['党组织成立日期']).toBe('yyyy-mm-dd');
    expect(sheet.formats['职工人数']).toBe('0');
  });

  it('organizations: the same rows as the JSON list, every page of it, for the department', async () => {
    const list = (await download(world.tokens.orgDept!, '/organizations?q=有限公司&limit=200')).json();
    const sheet = await readXlsx((await download(world.tokens.orgDept!, '/organizations/export?q=有限公司')).rawPayload);
    expect(sheet.filters).toBe('筛选条件：名称或信用代码含：有限公司');
    expect(byHeader(sheet).map((r) => r['组织名称'])).toEqual(list.items.map((o: { name: string }) => o.name));
    expect(sheet.rows.length).toBe(list.total);
  });

  it('organizations: a unit filter narrows to its subtree, named in the sheet; another street\'s unit gives no rows', async () => {
    const sheet = await readXlsx((await download(world.tokens.orgDept!, `/organizations/export?underUnitId=${world.streetB.id}`)).rawPayload);
    expect(sheet.filters).toBe('筛选条件：所属单位及下级：乙街道');
    expect(byHeader(sheet).map((r) => r['组织名称'])).toEqual(['乙商贸有限公司']);
    const foreign = await readXlsx((await download(world.tokens.streetA!, `/organizations/export?underUnitId=${world.streetB.id}`)).rawPayload);
    expect(foreign.rows).toEqual([]);
  });

  it('organizations: an enterprise exports only itself; limit and offset are not export filters', async () => {
    const sheet = await readXlsx((await download(world.tokens.enterpriseA!, '/organizations/export')).rawPayload);
    expect(sheet.filters).toBe('筛选条件：全部（未筛选）');
    expect(byHeader(sheet).map((r) => r['组织名称'])).toEqual(['甲科技有限公司']);
    const paged = await download(world.tokens.orgDept!, '/organizations/export?limit=5');
    expect(paged.statusCode).toBe(400);
    expect(paged.json().details[0].field).toContain('limit');
  });

  it('people: unit and organization by name, 是/否 for party membership, scoped to the street', async () => {
    const res = await download(world.tokens.streetB!, `/people/export?unitId=${world.communityB.id}`);
    const sheet = await readXlsx(res.rawPayload);
    expect(sheet.filters).toBe('筛选条件：所属单位：乙社区');
    expect(byHeader(sheet)).toEqual([expect.objectContaining({ 姓名: '李乙', 所属单位: '乙社区', 所属组织: '乙商贸有限公司', 党员: '否', 电话: '13800000002' })]);
    const other = await readXlsx((await download(world.tokens.streetA!, `/people/export?unitId=${world.communityB.id}`)).rawPayload);
    expect(other.rows).toEqual([]);
  });

  it('units: the tree in level order with parents by name; a street exports its subtree only', async () => {
    const sheet = await readXlsx((await download(world.tokens.streetA!, '/units/export')).rawPayload);
    expect(sheet.headers.slice(0, 4)).toEqual(['单位名称', '代码', '层级', '上级单位']);
    expect(byHeader(sheet).map((r) => [r['单位名称'], r['层级'], r['上级单位']])).toEqual([
      ['甲街道', '街道', '测试区'],
      ['甲社区', '社区', '甲街道'],
    ]);
    const filtered = await readXlsx((await download(world.tokens.orgDept!, '/units/export?level=street')).rawPayload);
    expect(filtered.filters).toBe('筛选条件：层级：街道');
    expect(filtered.rows.map((r) => r[0])).toEqual(['甲街道', '乙街道']);
  });

  it('dual-commitment sets: the list\'s filters named, its headers, and no rows where the list has none', async () => {
    const res = await download(world.tokens.streetA!, '/dual-commitments/sets/export?year=2026&gate=set');
    expect(res.statusCode).toBe(200);
    const sheet = await readXlsx(res.rawPayload);
    expect(sheet.filters).toBe('筛选条件：年度：2026；环节：定诺');
    expect(sheet.headers).toEqual(['组织名称', '年度', '环节', '定诺状态', '通过版本', '当前环节截止日']);
    expect(sheet.rows).toEqual([]);
  });

  it('is refused to those the list refuses', async () => {
    expect((await download(world.tokens.nobody!, '/organizations/export')).statusCode).toBe(403);
    expect((await download(world.tokens.enterpriseA!, '/units/export')).statusCode).toBe(403);
    expect((await app.server.inject({ method: 'GET', url: '/people/export' })).statusCode).toBe(401);
  });
});
