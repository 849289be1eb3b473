// A zip archive of files kept as they are ("stored", no compression), for files that are compressed
// already, such as the PDFs of a round's papers. Written by fflate (the well-kept zip writer), with
// UTF-8 names flagged as such, every entry dated `at`.
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry { name: string; data: Buffer }

export function storedZip(entries: ZipEntry[], at: Date): Buffer {
  const files: Zippable = {};
  for (const e of entries) {
    // fflate reads a key with slashes as a path, so a name must not repeat (the archive would lose one).
    if (e.name in files) throw new Error(`two entries named ${e.name}`);
    files[e.name] = new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.length);
  }
  const zip = zipSync(files, { level: 0, mtime: at });
  return Buffer.from(zip.buffer, zip.byteOffset, zip.length);
}
