// What the route-authorization test reads from the OpenAPI document: an operation, the JSON
// Schema subset its parameters and bodies use, and a sample value each schema accepts.
import { randomUUID } from 'node:crypto';

export interface Operation {
  description?: string;
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  minProperties?: number;
  examples?: unknown[];
  example?: unknown;
}

/** A body the route's schema accepts: its example, else the least each required field needs. */
export function sampleOf(schema: JsonSchema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return sampleOf(variants.find((v) => v.type !== 'null') ?? variants[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const keys = [...(schema.required ?? [])];
      for (const key of Object.keys(schema.properties ?? {})) if (keys.length < (schema.minProperties ?? 0) && !keys.includes(key)) keys.push(key);
      return Object.fromEntries(keys.map((key) => [key, sampleOf(schema.properties?.[key])]));
    }
    case 'array': return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items));
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return true;
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date' || schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return '2026-06-01';
      if (schema.format === 'date-time') return '2027-01-01T00:00:00.000Z';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    default: return {};
  }
}
