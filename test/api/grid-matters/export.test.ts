// GET /grid-matters/export: the matters list as Excel, opened with exceljs's reader. Chinese
// headers, dates as dates, the filters named in row 2 and narrowing the rows, and a street seeing
// only the matters of its own grids.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { bearer, buildWorld, type World } from '../../support/fixtures.ts';
import { byHeader, readXlsx } from '../../support/xlsx.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';

let app: TestApp;
let world: World;

async function gridUnder(em: EntityManager, community: AdministrativeUnit, tag: string) {
  const grid = em.create(AdministrativeUnit, { code: `G-${tag}`, name: `网格${tag}`, level: 'grid', parent: community, partyOrgName: `网格${tag}党支部`, path: '', depth: 3 });
  grid.path = `${community.path}${grid.id}/`;
  await em.flush();
  return grid;
}

async function matter(em: EntityManager, grid: AdministrativeUnit, number: string, o: { status: string; category: string; name: string; closed?: boolean }) {
  await em.execute(
    `insert into grid_matter (number, workflow_id, grid_id, category, category_name, urgency, description, source, rules_unit_id, responder_kind, level,
       assignee_unit_id, deadline_at, status, closed_at, rating, created_at) values (?, ?, ?, ?, ?, 'urgent', '路灯不亮', 'resident', ?, 'grid', 1, ?,
       '2026-11-20T02:00:00Z', ?, ?, ?, '2026-11-18T01:30:00Z')`,
    [number, `grid-matter/${number}`, grid.id, o.category, o.name, world.district.id, grid.id, o.status,
      o.closed ? '2026-11-19T08:00:00Z' : null, o.closed ? 'satisfied' : null],
  );
}

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  const communityA = await em.findOneOrFail(AdministrativeUnit, { id: world.communityA.id });
  const communityB = await em.findOneOrFail(AdministrativeUnit, { id: world.communityB.id });
  const gridA = await gridUnder(em, communityA, 'A1');
  const gridB = await gridUnder(em, communityB, 'B1');
  await matter(em, gridA, 'GM-A-1', { status: 'closed', category: 'facility', name: '设施维修', closed: true });
  await matter(em, gridA, 'GM-A-2', { status: 'open', category: 'environment', name: '环境卫生' });
  await matter(em, gridB, 'GM-B-1', { status: 'open', category: 'environment', name: '环境卫生' });
});
afterAll(async () => app?.close());

const download = async (token: string, url: string) => {
  const res = await app.server.inject({ method: 'GET', url, headers: bearer(token) });
  expect(`${url} ${res.statusCode}`).toBe(`${url} 200`);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toContain(encodeURIComponent('网格事项.xlsx'));
  return readXlsx(res.rawPayload);
};

describe('GET /grid-matters/export', () => {
  it('the department gets every matter with Chinese headers, names in words and Beijing times as dates', async () => {
    const sheet = await download(world.tokens.orgDept!, '/grid-matters/export');
    expect(sheet.title).toBe('网格事项清单');
    expect(sheet.filters).toBe('筛选条件：全部（未筛选）');
    expect(sheet.headers).toEqual(expect.arrayContaining(['编号', '类别', '紧急程度', '网格', '来源', '状态', '当前层级', '承办单位', '上报时间', '期限', '办结时间', '满意度']));
    const rows = byHeader(sheet);
    expect(rows.map((r) => r['编号']).sort()).toEqual(['GM-A-1', 'GM-A-2', 'GM-B-1']);
    const closed = rows.find((r) => r['编号'] === 'GM-A-1')!;
    expect(closed).toMatchObject({ 类别: '设施维修', 紧急程度: '紧急', 网格: '网格A1', 来源: '居民', 状态: '已办结', 当前层级: '社区党委', 满意度: '满意' });
    // 2026-11-18 01:30 UTC is 09:30 in Beijing; Excel has no zones, so the wall clock is written.
    expect(closed['上报时间']).toEqual(new Date('2026-11-18T09:30:00Z'));
    expect(closed['办结时间']).toEqual(new Date('2026-11-19T16:00:00Z'));
    expect(sheet.formats['上报时间']).toBe('yyyy-mm-dd hh:mm');
  });

  it('filters narrow the rows and are named in row 2', async () => {
    const sheet = await download(world.tokens.orgDept!, '/grid-matters/export?status=open&category=environment');
    expect(sheet.filters).toBe('筛选条件：状态：待受理；类别：environment');
    expect(byHeader(sheet).map((r) => r['编号']).sort()).toEqual(['GM-A-2', 'GM-B-1']);
  });

  it('a street sees the matters of its own grids only, the other street none of them', async () => {
    const b = byHeader(await download(world.tokens.streetB!, '/grid-matters/export'));
    expect(b.map((r) => r['编号'])).toEqual(['GM-B-1']);
    const a = byHeader(await download(world.tokens.streetA!, '/grid-matters/export?status=open'));
    expect(a.map((r) => r['编号'])).toEqual(['GM-A-2']);
  });
});
