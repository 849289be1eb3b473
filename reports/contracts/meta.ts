// What every report carries besides its data: who issues it and its document number (文号).
import Type from 'typebox';
import { Text } from './common.ts';

export const ReportMeta = Type.Object({
  /** 发文机关, printed in the red letterhead and the page header, e.g. 中共济宁市任城区委组织部. */
  issuingUnit: Text,
  /** 发文字号, e.g. 任组字〔2024〕18号; left out on forms that carry none. */
  documentNumber: Type.Optional(Text),
  /** 印章 caption printed where the seal goes; the issuing unit when not configured. */
  sealCaption: Type.Optional(Text),
});
export type ReportMeta = Type.Static<typeof ReportMeta>;
