// The one error type of the service: what went wrong (kind), a stable snake_case code callers
// can branch on, a sentence for people, and for each broken rule the field it is about.
// Domain code, activities and routes all throw it; api/plugins/error-handler.ts turns the kind
// into the HTTP status and answers { error: code, message, details }. No HTTP here: the kind
// says what happened, the API decides how it is said. Pure code (no imports).

/** One broken rule: where (e.g. `body.commitments[2].deadline`) and the rule, in words. */
export interface ErrorDetail {
  field: string;
  rule: string;
}

/**
 * invalid: the input breaks a rule; unauthenticated: no valid credentials; forbidden: the
 * caller's role may not do this; not_found: no such record, or not the caller's to see (so its
 * existence is not revealed); conflict: the record's state does not allow it now; gone: it was
 * there but is no longer (an expired link); too_large / unsupported_media: the upload itself;
 * rate_limited: too many in a window; unavailable: nobody can answer now, try again later.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'unsupported_media'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** For rate_limited / unavailable: when to come back (the API sends it as Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  constructor(kind: ErrorKind, code: string, message: string, details: ErrorDetail[] = [], retryAfterSeconds?: number) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = [], code = 'bad_request') => new DomainError('invalid', code, message, details);
export const unauthorized = (message = 'authentication required') => new DomainError('unauthenticated', 'unauthorized', message);
export const forbidden = (message = 'not allowed for your role', code = 'forbidden') => new DomainError('forbidden', code, message);
/** Also used for records outside the caller's tenant, so their existence is not revealed. */
export const notFound = (what = 'record') => new DomainError('not_found', 'not_found', `${what} not found`);
export const conflict = (message: string, details: ErrorDetail[] = [], code = 'conflict') => new DomainError('conflict', code, message, details);
/** 409 with the code of the state rule that refused, e.g. conflictOf('window_closed', ...). */
export const conflictOf = (code: string, message: string) => new DomainError('conflict', code, message);
export const gone = (code: string, message: string) => new DomainError('gone', code, message);
export const rateLimited = (message: string, retryAfterSeconds?: number) => new DomainError('rate_limited', 'rate_limited', message, [], retryAfterSeconds);
export const tooLarge = (message: string, details: ErrorDetail[] = []) => new DomainError('too_large', 'payload_too_large', message, details);
export const unsupportedMedia = (message: string, details: ErrorDetail[] = []) => new DomainError('unsupported_media', 'unsupported_media_type', message, details);
export const unavailable = (code: string, message: string, retryAfterSeconds: number) => new DomainError('unavailable', code, message, [], retryAfterSeconds);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
