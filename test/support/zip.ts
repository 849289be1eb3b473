// Reads a zip archive back into its entries (fflate's reader: it checks every entry's CRC-32), in the archive's order.
import { unzipSync } from 'fflate';

export function readStoredZip(zip: Buffer): { name: string; data: Buffer }[] {
  return Object.entries(unzipSync(new Uint8Array(zip))).map(([name, data]) => ({ name, data: Buffer.from(data) }));
}
