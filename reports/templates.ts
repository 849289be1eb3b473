// Loads and compiles the Handlebars templates once, in an isolated Handlebars environment.
// Strict mode: a template that looks up a field the data does not have throws instead of
// printing an empty cell (the contracts make every printed field present, nullable if optional).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { reportHelpers } from './helpers.ts';
import type { ReportTypeDefinition } from './report-types.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
export const STYLESHEET_PATH = path.join(TEMPLATES_DIR, 'styles', 'report.css');

export type CompiledTemplate = (context: object) => string;

export function compileTemplates(types: Record<string, ReportTypeDefinition>): Map<string, CompiledTemplate> {
  const handlebars = Handlebars.create();
  handlebars.registerHelper(reportHelpers(handlebars.SafeString));
  const partialsDir = path.join(TEMPLATES_DIR, 'partials');
  for (const file of readdirSync(partialsDir).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  const compiled = new Map<string, CompiledTemplate>();
  for (const [name, definition] of Object.entries(types)) {
    const source = definition.template ?? readFileSync(path.join(TEMPLATES_DIR, 'reports', `${name}.hbs`), 'utf8');
    const template = handlebars.compile(source, { strict: true, noEscape: false });
    // compile() defers the real work to the first call; run a parse now so a broken template
    // fails at startup, not on the first year-end report.
    handlebars.parse(source);
    compiled.set(name, template);
  }
  return compiled;
}
