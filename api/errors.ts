// Errors the API answers with on purpose: a status, a stable code and, for 4xx, details
// that name the field and the rule. Anything else becomes a 500 without internals.
export interface ErrorDetail {
  /** Where the problem is, e.g. `body.commitments[2].deadline`. */
  field: string;
  /** The rule that was broken, in words. */
  rule: string;
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Headers the answer carries, e.g. Retry-After on a 503 or 429. */
  readonly headers: Record<string, string>;
  constructor(statusCode: number, code: string, message: string, details: ErrorDetail[] = [], headers: Record<string, string> = {}) {
    super(message);
    this.headers = headers;
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = []) => new ApiError(400, 'bad_request', message, details);
export const unauthorized = (message = 'authentication required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed for your role') => new ApiError(403, 'forbidden', message);
/** Also used for records outside the caller's tenant, so their existence is not revealed. */
export const notFound = (what = 'record') => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details: ErrorDetail[] = []) => new ApiError(409, 'conflict', message, details);
