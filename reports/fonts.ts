// The Chinese font. Machines this runs on have no CJK system fonts, so text would print as
// boxes; @fontsource/noto-sans-sc ships Noto Sans SC cut into ~100 woff2 files per weight,
// each declared with a unicode-range. Keeping those ranges lets Chromium fetch only the
// slices a report's characters fall into; the .woff fallbacks are dropped (Chromium reads woff2).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Regular for body text, bold for titles and table heads. */
const WEIGHTS = [400, 700] as const;

export const FONT_FAMILY = 'Noto Sans SC';

export interface FontAssets {
  /** @font-face rules with absolute file:// URLs to the woff2 slices. */
  css: string;
  /** Folder holding the woff2 files: the only font location the page may load from. */
  filesDir: string;
}

export function loadFontAssets(): FontAssets {
  const anyCss = fileURLToPath(import.meta.resolve('@fontsource/noto-sans-sc/400.css'));
  const packageDir = path.dirname(anyCss);
  const filesDir = path.join(packageDir, 'files');
  const css = WEIGHTS.map((weight) => woff2Only(readFileSync(path.join(packageDir, `${weight}.css`), 'utf8'), filesDir)).join('\n');
  return { css, filesDir };
}

function woff2Only(css: string, filesDir: string): string {
  return css.replace(/src:\s*url\(\.\/files\/([^)]+\.woff2)\)\s*format\('woff2'\)[^;]*;/g, (_match, file: string) => {
    const url = pathToFileURL(path.join(filesDir, file)).href;
    return `src: url(${url}) format('woff2');`;
  });
}
