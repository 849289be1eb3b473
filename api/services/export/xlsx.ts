// Excel export (issue 17.4): one way every list leaves the application as .xlsx. A list's
// /export sibling route (GET /organizations/export, GET /audit/export, ...) takes the list's own
// filters, applies the list's own access rules, and streams the workbook to the reply with
// exceljs's streaming WorkbookWriter: rows are written and committed a page at a time, so a
// list of any length is never held in memory, neither as rows nor as the file.
//
// The sheet: row 1 the title, row 2 the filters applied (also in the workbook's subject and
// description), row 3 when it was exported, row 4 the Chinese headers (frozen), then the rows.
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { shanghaiDate, shanghaiDateTime } from '../../../domain/time.ts';

export type CellFormat = 'text' | 'integer' | 'decimal' | 'percent' | 'date' | 'datetime';
export type CellValue = string | number | boolean | Date | null | undefined;

export interface ExportColumn<T> {
  header: string;
  value: (row: T) => CellValue;
  format?: CellFormat;
  /** Column width in characters (Chinese characters count about two). */
  width?: number;
}

export interface ExportFilter {
  label: string;
  value: string;
}

export interface ExportSpec<T> {
  /** The file's name without extension, e.g. 组织名录. */
  fileName: string;
  title: string;
  filters: ExportFilter[];
  columns: ExportColumn<T>[];
  /** The rows a page at a time, in the list's order. */
  pages: AsyncIterable<T[]>;
  now: Date;
}

/** Header row number: the rows above it are the title, the filters and the export time. */
export const HEADER_ROW = 4;
const NUM_FMT: Record<CellFormat, string | undefined> = {
  text: '@',
  integer: '0',
  decimal: '0.00',
  percent: '0.0%',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};
const CELL_STYLES = Object.fromEntries(
  (Object.keys(NUM_FMT) as CellFormat[]).map((f) => [f, f === 'text' ? {} : { numFmt: NUM_FMT[f] }]),
) as Record<CellFormat, Partial<ExcelJS.Style>>;
/** The written but unsent bytes a reply may hold before the export waits for the client. */
const HIGH_WATER = 1024 * 1024;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** What one cell holds: Excel has no time zones, so instants are written as Beijing wall-clock time. */
export function cellValue(value: CellValue, format: CellFormat = 'text'): string | number | boolean | Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (format === 'date' || format === 'datetime') {
    if (typeof value === 'string' && DATE_ONLY.test(value)) return new Date(`${value}T00:00:00Z`);
    const instant = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(instant.getTime())) return String(value);
    if (format === 'date') return new Date(`${shanghaiDate(instant)}T00:00:00Z`);
    return new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  }
  if (format === 'integer' || format === 'decimal' || format === 'percent') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : String(value);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value instanceof Date ? shanghaiDateTime(value) : value;
}

export const filtersText = (filters: ExportFilter[]) =>
  filters.length ? filters.map((f) => `${f.label}：${f.value}`).join('；') : '全部（未筛选）';

/** `attachment` with the Chinese name for browsers (RFC 5987) and an ASCII fallback. */
export const attachment = (fileName: string) =>
  `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(`${fileName}.xlsx`)}`;

/**
 * Starts the download and writes the workbook as its pages arrive. Returns the reply (Fastify
 * sends the stream); a failure after the first byte cuts the download off and is logged.
 */
export function sendXlsx<T>(reply: FastifyReply, spec: ExportSpec<T>, log: FastifyBaseLogger): FastifyReply {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', attachment(spec.fileName))
    .header('cache-control', 'no-store');
  writeWorkbook(out, spec).catch((error) => {
    log.error({ err: error }, `export ${spec.fileName} failed`);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply.send(out);
}

/** The whole workbook in memory: for a file that is small and must be complete before it leaves (one-time codes' slips). */
export async function workbookBuffer<T>(spec: ExportSpec<T>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(out, 'end');
  await writeWorkbook(out, spec);
  out.end();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Sends a workbook whole and resolves once the reply has handed its last byte to the connection; rejects when the
 * workbook cannot be written, the connection closes first, or the client has not taken it within `timeoutMs`. For a
 * download whose contents must not count unless delivered (the caller undoes what it wrote when this rejects).
 */
export async function deliverXlsx<T>(reply: FastifyReply, spec: ExportSpec<T>, timeoutMs = 120_000): Promise<void> {
  const file = await workbookBuffer(spec);
  const raw = reply.raw;
  if (raw.destroyed) throw new Error(`the connection closed before ${spec.fileName} was sent`);
  const delivered = new Promise<void>((resolve, reject) => {
    let finished = false;
    const timer = setTimeout(() => raw.destroy(), timeoutMs);
    raw.once('finish', () => { finished = true; clearTimeout(timer); resolve(); });
    raw.once('close', () => { clearTimeout(timer); if (!finished) reject(new Error(`the connection closed before ${spec.fileName} was sent whole`)); });
  });
  reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', attachment(spec.fileName)).header('cache-control', 'no-store').send(file);
  await delivered;
}

export async function writeWorkbook<T>(out: PassThrough, spec: ExportSpec<T>): Promise<void> {
  const filters = filtersText(spec.filters);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = '党建周期系统';
  workbook.created = spec.now;
  workbook.title = spec.title;
  workbook.subject = `筛选条件：${filters}`;
  workbook.description = `筛选条件：${filters}`;
  const sheet = workbook.addWorksheet(spec.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  const styles = spec.columns.map((c) => CELL_STYLES[c.format ?? 'text']);
  sheet.columns = spec.columns.map((c, i) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: styles[i] }));
  const width = Math.max(spec.columns.length, 1);
  const title = sheet.addRow([spec.title]);
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, width);
  title.commit();
  sheet.addRow([`筛选条件：${filters}`]).commit();
  sheet.addRow([`导出时间：${shanghaiDateTime(spec.now)}`]).commit();
  const header = sheet.addRow(spec.columns.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();
  for await (const page of spec.pages) {
    for (const item of page) {
      const row = sheet.addRow(spec.columns.map((c) => cellValue(c.value(item), c.format)));
      // One shared style object per format: exceljs caches a cell's style by object identity, and
      // the copy of the column's style each cell starts with would be serialized and hashed per cell.
      row.eachCell({ includeEmpty: true }, (cell, n) => (cell.style = styles[n - 1]!));
      row.commit();
    }
    // The client reads slower than the database answers: wait rather than buffer the file.
    while (out.writableLength > HIGH_WATER && !out.destroyed) await once(out, 'drain');
    if (out.destroyed) return;
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * Pages of a list read by keyset ("the next `size` rows after the last one seen"), for the long
 * lists: every page is one indexed range read, never an OFFSET that rereads what came before, and
 * no connection is held between pages while the client catches up.
 */
export async function* keysetPages<T, K>(read: (after: K | null, size: number) => Promise<T[]>, keyOf: (row: T) => K, size = 2000): AsyncIterable<T[]> {
  for (let after: K | null = null; ;) {
    const page = await read(after, size);
    if (page.length) yield page;
    if (page.length < size) return;
    after = keyOf(page[page.length - 1]!);
  }
}

/** Pages of a list read with limit/offset, `size` rows at a time, until a short page. */
export async function* pagesOf<T>(read: (limit: number, offset: number) => Promise<T[]>, size = 1000): AsyncIterable<T[]> {
  for (let offset = 0; ; offset += size) {
    const page = await read(size, offset);
    if (page.length) yield page;
    if (page.length < size) return;
  }
}
