import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createReportStore, ReportStoreError, type ReportStore } from '../../reports/store.ts';

let dataDir: string;
let store: ReportStore;
const pdf = Buffer.from('%PDF-1.7\n第一书记年终考核排名\n%%EOF\n');
const sha256 = createHash('sha256').update(pdf).digest('hex');

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'report-store-'));
  store = createReportStore({ dataDir });
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('report store', () => {
  it('stores a PDF under its SHA-256, fanned out by the first two hex digits', async () => {
    const stored = await store.put(pdf);
    expect(stored).toEqual({ sha256, bytes: pdf.length, relativePath: path.join('reports', sha256.slice(0, 2), `${sha256}.pdf`), created: true });
    expect(await store.read(sha256)).toEqual(pdf);
    expect(store.absolutePath(sha256)).toBe(path.join(dataDir, stored.relativePath));
  });

  it('storing the same bytes again is a no-op and leaves no temp files', async () => {
    const again = await store.put(pdf, sha256);
    expect(again.created).toBe(false);
    await Promise.all([store.put(pdf), store.put(pdf), store.put(pdf)]);
    expect(await readdir(path.join(dataDir, 'reports', sha256.slice(0, 2)))).toEqual([`${sha256}.pdf`]);
  });

  it('refuses bytes that do not match the claimed hash', async () => {
    await expect(store.put(pdf, '0'.repeat(64))).rejects.toMatchObject({ code: 'REPORT_HASH_MISMATCH' });
  });

  it('refuses a hash that could walk out of the folder', async () => {
    expect(() => store.absolutePath('../../etc/passwd')).toThrow(ReportStoreError);
    await expect(store.read('0'.repeat(64))).rejects.toMatchObject({ code: 'REPORT_NOT_FOUND' });
    expect(await store.exists('0'.repeat(64))).toBe(false);
  });
});
