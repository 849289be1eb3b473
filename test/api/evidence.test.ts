import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

/** A multipart body with one file part. */
function multipart(content: Buffer, filename: string, type: string) {
  const boundary = '----evidence-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const pdf = Buffer.from('%PDF-1.4\n宣讲记录\n%%EOF\n');

async function upload(token: string, query: string, body = multipart(pdf, '宣讲记录.pdf', 'application/pdf'), url = '/evidence') {
  return app.server.inject({ method: 'POST', url: `${url}?${query}`, headers: { ...bearer(token), ...body.headers }, payload: body.payload });
}

describe('evidence', () => {
  let evidenceId: string;

  it('an enterprise files evidence for itself, stored under its SHA-256', async () => {
    const res = await upload(world.tokens.enterpriseA!, `title=${encodeURIComponent('宣讲记录')}&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01&effectiveTo=2026-09-30`);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    evidenceId = body.id;
    expect(body.versions[0]).toMatchObject({ version: 1, sizeBytes: pdf.length, mimeType: 'application/pdf', effectiveFrom: '2026-07-01', effectiveTo: '2026-09-30' });
    expect(body.versions[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a second upload is a new version; both stay downloadable', async () => {
    const v2 = Buffer.from('%PDF-1.4\nsecond\n%%EOF\n');
    const res = await upload(world.tokens.partyOrgA!, 'effectiveFrom=2026-10-01', multipart(v2, 'v2.pdf', 'application/pdf'), `/evidence/${evidenceId}/versions`);
    expect(res.statusCode).toBe(201);
    expect(res.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const first = await app.server.inject({ method: 'GET', url: `/evidence/${evidenceId}/versions/1/content`, headers: bearer(world.tokens.streetA!) });
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.equals(pdf)).toBe(true);
    expect(first.headers['content-type']).toBe('application/pdf');
  });

  it('another enterprise and another street get 404; an assigned evaluator may download', async () => {
    for (const who of ['enterpriseB', 'streetB']) {
      const res = await app.server.inject({ method: 'GET', url: `/evidence/${evidenceId}/versions/1/content`, headers: bearer(world.tokens[who]!) });
      expect(res.statusCode).toBe(404);
    }
    const evaluator = await app.server.inject({ method: 'GET', url: `/evidence/${evidenceId}`, headers: bearer(world.tokens.evaluatorA!) });
    expect(evaluator.statusCode).toBe(200);
  });

  it('an enterprise cannot file for another enterprise (404), an evaluator cannot file at all (403)', async () => {
    expect((await upload(world.tokens.enterpriseB!, `title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01`)).statusCode).toBe(404);
    expect((await upload(world.tokens.evaluatorA!, `title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01`)).statusCode).toBe(403);
  });

  it('refuses other types with 415 and files over the limit with 413, leaving nothing behind', async () => {
    const exe = await upload(world.tokens.enterpriseA!, `title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01`, multipart(Buffer.from('MZ...'), 'run.exe', 'application/x-msdownload'));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().details[0].field).toBe('body.file');
    const disguised = await upload(world.tokens.enterpriseA!, `title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01`, multipart(Buffer.from('<html><script>alert(1)</script></html>'), 'photo.png', 'image/png'));
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json().details).toEqual([{ field: 'body.file', rule: 'content must match its declared type image/png' }]);
    const big = await upload(world.tokens.enterpriseA!, `title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01`, multipart(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024, 1)]), 'big.pdf', 'application/pdf'));
    expect(big.statusCode).toBe(413);
    const list = await app.server.inject({ method: 'GET', url: `/evidence?organizationId=${world.orgA.id}`, headers: bearer(world.tokens.enterpriseA!) });
    expect(list.json().total).toBe(1);
    expect(await readdir(path.join(app.dataDir, 'evidence', 'tmp'))).toEqual([]);
  });

  it('names the field of a broken rule in the effective period', async () => {
    const res = await upload(world.tokens.enterpriseA!, `title=x&organizationId=${world.orgA.id}&effectiveFrom=2026-07-01&effectiveTo=2026-06-01`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'querystring.effectiveTo', rule: 'must be on or after effectiveFrom' }]);
    const missing = await upload(world.tokens.enterpriseA!, `organizationId=${world.orgA.id}`);
    expect(missing.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['querystring.effectiveFrom', 'querystring.title']);
  });
});
