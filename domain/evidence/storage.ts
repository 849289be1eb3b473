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

export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
  /** Relative to DATA_DIR. */
  storagePath: string;
}

export const blobPath = (sha256: string) => path.join(EVIDENCE_FOLDER, sha256.slice(0, 2), sha256);

/** Writes the stream; if it fails (e.g. the size limit cut it off) nothing is left behind. */
export async function storeEvidenceStream(dataDir: string, source: Readable): Promise<StoredBlob> {
  const tmpDir = path.join(dataDir, EVIDENCE_FOLDER, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, tap, createWriteStream(tmp, { flags: 'wx' }));
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
