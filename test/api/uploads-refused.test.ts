// Uploads that are refused leave nothing behind: an empty, too large, wrongly typed or cut-off
// evidence file answers 4xx (a body cut before its closing boundary is a 400, not a 500), no
// file stays on disk and no row is written. CSV imports refuse a file with absurdly many
// columns at once, keep at most 1,000 errors with their total, and /healthz stays fast meanwhile.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { multipartFile } from './support/multipart.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

/** Every file (not folder) under DATA_DIR. */
async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(app.dataDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

const pdf = Buffer.from('%PDF-1.4\n宣讲记录\n%%EOF\n');
const uploadUrl = () => `/evidence?title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01`;
const send = (payload: Buffer, headers: Record<string, string>, url = uploadUrl()) =>
  app.server.inject({ method: 'POST', url, headers: { ...bearer(world.tokens.enterpriseA!), ...headers }, payload });
const evidenceTotal = async () => (await app.server.inject({ method: 'GET', url: `/evidence?organizationId=${world.orgA.id}`, headers: bearer(world.tokens.enterpriseA!) })).json().total;

describe('refused evidence uploads', () => {
  const cut = (body: { payload: Buffer }, keep: number) => body.payload.subarray(0, keep);
  const cases: [string, () => { payload: Buffer; headers: Record<string, string> }, number, string][] = [
    ['an empty file', () => multipartFile(Buffer.alloc(0), 'empty.pdf', 'application/pdf'), 400, 'body.file'],
    ['a file of another type', () => multipartFile(Buffer.from('MZ\x90\x00'), 'run.exe', 'application/x-msdownload'), 415, 'body.file'],
    ['a file whose content is not its declared type', () => multipartFile(Buffer.from('<html></html>'), 'photo.png', 'image/png'), 415, 'body.file'],
    ['a file over the size limit', () => multipartFile(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024, 1)]), 'big.pdf', 'application/pdf'), 413, 'body.file'],
    ['a body cut before its closing boundary', () => { const b = multipartFile(pdf, 'cut.pdf', 'application/pdf'); return { payload: cut(b, b.payload.length - 12), headers: b.headers }; }, 400, 'body'],
    ['a body cut inside a large file', () => { const b = multipartFile(Buffer.concat([pdf, Buffer.alloc(2 * 1024 * 1024, 7)]), 'cut.pdf', 'application/pdf'); return { payload: cut(b, 1024 * 1024), headers: b.headers }; }, 400, 'body'],
    ['a body cut inside the part header', () => { const b = multipartFile(pdf, 'cut.pdf', 'application/pdf'); return { payload: cut(b, 60), headers: b.headers }; }, 400, 'body'],
    ['a body without a file part', () => ({ payload: Buffer.from('------b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n------b--\r\n'), headers: { 'content-type': 'multipart/form-data; boundary=----b' } }), 400, 'body.file'],
    ['a multipart type without a boundary', () => ({ payload: pdf, headers: { 'content-type': 'multipart/form-data' } }), 400, 'body'],
  ];

  it.each(cases)('%s is refused and leaves no file and no row', async (_name, body, status, field) => {
    const before = await filesOnDisk();
    const total = await evidenceTotal();
    const { payload, headers } = body();
    const res = await send(payload, headers);
    expect([res.statusCode, res.json().error === 'internal_error']).toEqual([status, false]);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await filesOnDisk()).toEqual(before);
    expect(await evidenceTotal()).toBe(total);
  });

  it('a new version cut before its closing boundary is refused too; the evidence keeps its one version', async () => {
    const first = multipartFile(pdf, 'ok.pdf', 'application/pdf');
    const created = await send(first.payload, first.headers);
    expect(created.statusCode).toBe(201);
    const before = await filesOnDisk();
    const next = multipartFile(Buffer.from('%PDF-1.4\nsecond\n%%EOF\n'), 'v2.pdf', 'application/pdf');
    const res = await send(next.payload.subarray(0, next.payload.length - 10), next.headers, `/evidence/${created.json().id}/versions?effectiveFrom=2026-10-01`);
    expect(res.statusCode).toBe(400);
    expect(await filesOnDisk()).toEqual(before);
    const evidence = await app.server.inject({ method: 'GET', url: `/evidence/${created.json().id}`, headers: bearer(world.tokens.enterpriseA!) });
    expect(evidence.json().latestVersion).toBe(1);
  });
});

describe('CSV imports stay small and the service stays responsive', () => {
  const upload = (csv: string, kind = 'organizations') => {
    const body = multipartFile(csv, `${kind}.csv`, 'text/csv');
    return app.server.inject({ method: 'POST', url: `/imports/${kind}`, headers: { ...bearer(world.tokens.streetA!), ...body.headers }, payload: body.payload });
  };
  const jobs = async () => Number((await app.orm.em.fork().getConnection().execute('select count(*) as n from import_job'))[0].n);
  async function finished(id: string) {
    for (let i = 0; i < 2400; i++) {
      const job = (await app.server.inject({ method: 'GET', url: `/imports/${id}`, headers: bearer(world.tokens.streetA!) })).json();
      if (job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  }

  it('a CSV of 100,000 columns under 10 MiB is refused at once, naming the rule, and makes no job', async () => {
    const csv = `${Array.from({ length: 100_000 }, (_, i) => `column_${i}`).join(',')}\n${'x,'.repeat(99_999)}x\n`;
    expect(Buffer.byteLength(csv)).toBeLessThan(10 * 1024 * 1024);
    const before = await jobs();
    const started = performance.now();
    const res = await upload(csv);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'body.file', rule: 'the header may have at most 50 columns' }]);
    expect(await jobs()).toBe(before);
  });

  it('an import cut off before its closing boundary is a 400 and makes no job', async () => {
    const body = multipartFile('name,kind,unit_code\n甲,non_public_enterprise,C-A\n', 'organizations.csv', 'text/csv');
    const before = await jobs();
    const res = await app.server.inject({ method: 'POST', url: '/imports/organizations', headers: { ...bearer(world.tokens.streetA!), ...body.headers }, payload: body.payload.subarray(0, body.payload.length - 8) });
    expect(res.statusCode).toBe(400);
    expect(await jobs()).toBe(before);
  });

  it('keeps the first 1,000 broken rules with their total, and /healthz answers fast while a 10 MiB file is checked', async () => {
    const lines = ['name,kind,unit_code'];
    let size = 0;
    while (size < 9.5 * 1024 * 1024) {
      const line = `测试企业${lines.length},not_a_kind,C-A`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const res = await upload(lines.join('\n'));
    expect(res.statusCode).toBe(202);
    let slowest = 0;
    let probes = 0;
    let job: { status: string } = { status: 'running' };
    while (job.status === 'running') {
      const started = performance.now();
      expect((await app.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      probes++;
      job = (await app.server.inject({ method: 'GET', url: `/imports/${res.json().id}`, headers: bearer(world.tokens.streetA!) })).json();
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await finished(res.json().id);
    expect(done.status).toBe('failed');
    expect(done.errorCount).toBe(lines.length - 1);
    expect(done.errors).toHaveLength(1000);
    expect(done.errors[0]).toEqual({ row: 2, column: 'kind', rule: 'must be one of non_public_enterprise, social_organization, resident_unit, property_service' });
    expect(probes).toBeGreaterThan(3);
    // The whole check takes seconds on a busy machine; no answer waits for it.
    expect(slowest).toBeLessThan(750);
  });
});
