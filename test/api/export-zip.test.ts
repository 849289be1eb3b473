// The stored zip of a round's papers (api/services/export/zip.ts) read as unzip reads it: every entry back with its UTF-8
// name and bytes, each local header agreeing with its central record field by field (an unzip tool refuses or warns on a
// mismatch), the moment as DOS time, and the directory where the end record says; `unzip -t` agrees where it is installed.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storedZip } from '../../api/services/export/zip.ts';
import { readStoredZip } from '../support/zip.ts';

const entries = [
  { name: '考核评分表/001-网格员-考核评分表.pdf', data: Buffer.from('%PDF-1.7 first') },
  { name: 'empty.txt', data: Buffer.alloc(0) },
  { name: '考核结果通知书/002-b.pdf', data: Buffer.from('%PDF-1.7 second, a little longer') },
];

describe('storedZip', () => {
  const at = new Date(2026, 10, 30, 9, 41, 37);
  const zip = storedZip(entries, at);

  it('gives every entry back by its UTF-8 name', () => {
    expect(readStoredZip(zip)).toEqual(entries);
  });

  it('writes each local header as its central record says, at the moment given', () => {
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect([zip.readUInt16LE(end + 8), zip.readUInt16LE(end + 10), end - zip.readUInt32LE(end + 12)]).toEqual([3, 3, zip.readUInt32LE(end + 16)]);
    let central = zip.readUInt32LE(end + 16);
    for (const e of entries) {
      const local = zip.readUInt32LE(central + 42);
      expect(zip.readUInt32LE(local)).toBe(0x04034b50);
      // version needed, flags, method, time, date, CRC-32, compressed size, size, name length: 24 bytes, the same in both.
      expect(zip.subarray(local + 4, local + 28)).toEqual(zip.subarray(central + 6, central + 30));
      expect([zip.readUInt16LE(local + 6), zip.readUInt16LE(local + 8), zip.readUInt32LE(local + 22)]).toEqual([0x0800, 0, e.data.length]);
      const time = zip.readUInt16LE(local + 10);
      const date = zip.readUInt16LE(local + 12);
      expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2]).toEqual([2026, 11, 30, 9, 41, 36]);
      central += 46 + zip.readUInt16LE(central + 28);
    }
    expect(central).toBe(end);
  });

  it('passes unzip -t', () => {
    let unzip = true;
    try { execFileSync('unzip', ['-v'], { stdio: 'ignore' }); } catch { unzip = false; }
    if (!unzip) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-test-'));
    try {
      writeFileSync(path.join(dir, 'papers.zip'), zip);
      expect(execFileSync('unzip', ['-t', path.join(dir, 'papers.zip')], { encoding: 'utf8' })).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
