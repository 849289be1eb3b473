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

/** One signing party of a document: who, in which capacity, when, and what they decided. */
export const Signature = Type.Object({
  role: Text,
  signer: Text,
  date: DateString,
  /** 审核意见 such as 同意 / 不同意 / 同意备案; null where the block is a plain signature. */
  decision: NullableText,
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
