// Building blocks shared by the report data contracts. Every field a template prints is
// required (nullable where a document may leave it empty), so a missing value is a
// ReportDataError naming the field instead of a blank cell on a signed document.
import Type from 'typebox';

export const Text = Type.String({ minLength: 1 });
export const NullableText = Type.Union([Text, Type.Null()]);

/** A calendar date as filed, YYYY-MM-DD; printed as 2024年12月31日. */
export const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** A month, YYYY-MM. */
export const MonthString = Type.String({ pattern: '^\\d{4}-\\d{2}$' });
export const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
export const Score = Type.Number({ minimum: 0, maximum: 1000 });

/**
 * One signing party of a document: in which capacity, what it decided, and who signed it off
 * in the service. The printed block leaves the signature line blank for the hand signature and
 * keeps room for the seal; `signer` (the account that signed off) is printed small as the
 * record of the electronic sign-off, and `date` blank for hand-filling where null.
 */
export const Signature = Type.Object({
  role: Text,
  signer: NullableText,
  date: Type.Union([DateString, Type.Null()]),
  /** 审核意见 such as 同意 / 不同意 / 同意备案; null where the block is a plain signature. */
  decision: NullableText,
  /** Whether the block has room for a seal (盖章): a unit's opinion, not a person's. */
  seal: Type.Optional(Type.Boolean()),
});
export type Signature = Type.Static<typeof Signature>;

/** A row of a score table: an indicator, its full marks, the marks given. */
export const ScoreItem = Type.Object({
  item: Text,
  maxScore: Score,
  score: Score,
  remark: NullableText,
});
export type ScoreItem = Type.Static<typeof ScoreItem>;

export const Signatures = Type.Array(Signature, { minItems: 1 });

/** A count the record may not have (职工人数): null prints a blank cell to fill in by hand, never 0. */
export const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

/** 企业 or 社会组织: how a document names the rated or committing organization. */
export const OrganizationLabel = Type.Union([Type.Literal('企业'), Type.Literal('社会组织'), Type.Literal('单位')]);

/** The address of a document's public page: printed as a QR code (drawn server-side) with the address under it. */
export const PublicUrl = Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()]);
