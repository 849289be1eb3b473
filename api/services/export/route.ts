// The pieces every /export route shares: its querystring (the list's filters without the page)
// and its documented answer.
import Type, { type TObject } from 'typebox';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExportFilter } from './xlsx.ts';

/** The list's querystring without limit/offset: an export holds every row the filters select. */
export const exportQuery = <T extends TObject>(list: T) => Type.Omit(list, ['limit', 'offset'], { additionalProperties: false });

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file answer documented by its media type (not JSON). */
export const fileResponse = (types: string[], description: string) => ({
  description,
  content: Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary', description } }])),
});

export const XlsxFile = fileResponse(
  [XLSX_TYPE],
  'the .xlsx workbook, streamed: row 1 the title, row 2 the filters applied (筛选条件), row 3 the export time, row 4 the Chinese headers, then one row ' +
    'per item of the list, in the list\'s order and with its access rules',
);

export const xlsxExportDescription = 'The same rows as the list with the same filters and access rules, every page, as an Excel download.';

/** A filter naming a unit: its name when the caller's list found it, else the id as given. */
export async function unitFilter(em: EntityManager, label: string, id: string | undefined): Promise<ExportFilter[]> {
  if (!id) return [];
  const unit = await em.findOne(AdministrativeUnit, { id });
  return [{ label, value: unit ? unit.name : id }];
}

/** The filters that were set, each with its Chinese label and its value in words. */
export function named(pairs: [label: string, value: string | number | boolean | null | undefined, words?: Record<string, string>][]): ExportFilter[] {
  return pairs
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value, words]) => ({ label, value: words?.[String(value)] ?? (typeof value === 'boolean' ? (value ? '是' : '否') : String(value)) }));
}
