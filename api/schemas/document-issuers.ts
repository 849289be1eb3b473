// Schemas of the issuer routes (issue 16): the district department's full name, seal caption,
// contact and number prefix, and its number sequences per document kind and year.
import Type from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

export const IssuerParams = Type.Object({ id: Uuid });

export const IssuerBody = Type.Object({
  departmentName: Type.String({ minLength: 4, maxLength: 200, description: '全称, e.g. 中共济宁市任城区委组织部' }),
  sealCaption: Type.String({ minLength: 2, maxLength: 200, description: 'the caption printed under the seal area' }),
  contact: Nullable(Type.String({ maxLength: 200, description: 'contact printed on notices (office and telephone)' })),
  numberPrefix: Type.String({ minLength: 1, maxLength: 20, pattern: '^[^\\s〔〕]+$', description: '任组 → 任组备〔2026〕3号' }),
}, {
  additionalProperties: false,
  examples: [{ departmentName: '中共济宁市任城区委组织部', sealCaption: '中共济宁市任城区委组织部', contact: '组织科 0537-1234567', numberPrefix: '任组' }],
});

export const NumberSequence = Type.Object({
  kind: Type.String(),
  /** 备, 评, 星, … as printed after the prefix. */
  word: Type.String(),
  year: Type.Integer(),
  /** Numbers allocated (never reused: the next one is last + 1). */
  allocated: Type.Integer(),
  last: Type.Integer(),
  lastNumber: Type.String(),
  lastAllocatedAt: DateTime,
});

export const Issuer = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  departmentName: Type.String(),
  sealCaption: Type.String(),
  contact: Nullable(Type.String()),
  numberPrefix: Type.String(),
  /** false: nothing entered yet, the values shown are derived from the district's Party committee. */
  configured: Type.Boolean(),
  updatedAt: Nullable(DateTime),
  sequences: Type.Array(NumberSequence),
});

export const IssuerList = Type.Object({ items: Type.Array(Issuer) });
