// Content-addressed evidence storage: a stream is written to a temp file while hashed, then
// renamed to DATA_DIR/evidence/<sha[0:2]>/<sha>. The same content is stored once; a rename
// within one filesystem is atomic, so a reader never sees half a file.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const EVIDENCE_FOLDER = 'evidence';

/** Types people file as evidence: scans, photos, office documents. */
export const EVIDENCE_MIME_TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'video/mp4': 'mp4',
};

export const DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

/** The first bytes each accepted type starts with, so a declared type cannot hide another content. */
const SIGNATURES: Record<string, (head: Buffer) => boolean> = {
  'application/pdf': (h) => h.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  'image/png': (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/msword': (h) => h.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])),
  'application/vnd.ms-excel': (h) => h.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (h) => h.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (h) => h.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  'video/mp4': (h) => h.subarray(4, 8).toString('latin1') === 'ftyp',
};

/** Thrown when the content does not start like its declared type. */
export class EvidenceContentMismatch extends Error {
  readonly mimeType: string;
  constructor(mimeType: string) {
    super(`the content is not ${mimeType}`);
    this.name = 'EvidenceContentMismatch';
    this.mimeType = mimeType;
  }
}

/** Thrown when the stream was cut at the size limit (the source says `truncated`). */
export class EvidenceTooLarge extends Error {
  constructor() {
    super('the file is larger than the limit');
    this.name = 'EvidenceTooLarge';
  }
}

/** Thrown for a file without a byte: nothing to keep as evidence. */
export class EvidenceEmpty extends Error {
  constructor() {
    super('the file is empty');
    this.name = 'EvidenceEmpty';
  }
}

export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
  /** Relative to DATA_DIR. */
  storagePath: string;
}

export const blobPath = (sha256: string) => path.join(EVIDENCE_FOLDER, sha256.slice(0, 2), sha256);

/**
 * Writes the stream; a refused file (empty, cut at the size limit, not its declared type, or a
 * stream that failed) is never published and its temporary file is removed.
 */
export async function storeEvidenceStream(dataDir: string, source: Readable, mimeType: string): Promise<StoredBlob> {
  const tmpDir = path.join(dataDir, EVIDENCE_FOLDER, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, tap, createWriteStream(tmp, { flags: 'wx' }));
    if ((source as Readable & { truncated?: boolean }).truncated) throw new EvidenceTooLarge();
    if (size === 0) throw new EvidenceEmpty();
    const matches = SIGNATURES[mimeType];
    if (!matches || !matches(head)) throw new EvidenceContentMismatch(mimeType);
    const sha256 = hash.digest('hex');
    const storagePath = blobPath(sha256);
    const target = path.join(dataDir, storagePath);
    await mkdir(path.dirname(target), { recursive: true });
    const existing = await stat(target).catch(() => null);
    if (existing && existing.size === size) await rm(tmp, { force: true });
    else await rename(tmp, target);
    return { sha256, sizeBytes: size, storagePath };
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export const openEvidence = (dataDir: string, storagePath: string) => createReadStream(path.join(dataDir, storagePath));
