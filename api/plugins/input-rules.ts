// What the API accepts, decided in one place for every route instead of in each schema:
// - a JSON body is taken as sent: no field the schema does not name (every object in a body
//   schema is closed, nested ones too) and no coercion ("12345" is not a number);
// - the query string and path keep coercing text to numbers, but every number (in any part)
//   is bounded, so `?offset=99999999999999999999` is a 400 naming the field, not a database error;
// - a date is a calendar date: `2026-02-30` is refused wherever a YYYY-MM-DD is accepted, also
//   where a route only wrote the pattern, and a YYYY-MM is a month 01-12.
// Routes are rewritten as they are added (onRoute), so /docs shows the rules that are enforced.
import type { FastifyInstance, FastifySchema } from 'fastify';
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Numbers every column of the schema fits (PostgreSQL `integer`); larger ones are nobody's data. */
export const NUMBER_BOUND = 2_147_483_647;
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const MONTH_PATTERN = '^\\d{4}-\\d{2}$';
export const YEAR_MONTH_FORMAT = 'year-month';

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Rules {
  /** Close every object schema that does not say what to do with other fields. */
  close: boolean;
}

/** Sub-schemas reached through these keywords are themselves schemas (one, a list, or a map of them). */
const ONE = [
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const LIST = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];

const hasType = (schema: Schema, type: string) => schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

/** A copy of `schema` with the rules applied; `inAllOf` leaves the parts of an intersection open. */
export function applyInputRules(schema: unknown, rules: Rules, inAllOf = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => applyInputRules(s, rules));
  if (!isSchema(schema)) return schema;
  const out: Schema = { ...schema };
  for (const key of ONE) if (isSchema(out[key]) || (key === 'items' && Array.isArray(out[key]))) out[key] = applyInputRules(out[key], rules);
  for (const key of LIST) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => applyInputRules(s, rules, key === 'allOf'));
  for (const key of MAP) {
    if (isSchema(out[key])) out[key] = Object.fromEntries(Object.entries(out[key]).map(([name, s]) => [name, applyInputRules(s, rules)]));
  }
  const isObject = hasType(out, 'object') || isSchema(out.properties);
  if (
    rules.close &&
    isObject &&
    !inAllOf &&
    out.additionalProperties === undefined &&
    out.patternProperties === undefined &&
    out.unevaluatedProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  if (hasType(out, 'integer') || hasType(out, 'number')) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = NUMBER_BOUND;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = -NUMBER_BOUND;
  }
  if (hasType(out, 'string') && out.format === undefined) {
    if (out.pattern === DATE_PATTERN) out.format = 'date';
    if (out.pattern === MONTH_PATTERN) out.format = YEAR_MONTH_FORMAT;
  }
  return out;
}

/** A body given per media type (`{ content: { type: { schema } } }`) or as one schema. */
function applyToBody(body: unknown): unknown {
  if (isSchema(body) && isSchema(body.content) && body.type === undefined) {
    const content = Object.fromEntries(
      Object.entries(body.content).map(([type, media]) => [
        type,
        isSchema(media) ? { ...media, schema: applyInputRules(media.schema, { close: true }) } : media,
      ]),
    );
    return { ...body, content };
  }
  return applyInputRules(body, { close: true });
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    // Report every broken rule at once; the body limit bounds the work this takes.
    allErrors: true,
    useDefaults: true,
    removeAdditional: false,
    addUsedSchema: false,
    ...options,
  });
  // Full mode: dates and times are checked against the calendar, not only their shape.
  addFormats(ajv);
  ajv.addFormat(YEAR_MONTH_FORMAT, /^\d{4}-(0[1-9]|1[0-2])$/);
  return ajv;
}

/** Installs the validators and the route rewriting; call before any route is added. */
export function registerInputRules(fastify: FastifyInstance): void {
  const bodyAjv = makeAjv({ coerceTypes: false });
  // Query strings and paths are text: numbers and lists in them are read from text.
  const textAjv = makeAjv({ coerceTypes: 'array' });
  fastify.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

  fastify.addHook('onRoute', (route) => {
    if (!route.schema) return;
    const schema: FastifySchema = { ...route.schema };
    if (schema.body !== undefined) schema.body = applyToBody(schema.body);
    for (const part of ['querystring', 'params', 'headers'] as const) {
      if (schema[part] !== undefined) schema[part] = applyInputRules(schema[part], { close: false });
    }
    route.schema = schema;
  });
}
