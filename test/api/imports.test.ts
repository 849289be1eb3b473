import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { multipartFile } from './support/multipart.ts';
import { ImportJob } from '../../domain/entities/import-job.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { IMPORT_INTERRUPTED_RULE } from '../../domain/imports/run.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

async function importCsv(token: string, kind: string, csv: string) {
  const body = multipartFile(csv, `${kind}.csv`, 'text/csv');
  const res = await app.server.inject({ method: 'POST', url: `/imports/${kind}`, headers: { ...bearer(token), ...body.headers }, payload: body.payload });
  expect(res.statusCode).toBe(202);
  for (let i = 0; i < 1200; i++) {
    const job = await app.server.inject({ method: 'GET', url: `/imports/${res.json().id}`, headers: bearer(token) });
    if (job.json().status !== 'running') return job.json();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

const count = async (token: string, url: string) => (await app.server.inject({ method: 'GET', url, headers: bearer(token) })).json().total;

describe('CSV import', () => {
  it('imports a tree of units in one go, parents from earlier rows', async () => {
    const csv = ['code,name,level,parent_code,party_org_name', 'C-A2,甲二社区,community,S-A,甲二社区党委', 'G-A2-1,甲二社区第一网格,grid,C-A2,第一网格党支部'].join('\n');
    const job = await importCsv(world.tokens.streetA!, 'units', csv);
    expect(job).toMatchObject({ status: 'succeeded', total: 2, processed: 2, imported: 2, errors: [] });
    expect(await count(world.tokens.streetA!, '/units?q=甲二')).toBe(2);
  });

  it('reports every bad row with its column and rule and imports nothing', async () => {
    const before = await count(world.tokens.streetA!, '/organizations');
    const csv = [
      'name,kind,unit_code,credit_code,party_org_name',
      '好企业有限公司,non_public_enterprise,C-A,91370800MA3C000101,好企业党支部',
      '坏类型公司,company,C-A,,',
      '别人家公司,non_public_enterprise,C-B,,',
      ',social_organization,C-A,91370800MA3C000001,',
    ].join('\n');
    const job = await importCsv(world.tokens.streetA!, 'organizations', csv);
    expect(job.status).toBe('failed');
    expect(job.imported).toBe(0);
    expect(job.errors).toEqual(expect.arrayContaining([
      { row: 3, column: 'kind', rule: 'must be one of non_public_enterprise, social_organization, resident_unit, property_service' },
      { row: 4, column: 'unit_code', rule: 'must be the code of a unit in your subtree' },
      { row: 5, column: 'name', rule: 'is required' },
      { row: 5, column: 'credit_code', rule: 'an organization with this credit code already exists' },
    ]));
    expect(job.errors.some((e: { row: number }) => e.row === 2)).toBe(false);
    expect(await count(world.tokens.streetA!, '/organizations')).toBe(before);
  });

  it('imports the fields the forms print (counts, Party organization, legal representative), refusing bad ones by column', async () => {
    const header = 'name,kind,unit_code,credit_code,legal_representative,staff_count,party_member_count,party_org_type,party_org_founded_on,party_secretary_name';
    const bad = await importCsv(world.tokens.streetA!, 'organizations', [header, '坏字段公司,non_public_enterprise,C-A,,张三,-3,十,党小组,2015-13-01,'].join('\n'));
    expect(bad.errors).toEqual(expect.arrayContaining([
      { row: 2, column: 'staff_count', rule: 'must be a whole number from 0' },
      { row: 2, column: 'party_member_count', rule: 'must be a whole number from 0' },
      { row: 2, column: 'party_org_type', rule: expect.stringContaining('must be one of 党委') },
      { row: 2, column: 'party_org_founded_on', rule: 'must be a date YYYY-MM-DD' },
    ]));
    const job = await importCsv(world.tokens.streetA!, 'organizations', [header, '鲁恒机械有限公司,non_public_enterprise,C-A,91370800MA3C000202,刘德海,326,27,党支部,2015-07-01,王建国', '空白计数公司,non_public_enterprise,C-A,,,,,,,'].join('\n'));
    expect(job.status).toBe('succeeded');
    const em = app.orm.em.fork();
    const org = await em.findOneOrFail(Organization, { creditCode: '91370800MA3C000202' });
    expect(org).toMatchObject({ legalRepresentative: '刘德海', staffCount: 326, partyMemberCount: 27, partyOrgType: '党支部', partyOrgFoundedOn: '2015-07-01' });
    expect(org.responsiblePeople).toEqual([{ role: '党组织书记', name: '王建国' }]);
    // An empty cell stays unknown, so the form leaves it blank rather than printing 0人.
    expect(await em.findOneOrFail(Organization, { name: '空白计数公司' })).toMatchObject({ staffCount: null, partyMemberCount: null });
  });

  it('names a missing or unknown header column', async () => {
    const job = await importCsv(world.tokens.streetA!, 'people', 'name,mobile\n张三,13800000000\n');
    expect(job.errors).toEqual([{ row: 1, column: 'mobile', rule: expect.stringContaining('is not a known column') }]);
  });

  it('imports people into organizations by credit code', async () => {
    const job = await importCsv(world.tokens.streetA!, 'people', 'name,phone,is_party_member,organization_credit_code\n赵六,13800000009,是,91370800MA3C000001\n');
    expect(job.status).toBe('succeeded');
    const people = await app.server.inject({ method: 'GET', url: `/people?organizationId=${world.orgA.id}`, headers: bearer(world.tokens.enterpriseA!) });
    expect(people.json().items.map((p: { name: string }) => p.name)).toContain('赵六');
  });

  it('imports a large file whole, reporting progress, with one audit entry per row and an intact chain', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `居民${i},1380000${String(i).padStart(4, '0')},否,C-A`);
    const job = await importCsv(world.tokens.streetA!, 'people', ['name,phone,is_party_member,unit_code', ...rows].join('\n'));
    expect(job).toMatchObject({ status: 'succeeded', total: 1200, processed: 1200, imported: 1200 });
    const audit = await app.server.inject({ method: 'GET', url: '/audit?limit=1', headers: bearer(world.tokens.admin!) });
    expect(audit.json().items[0].action).toBe('import.people');
    expect((await app.server.inject({ method: 'GET', url: '/audit/verify', headers: bearer(world.tokens.admin!) })).json()).toMatchObject({ ok: true });
  });

  it('fails a job whose service stopped mid-import (no heartbeat for a minute), not a live one', async () => {
    const done = await importCsv(world.tokens.streetA!, 'units', ['code,name,level,parent_code,party_org_name', 'C-A9,甲九社区,community,S-A,甲九社区党委'].join('\n'));
    const em = app.orm.em.fork();
    const get = async () => (await app.server.inject({ method: 'GET', url: `/imports/${done.id}`, headers: bearer(world.tokens.streetA!) })).json();
    // As a process that died mid-write leaves it: still running, its heartbeat two minutes old.
    await em.nativeUpdate(ImportJob, { id: done.id }, { status: 'running', finishedAt: null, heartbeatAt: new Date(Date.now() - 120_000) });
    const orphaned = await get();
    expect(orphaned).toMatchObject({ status: 'failed', errors: [{ row: 0, column: '', rule: IMPORT_INTERRUPTED_RULE }] });
    expect(orphaned.finishedAt).not.toBeNull();
    // A job with a fresh heartbeat is left running.
    await em.nativeUpdate(ImportJob, { id: done.id }, { status: 'running', finishedAt: null, heartbeatAt: new Date() });
    expect((await get()).status).toBe('running');
  });

  it('is refused to roles that do not import (403) and hides other people\'s jobs', async () => {
    const body = multipartFile('name\n', 'x.csv', 'text/csv');
    const res = await app.server.inject({ method: 'POST', url: '/imports/people', headers: { ...bearer(world.tokens.enterpriseA!), ...body.headers }, payload: body.payload });
    expect(res.statusCode).toBe(403);
  });
});
