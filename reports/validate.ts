// Contract checks before rendering, compiled once per schema. Errors name the field path so
// the person or activity that built the data can fix the right field.
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import { ReportDataError } from './errors.ts';

export type Checker = (reportType: string, value: unknown) => void;

export function compileChecker(schema: TSchema, prefix = ''): Checker {
  const validator = Compile(schema);
  return (reportType, value) => {
    if (validator.Check(value)) return;
    throw new ReportDataError(reportType, validator.Errors(value).flatMap((error) => describe(error, prefix)));
  };
}

function describe(error: TLocalizedValidationError, prefix: string): Array<{ path: string; message: string }> {
  const at = prefix + error.instancePath;
  if (error.keyword === 'required') {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
    return missing.map((property) => ({ path: `${at}/${property}`, message: 'is required' }));
  }
  return [{ path: at || '/', message: error.message }];
}
