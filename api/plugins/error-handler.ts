// One error shape for every route: { error, message, details }. Validation failures list each
// field path with its rule; 5xx answers never carry internals (they are logged instead).
import type { FastifyError, FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { NotFoundError, UniqueConstraintViolationException, OptimisticLockError } from '@mikro-orm/core';
import { DomainError, type ErrorDetail, type ErrorKind } from '../../domain/errors.ts';
import { sendPage, wantsPage } from './web.ts';

/** The HTTP status of each kind of DomainError. */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** The HTTP status a domain error is answered with. */
export const httpStatusOf = (error: DomainError): number => HTTP_STATUS[error.kind];

export function validationDetails(errors: FastifySchemaValidationError[], context: string): ErrorDetail[] {
  return errors.map((e) => {
    const base = [context, ...e.instancePath.split('/').filter(Boolean)];
    const missing = typeof e.params?.missingProperty === 'string' ? e.params.missingProperty : undefined;
    if (missing) base.push(missing);
    const extra = typeof e.params?.additionalProperty === 'string' ? e.params.additionalProperty : undefined;
    if (extra) base.push(extra);
    const field = base.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
    let rule = e.message ?? e.keyword;
    if (e.keyword === 'required') rule = 'is required';
    if (e.keyword === 'additionalProperties') rule = 'is not an allowed field';
    if (e.keyword === 'format' && e.params?.format === 'date') rule = 'must be a calendar date YYYY-MM-DD';
    if (e.keyword === 'format' && e.params?.format === 'year-month') rule = 'must be a month YYYY-MM';
    return { field, rule };
  });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const details = validationDetails(error.validation, error.validationContext ?? 'request');
      return reply.status(400).send({
        error: 'validation_failed',
        message: `invalid request: ${details.map((d) => `${d.field} ${d.rule}`).join('; ')}`,
        details,
      });
    }
    if (error instanceof DomainError) {
      const status = httpStatusOf(error);
      // A route's own limit (e.g. feedback per client and hour) says when to come back, as the throttle does.
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      else if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
      return reply.status(status).send({ error: error.code, message: error.message, details: error.details });
    }
    if (error instanceof NotFoundError) {
      return reply.status(404).send({ error: 'not_found', message: 'record not found', details: [] });
    }
    if (error instanceof UniqueConstraintViolationException) {
      return reply.status(409).send({ error: 'conflict', message: 'a record with the same key already exists', details: [] });
    }
    if (error instanceof OptimisticLockError) {
      return reply.status(409).send({ error: 'conflict', message: 'the record was changed by someone else; reload and try again', details: [] });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      // A limiter that threw instead of answering (the throttle plugin answers itself).
      if (!reply.hasHeader('retry-after')) reply.header('retry-after', '60');
      return reply.status(429).send({ error: 'rate_limited', message: 'too many requests; wait and try again', details: [] });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx (body too large, bad JSON, unsupported media type...) are safe to show.
      return reply.status(status).send({ error: error.code ?? 'bad_request', message: error.message, details: [] });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'internal_error', message: 'internal server error', details: [] });
  });

  app.setNotFoundHandler((request, reply) => {
    // A browser opening one of the web application's own pages (/todo, /sets/…) gets the page.
    if (wantsPage(request) && sendPage(reply)) return reply;
    return reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, details: [] });
  });
}
