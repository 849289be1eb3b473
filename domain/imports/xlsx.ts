// The .xlsx side of the imports: the first worksheet read with exceljs's streaming reader into
// the same records a CSV gives (the header row first), and the templates of each import kind.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ImportKind } from '../entities/import-job.ts';
import { COLUMNS } from './columns.ts';

/** A .xlsx (any zip) begins with the local file header "PK\x03\x04". */
export const looksLikeXlsx = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a CSV would hold: dates as YYYY-MM-DD, numbers as written, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates carry no zone; exceljs reads them as UTC midnight.
    const day = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = value.getUTCHours() || value.getUTCMinutes() ? ` ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}` : '';
    return day + time;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
    return '';
  }
  return String(value);
}

export class XlsxReadError extends Error {}

/**
 * The records of the first worksheet, row by row, with trailing empty rows dropped. Rows keep
 * their place (an empty row inside the data stays, so row numbers match what Excel shows).
 */
export async function readXlsxRecords(bytes: Buffer, maxColumns: number): Promise<string[][]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const records: string[][] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as unknown[]).slice(1);
        if (values.length > maxColumns && row.number === 1) throw new XlsxReadError(`the header may have at most ${maxColumns} columns`);
        while (records.length < row.number - 1) records.push([]);
        records.push(values.map(cellText).map((t) => t.trim()));
      }
      break;
    }
  } catch (error) {
    if (error instanceof XlsxReadError) throw error;
    throw new XlsxReadError(`is not a readable .xlsx workbook: ${error instanceof Error ? error.message : String(error)}`);
  }
  while (records.length && records[records.length - 1]!.every((v) => !v)) records.pop();
  return records;
}

/** The import's template as .xlsx: the headers in Chinese (required ones marked), an example row, and a sheet of explanations. */
export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导入数据', { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = COLUMNS[kind];
  sheet.columns = columns.map((c) => ({ width: Math.max(14, c.label.length * 2 + 4, c.example.length + 2), style: { numFmt: '@' } }));
  const header = sheet.addRow(columns.map((c) => c.label));
  header.font = { bold: true };
  header.eachCell((cell, i) => {
    const spec = columns[i - 1]!;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: spec.required ? 'FFFDE2E2' : 'FFE8EEF7' } };
    cell.note = `${spec.required ? '必填。' : '选填。'}${spec.description}（也可写作 ${spec.name}）`;
  });
  sheet.addRow(columns.map((c) => c.example));
  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ width: 18 }, { width: 24 }, { width: 8 }, { width: 70 }];
  help.addRow(['表头', '字段名（英文表头亦可）', '必填', '说明']).font = { bold: true };
  for (const c of columns) help.addRow([c.label, c.name, c.required ? '是' : '否', c.description]);
  help.addRow([]);
  help.addRow(['第 1 行为表头，第 2 行起每行一条；示例行请替换或删除。整个文件全部通过检查才导入，否则列出每个出错的行和列。']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The import's template as CSV (UTF-8 with a BOM so Excel opens it in Chinese): the headers and an example row. */
export function templateCsv(kind: ImportKind): string {
  const columns = COLUMNS[kind];
  return `\uFEFF${columns.map((c) => csvCell(c.label)).join(',')}\r\n${columns.map((c) => csvCell(c.example)).join(',')}\r\n`;
}
