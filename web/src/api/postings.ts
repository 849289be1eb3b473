// The first-secretary posting routes (第一书记) as the pages use them; paths, bodies and answers
// are checked against the API's OpenAPI document (api/schemas/postings.ts).
import type { paths } from './schema';
import { api, ask } from './client';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type PostingList = Json<paths['/postings']['get']['responses'][200]>;
export type PostingSummary = PostingList['items'][number];
export type PostingView = Json<paths['/postings/{id}']['get']['responses'][200]>;
export type PostingStatus = NonNullable<PostingView['status']>;
export type QuarterStatus = PostingView['openQuarters'][number];
export type CheckInList = Json<paths['/postings/{id}/check-ins']['get']['responses'][200]>;
export type CheckInEntry = CheckInList['items'][number];
export type CohortList = Json<paths['/postings/cohorts']['get']['responses'][200]>;
export type CohortSummary = CohortList['items'][number];
export type CohortRanking = Json<paths['/postings/cohorts/{id}/ranking']['get']['responses'][200]>;
export type AttendanceGrid = Json<paths['/postings/attendance']['get']['responses'][200]>;
export type AttendanceCell = AttendanceGrid['cells'][number];
export type ReportFileList = Json<paths['/postings/cohorts/{id}/reports']['get']['responses'][200]>;
type ListQuery = NonNullable<paths['/postings']['get']['parameters']['query']>;

export const listPostings = (query: Partial<ListQuery>) =>
  ask(() => api.GET('/postings', { params: { query: { limit: 50, offset: 0, ...query } as ListQuery } }));
export const getPosting = (id: string) => ask(() => api.GET('/postings/{id}', { params: { path: { id } } }));
export const listCheckIns = (id: string, month?: string) =>
  ask(() => api.GET('/postings/{id}/check-ins', { params: { path: { id }, query: month ? { month } : {} } }));
export const listCohorts = () => ask(() => api.GET('/postings/cohorts', { params: { query: { limit: 200, offset: 0 } } }));
export const cohortRanking = (id: string) => ask(() => api.GET('/postings/cohorts/{id}/ranking', { params: { path: { id } } }));
export const cohortReports = (id: string) => ask(() => api.GET('/postings/cohorts/{id}/reports', { params: { path: { id }, query: {} } }));
export const attendanceGrid = (query: { cohortId?: string; streetId?: string; year?: number }) =>
  ask(() => api.GET('/postings/attendance', { params: { query } }));
