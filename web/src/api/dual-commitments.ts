// The dual commitments routes as the pages use them. Paths and request bodies are checked
// against the API's OpenAPI document; the answers of routes whose schema has no response yet
// are described here (keep in step with api/routes/dual-commitments/index.ts).
import { api, ask } from './client';

import type { CycleDashboard, SetSummary, SetView } from './dual-commitments-types.ts';

export type * from './dual-commitments-types.ts';

export const listSets = async (query: { year?: number; cycleId?: string; gate?: 'set' | 'show' | 'practice' | 'evaluate' | 'filed'; limit?: number; offset?: number }) =>
  (await ask(() => api.GET('/dual-commitments/sets', { params: { query: { limit: 50, offset: 0, ...query } } }))) as unknown as { total: number; items: SetSummary[] };

export const getSet = async (setId: string) => (await ask(() => api.GET('/dual-commitments/sets/{setId}', { params: { path: { setId } } }))) as unknown as SetView;

export const getCycle = async (id: string) => (await ask(() => api.GET('/dual-commitments/cycles/{id}', { params: { path: { id } } }))) as unknown as CycleDashboard;
