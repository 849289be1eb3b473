// Uploads that are refused leave nothing behind: an empty, too large, wrongly typed or cut-off
// evidence file answers 4xx (a body cut before its closing boundary is a 400, not a 500), no
// file stays on disk and no row is written. CSV imports refuse a file with absurdly many
// columns at once, keep at most 1,000 errors with their total, and /healthz stays fast meanwhile.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, buildWorld, startTestApp, type TestApp, type World } from './support/app.ts';
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
