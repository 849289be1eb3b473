// The shape of each catalog kind's content, as TypeBox schemas (validated by the API) and
// types (used by cycle code). Semantic rules (weights add to 100...) are in rules.ts.
import Type, { type Static } from 'typebox';

const Code = Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9-]+$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const CommitmentArea = Type.Object({
  code: Code,
  name: Text(50),
  items: Type.Array(Type.Object({ code: Code, text: Text(500) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false });

const CommitmentSide = Type.Object({
  label: Text(50),
  areas: Type.Array(CommitmentArea, { minItems: 1, maxItems: 20 }),
}, { additionalProperties: false });

export const DualCommitmentCatalogSchema = Type.Object({
  notice: Type.Optional(Text(200)),
  partySide: CommitmentSide,
  enterpriseSide: CommitmentSide,
}, { additionalProperties: false });
export type DualCommitmentCatalog = Static<typeof DualCommitmentCatalogSchema>;

export const SCORE_SOURCES = ['self', 'staff', 'resident', 'organization'] as const;

const Indicator = Type.Object({
  code: Code,
  name: Text(50),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  maxPoints: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
  sources: Type.Array(Type.Enum(SCORE_SOURCES), { minItems: 1 }),
  scoringRule: Text(2000),
}, { additionalProperties: false });

export const StarRatingCatalogSchema = Type.Object({
  notice: Type.Optional(Text(200)),
  dimensions: Type.Array(Type.Object({ code: Code, name: Text(50), indicators: Type.Array(Indicator, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }),
  starThresholds: Type.Array(Type.Object({
    stars: Type.Integer({ minimum: 1, maximum: 5 }),
    minScore: Type.Number({ minimum: 0, maximum: 100 }),
    label: Text(20),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 5 }),
  rhythm: Type.Optional(Text(200)),
}, { additionalProperties: false });
export type StarRatingCatalog = Static<typeof StarRatingCatalogSchema>;

export const INCENTIVE_CATEGORIES = ['荣誉', '党建', '项目', '服务', '人才', '宣传'] as const;

const Measure = Type.Object({
  code: Code,
  category: Type.Enum(INCENTIVE_CATEGORIES),
  department: Text(50),
  minStars: Type.Integer({ minimum: 1, maximum: 5 }),
  text: Text(500),
}, { additionalProperties: false });
export type IncentiveMeasure = Static<typeof Measure>;

export const IncentiveCatalogSchema = Type.Object({
  notice: Type.Optional(Text(200)),
  categories: Type.Array(Type.Enum(INCENTIVE_CATEGORIES), { minItems: 1 }),
  measures: Type.Array(Measure, { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export type IncentiveCatalog = Static<typeof IncentiveCatalogSchema>;
