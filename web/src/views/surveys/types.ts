// A survey as GET /surveys/{purpose}/{subjectId} answers it, typed from the API's schema.
import type { paths } from '../../api/schema';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
export type Survey = Json<paths['/surveys/{purpose}/{subjectId}']['get']['responses'][200]>;
export type SurveyPurpose = Survey['purpose'];
export type IssuedCode = Json<paths['/surveys/{purpose}/{subjectId}/codes']['post']['responses'][201]>['codes'][number];
