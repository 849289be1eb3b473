// What the dual commitments routes answer, taken from the API's own OpenAPI document
// (schema.d.ts, generated from api/schemas/dual-commitments.ts), so a changed answer breaks the
// build. Type-only: the 待办 logic that uses these types is unit-tested under Node too (test/web/).
import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type SetList = Json<paths['/dual-commitments/sets']['get']['responses'][200]>;
export type SetSummary = SetList['items'][number];
export type SetView = Json<paths['/dual-commitments/sets/{setId}']['get']['responses'][200]>;
export type SetVersion = SetView['versions'][number];
export type CommitmentItem = SetVersion['items'][number];
export type ItemProgress = SetView['progress'][number];
export type ReportEntry = SetView['reports'][number];
export type CycleDashboard = Json<paths['/dual-commitments/cycles/{id}']['get']['responses'][200]>;
