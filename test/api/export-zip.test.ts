// The stored zip of a round's papers (api/services/export/zip.ts): every entry back with its UTF-8 name and bytes, stored
// (method 0) with the moment as DOS time, no name lost to a repeat, and `unzip -t` agrees where it is installed.
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

  it('stores every entry as it is, dated at the moment given, with UTF-8 names flagged', () => {
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect(zip.readUInt16LE(end + 10)).toBe(entries.length);
    let central = zip.readUInt32LE(end + 16);
    for (const e of entries) {
      expect(zip.readUInt32LE(central)).toBe(0x02014b50);
      const [flags, method, time, date, size] = [zip.readUInt16LE(central + 8), zip.readUInt16LE(central + 10), zip.readUInt16LE(central + 12),
        zip.readUInt16LE(central + 14), zip.readUInt32LE(central + 20)];
      expect(zip.subarray(central + 46, central + 46 + zip.readUInt16LE(central + 28)).toString('utf8')).toBe(e.name);
      expect([method, size, Boolean(flags & 0x0800) || /^[\x20-\x7e]*$/.test(e.name)]).toEqual([0, e.data.length, true]);
      expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2]).toEqual([2026, 11, 30, 9, 41, 36]);
      central += 46 + zip.readUInt16LE(central + 28) + zip.readUInt16LE(central + 30) + zip.readUInt16LE(central + 32);
    }
    expect(central).toBe(end);
  });

  it('refuses two entries of one name instead of losing one', () => {
    expect(() => storedZip([entries[0]!, entries[0]!], at)).toThrow(/two entries/);
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
