// The star-rating routes as the pages use them (星级评定). Paths, bodies and answers are checked
// against the API's OpenAPI document (api/schemas/star-ratings.ts), so a changed route breaks the build.
import { api, ask } from './client';

import type { RatingQuery } from './star-ratings-types.ts';

export type * from './star-ratings-types.ts';

export const listRatings = (query: Partial<RatingQuery>) =>
  ask(() => api.GET('/star-ratings/organizations', { params: { query: { limit: 50, offset: 0, ...query } } }));

export const getRating = (orgId: string) => ask(() => api.GET('/star-ratings/organizations/{orgId}', { params: { path: { orgId } } }));

export const getSettings = () => ask(() => api.GET('/star-ratings/settings', { params: { query: {} } }));

export const listUnits = (level: 'street' | 'community') =>
  ask(() => api.GET('/units', { params: { query: { level, limit: 200, offset: 0 } } }));

/** The Chinese label of a level: 0 is "no star". */
export const starLabel = (n: number | null | undefined) => (n == null ? '—' : n === 0 ? '无星' : `${'★'.repeat(n)} ${n} 星`);
