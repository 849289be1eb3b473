// Rules a catalog must satisfy beyond its shape; each broken rule names the field.
import type { ErrorDetail } from '../errors.ts';
import type { CatalogKind } from './kinds.ts';
import type { DualCommitmentCatalog, IncentiveCatalog, StarRatingCatalog } from './schemas.ts';

export function catalogRuleViolations(kind: CatalogKind, content: unknown): ErrorDetail[] {
  if (kind === 'dual_commitment' || kind === 'resident_unit_commitment') return dualCommitmentViolations(content as DualCommitmentCatalog);
  if (kind === 'star_rating') return starRatingViolations(content as StarRatingCatalog);
  return incentiveViolations(content as IncentiveCatalog);
}

function uniqueCodes(codes: { code: string; field: string }[]): ErrorDetail[] {
  const seen = new Set<string>();
  const problems: ErrorDetail[] = [];
  for (const { code, field } of codes) {
    if (seen.has(code)) problems.push({ field, rule: `code ${code} is used twice; codes must be unique within the catalog` });
    seen.add(code);
  }
  return problems;
}

function dualCommitmentViolations(c: DualCommitmentCatalog): ErrorDetail[] {
  const codes: { code: string; field: string }[] = [];
  for (const side of ['partySide', 'enterpriseSide'] as const) {
    c[side].areas.forEach((area, a) => {
      codes.push({ code: area.code, field: `body.content.${side}.areas[${a}].code` });
      area.items.forEach((item, i) => codes.push({ code: item.code, field: `body.content.${side}.areas[${a}].items[${i}].code` }));
    });
  }
  return uniqueCodes(codes);
}

function starRatingViolations(c: StarRatingCatalog): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const indicators = c.dimensions.flatMap((d) => d.indicators);
  const total = indicators.reduce((sum, i) => sum + i.weight, 0);
  if (Math.abs(total - 100) > 1e-9) problems.push({ field: 'body.content.dimensions', rule: `indicator weights must add up to 100 (they add up to ${total})` });
  const stars = c.starThresholds.map((t) => t.stars);
  if (new Set(stars).size !== stars.length) problems.push({ field: 'body.content.starThresholds', rule: 'each star level may appear once' });
  const sorted = [...c.starThresholds].sort((a, b) => a.stars - b.stars);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.minScore <= sorted[i - 1]!.minScore) {
      problems.push({ field: 'body.content.starThresholds', rule: 'a higher star level must need a higher minScore' });
      break;
    }
  }
  const codes = c.dimensions.flatMap((d, di) => [
    { code: d.code, field: `body.content.dimensions[${di}].code` },
    ...d.indicators.map((ind, ii) => ({ code: ind.code, field: `body.content.dimensions[${di}].indicators[${ii}].code` })),
  ]);
  return [...problems, ...uniqueCodes(codes)];
}

function incentiveViolations(c: IncentiveCatalog): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  c.measures.forEach((m, i) => {
    if (!c.categories.includes(m.category)) problems.push({ field: `body.content.measures[${i}].category`, rule: `must be one of the catalog's categories (${c.categories.join(', ')})` });
  });
  return [...problems, ...uniqueCodes(c.measures.map((m, i) => ({ code: m.code, field: `body.content.measures[${i}].code` })))];
}
