export const CATALOG_KINDS = ['dual_commitment', 'resident_unit_commitment', 'star_rating', 'incentive'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];
