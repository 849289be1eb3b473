// Opens an exported workbook with exceljs's reader, as a spreadsheet would: the title, the
// filters line, the headers and the data rows of its first sheet.
import ExcelJS from 'exceljs';

export interface ReadSheet {
  title: string;
  filters: string;
  headers: string[];
  rows: unknown[][];
  /** Number formats of the first data row, by header. */
  formats: Record<string, string | undefined>;
  subject: string;
}

export async function readXlsx(buffer: Buffer): Promise<ReadSheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as never);
  const sheet = workbook.worksheets[0]!;
  const values = (n: number) => ((sheet.getRow(n).values as unknown[]) ?? []).slice(1);
  const headers = values(4).map(String);
  const rows: unknown[][] = [];
  for (let n = 5; n <= sheet.rowCount; n++) rows.push(headers.map((_, i) => sheet.getRow(n).getCell(i + 1).value ?? null));
  const formats = Object.fromEntries(headers.map((h, i) => [h, sheet.rowCount >= 5 ? sheet.getRow(5).getCell(i + 1).numFmt : undefined]));
  return { title: String(values(1)[0]), filters: String(values(2)[0]), headers, rows, formats, subject: workbook.subject ?? '' };
}

/** The rows as objects keyed by header. */
export const byHeader = (sheet: ReadSheet) => sheet.rows.map((r) => Object.fromEntries(sheet.headers.map((h, i) => [h, r[i]])));
