// The Chinese font. Official documents (公文, GB/T 9704) print their body in a serif (宋体/仿宋)
// and their titles in a heavy serif (小标宋); machines this runs on have no CJK system fonts,
// so @fontsource/noto-serif-sc ships Noto Serif SC from npm, in two cuts, both used here:
// - one "chinese-simplified" woff2 per weight (~1.5 MB, the common simplified characters plus
//   Latin): the primary family. One font per weight keeps the PDF to a few embedded fonts;
//   with only the ~100 unicode-range slices a table of names embedded ~30 fonts and cost ~25%
//   more renderer CPU per PDF and ~35% more bytes.
// - the unicode-range slices as the fallback family, for rarer characters (names such as 堃,
//   喆): Chromium falls back per character and fetches only the slices a report needs.
// Only woff2 sources are kept (Chromium reads woff2; the .woff copies would never load).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Regular for the body, bold for headings and table heads, black (900) for titles and the letterhead. */
const WEIGHTS = [400, 700, 900] as const;

const PACKAGE = '@fontsource/noto-serif-sc';
const PRIMARY_FAMILY = 'Noto Serif SC Common';
const FALLBACK_FAMILY = 'Noto Serif SC';

export interface FontAssets {
  /** @font-face rules with absolute file:// URLs to the woff2 files. */
  css: string;
  /** Folder holding the woff2 files: the only font location the page may load from. */
  filesDir: string;
}

export function loadFontAssets(): FontAssets {
  const packageDir = path.dirname(fileURLToPath(import.meta.resolve(`${PACKAGE}/400.css`)));
  const filesDir = path.join(packageDir, 'files');
  const read = (name: string) => woff2Only(readFileSync(path.join(packageDir, name), 'utf8'), filesDir);
  const primary = WEIGHTS.map((weight) => read(`chinese-simplified-${weight}.css`).replaceAll(`'${FALLBACK_FAMILY}'`, `'${PRIMARY_FAMILY}'`));
  const fallback = WEIGHTS.map((weight) => read(`${weight}.css`));
  return { css: [...primary, ...fallback].join('\n'), filesDir };
}

function woff2Only(css: string, filesDir: string): string {
  const rewritten = css.replace(/src:\s*url\(\.\/files\/([^)]+\.woff2)\)\s*format\('woff2'\)[^;]*;/g, (_match, file: string) => {
    const url = pathToFileURL(path.join(filesDir, file)).href;
    return `src: url(${url}) format('woff2');`;
  });
  if (rewritten.includes('./files/')) throw new Error(`${PACKAGE} CSS changed shape: a relative font URL was left`);
  return rewritten;
}
