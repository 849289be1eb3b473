// Schemas every resource shares: the error body, ids, dates and paginated lists.
import Type, { type TSchema } from 'typebox';

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  details: Type.Array(Type.Object({ field: Type.String(), rule: Type.String() })),
}, { examples: [{ error: 'validation_failed', message: 'invalid request: body.name is required', details: [{ field: 'body.name', rule: 'is required' }] }] });

export const Uuid = Type.String({ format: 'uuid', examples: ['0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a'] });
export const IdParams = Type.Object({ id: Uuid });
/** A calendar date, YYYY-MM-DD. */
export const DateOnly = Type.String({ format: 'date', examples: ['2026-01-01'] });
export const DateTime = Type.String({ format: 'date-time', examples: ['2026-11-21T08:00:00.000Z'] });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'page size (1..200)' }),
  offset: Type.Integer({ minimum: 0, default: 0, description: 'rows to skip' }),
};

export const Page = <T extends TSchema>(item: T, example: unknown) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ description: 'rows matching the filter, all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  }, { examples: [{ items: [example], total: 1, limit: 50, offset: 0 }] });

/** The 4xx answers of a route guarded by the auth layer (added to every guarded route's schema). */
export const GuardedErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
