// A zip archive of files kept as they are (method 0, "stored"): for files that are compressed
// already, such as the PDFs of a round's papers. UTF-8 names (general-purpose flag bit 11), no
// zip64: under 65,535 entries and 4 GiB, which a round's papers are far below.
import { crc32 } from 'node:zlib';

export interface ZipEntry { name: string; data: Buffer }

const UTF8 = 0x0800;

/** DOS time and date of a moment (the archive's entries all carry it). */
function dosTime(at: Date): { time: number; date: number } {
  const time = (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2);
  const date = ((Math.max(1980, at.getFullYear()) - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate();
  return { time, date };
}

/** What an entry's local header and its central directory record both say, in the same order, from `at`. */
function writeShared(header: Buffer, at: number, e: { time: number; date: number; crc: number; size: number; nameLength: number }) {
  header.writeUInt16LE(20, at); // version needed to extract: 2.0
  header.writeUInt16LE(UTF8, at + 2);
  header.writeUInt16LE(0, at + 4); // method: stored
  header.writeUInt16LE(e.time, at + 6);
  header.writeUInt16LE(e.date, at + 8);
  header.writeUInt32LE(e.crc, at + 10);
  header.writeUInt32LE(e.size, at + 14); // compressed size = size
  header.writeUInt32LE(e.size, at + 18);
  header.writeUInt16LE(e.nameLength, at + 22);
}

export function storedZip(entries: ZipEntry[], at: Date): Buffer {
  if (entries.length > 0xffff) throw new Error('too many entries for a zip without zip64');
  const { time, date } = dosTime(at);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const shared = { time, date, crc: crc32(e.data), size: e.data.length, nameLength: name.length };
    // Local header: signature, the shared fields, no extra field.
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeShared(local, 4, shared);
    // Central record: signature, version made by, the shared fields, no extra/comment/attributes, the local header's offset.
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    writeShared(central, 6, shared);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
