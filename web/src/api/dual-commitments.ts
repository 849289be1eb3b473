// The dual commitments routes as the pages use them. Paths, request bodies and answers are
// checked against the API's OpenAPI document (api/schemas/dual-commitments.ts).
import { api, ask } from './client';


export type * from './dual-commitments-types.ts';

export const listSets = async (query: { year?: number; cycleId?: string; gate?: 'set' | 'show' | 'practice' | 'evaluate' | 'filed'; limit?: number; offset?: number }) =>
  (await ask(() => api.GET('/dual-commitments/sets', { params: { query: { limit: 50, offset: 0, ...query } } })));

export const getSet = async (setId: string) => (await ask(() => api.GET('/dual-commitments/sets/{setId}', { params: { path: { setId } } })));

export const getCycle = async (id: string) => (await ask(() => api.GET('/dual-commitments/cycles/{id}', { params: { path: { id } } })));
