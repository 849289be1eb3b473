// Content-addressed storage of rendered PDFs: <dataDir>/reports/<sha256[0:2]>/<sha256>.pdf.
// The same bytes always land at the same path, so storing is idempotent and a stored file is
// never overwritten with different content; versions live in the database (ReportFile), not here.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class ReportStoreError extends Error {
  readonly code: 'REPORT_HASH_INVALID' | 'REPORT_HASH_MISMATCH' | 'REPORT_NOT_FOUND';

  constructor(code: ReportStoreError['code'], message: string) {
    super(message);
    this.name = 'ReportStoreError';
    this.code = code;
  }
}

export interface StoredReport {
  sha256: string;
  bytes: number;
  /** Relative to the data dir, e.g. reports/ab/ab12….pdf (what the database records). */
  relativePath: string;
  /** False when the same content was already stored. */
  created: boolean;
}

export interface ReportStore {
  /** Stores the PDF; when `sha256` is given it must match the bytes. */
  put(pdf: Buffer, sha256?: string): Promise<StoredReport>;
  read(sha256: string): Promise<Buffer>;
  exists(sha256: string): Promise<boolean>;
  /** Absolute path of a stored PDF (for streaming downloads). */
  absolutePath(sha256: string): string;
  /** Path relative to the data dir (what the database records). */
  relativePath(sha256: string): string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function reportRelativePath(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new ReportStoreError('REPORT_HASH_INVALID', `not a lowercase hex SHA-256: ${JSON.stringify(sha256)}`);
  return path.join('reports', sha256.slice(0, 2), `${sha256}.pdf`);
}

export function createReportStore(options: { dataDir: string }): ReportStore {
  const root = path.resolve(options.dataDir);
  const absolutePath = (sha256: string) => path.join(root, reportRelativePath(sha256));

  async function sizeOf(file: string): Promise<number | null> {
    try {
      return (await stat(file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  return {
    absolutePath,
    relativePath: reportRelativePath,

    async put(pdf, expected) {
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      if (expected !== undefined && expected !== sha256) {
        throw new ReportStoreError('REPORT_HASH_MISMATCH', `PDF bytes hash to ${sha256}, not ${expected}`);
      }
      const relativePath = reportRelativePath(sha256);
      const target = path.join(root, relativePath);
      // Same hash and same size: the content is already there (a retried activity, a re-render
      // that produced identical bytes). A short file from a crash mid-write is replaced.
      if ((await sizeOf(target)) === pdf.length) return { sha256, bytes: pdf.length, relativePath, created: false };
      await mkdir(path.dirname(target), { recursive: true });
      // Write aside and rename: readers never see a half-written PDF, and two writers of the
      // same content both end with the complete file.
      const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temp, pdf);
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { sha256, bytes: pdf.length, relativePath, created: true };
    },

    async read(sha256) {
      try {
        return await readFile(absolutePath(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ReportStoreError('REPORT_NOT_FOUND', `no stored report ${sha256}`);
        throw error;
      }
    },

    async exists(sha256) {
      return (await sizeOf(absolutePath(sha256))) !== null;
    },
  };
}
