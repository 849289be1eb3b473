// What the star-rating routes answer, taken from the API's own OpenAPI document (schema.d.ts,
// generated from api/schemas/star-ratings.ts). Type-only: the 待办 logic that uses these is
// unit-tested under Node too (test/web/).
import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type RatingList = Json<paths['/star-ratings/organizations']['get']['responses'][200]>;
export type RatingRow = RatingList['items'][number];
export type RatingQuery = NonNullable<paths['/star-ratings/organizations']['get']['parameters']['query']>;
export type RatingView = Json<paths['/star-ratings/organizations/{orgId}']['get']['responses'][200]>;
export type RatingStatus = NonNullable<RatingView['status']>;
export type Settings = Json<paths['/star-ratings/settings']['get']['responses'][200]>;
export type Distribution = Json<paths['/star-ratings/distribution']['get']['responses'][200]>;
export type DueForReview = Json<paths['/star-ratings/due-for-review']['get']['responses'][200]>;
export type Incentives = Json<paths['/star-ratings/incentives']['get']['responses'][200]>;
export type EventType = RatingStatus extends { config: infer C } ? NonNullable<C> extends { eventTypes: (infer E)[] } ? E : never : never;
