// The project's own source files, for the architecture tests: found on disk (new files count
// before they are committed), without dependencies, build output, generated types or data.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'data', '.data', 'coverage', 'tmp', 'test-screenshots']);
const SOURCE = /\.(ts|tsx|mts|js|mjs|cjs|vue)$/;

/** Paths relative to the project root, with forward slashes, of every source file under `dirs`. */
export function sourceFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(child);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  for (const dir of dirs) walk(dir);
  return out.sort();
}

export const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

const SPECIFIERS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** The project files `rel` imports (type-only, re-exports and dynamic imports included), relative to the root. */
export function localImports(rel: string): string[] {
  const text = read(rel);
  const found = new Set<string>();
  for (const re of SPECIFIERS) {
    for (const m of text.matchAll(re)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      found.add(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
    }
  }
  return [...found];
}
