// The one error type is domain/errors.ts's DomainError; api/plugins/error-handler.ts answers it
// with the HTTP status of its kind and { error: code, message, details }. This module re-exports
// the constructors for route code and keeps the status-first spelling older routes use.
import { DomainError, type ErrorKind } from '../domain/errors.ts';
import { HTTP_STATUS } from './plugins/error-handler.ts';

export { HTTP_STATUS, httpStatusOf } from './plugins/error-handler.ts';
export {
  DomainError, badRequest, conflict, conflictOf, forbidden, gone, notFound, rateLimited, tooLarge, unauthorized, unavailable, unsupportedMedia,
  type ErrorDetail, type ErrorKind,
} from '../domain/errors.ts';

const KIND_OF_STATUS = Object.fromEntries(Object.entries(HTTP_STATUS).map(([kind, status]) => [status, kind])) as Record<number, ErrorKind>;

/**
 * A DomainError spelled by its HTTP status, for route code written before domain/errors.ts
 * (`new ApiError(409, 'window_closed', ...)`). It is a DomainError, answered the same way;
 * new code uses the constructors of domain/errors.ts.
 */
export class ApiError extends DomainError {
  constructor(status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503, code: string, message: string, details: ConstructorParameters<typeof DomainError>[3] = []) {
    super(KIND_OF_STATUS[status] ?? 'conflict', code, message, details);
  }
}
