// The page every report is printed from. Each pooled page opens this shell once (fonts and
// stylesheet are declared here) and then only has its <body> replaced per report, so the font
// slices it has already decoded stay loaded; navigating to a fresh file per report re-reads
// them and measured ~2.5x slower. file:// is needed because Chromium does not load file://
// fonts into an about:blank document (page.setContent).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadFontAssets } from './fonts.ts';

export interface ReportAssets {
  shellUrl: string;
  /** True only for the report's own files: the shell, its stylesheets and the font slices. */
  isOwnAsset(url: string): boolean;
  /** Remove the temp folder holding the shell. */
  remove(): void;
}

export function writeReportAssets(stylesheetPath: string): ReportAssets {
  const fonts = loadFontAssets();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'party-cycles-reports-'));
  const fontsCss = path.join(dir, 'fonts.css');
  const shell = path.join(dir, 'shell.html');
  writeFileSync(fontsCss, fonts.css);
  writeFileSync(
    shell,
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
      `<link rel="stylesheet" href="${pathToFileURL(fontsCss).href}">` +
      `<link rel="stylesheet" href="${pathToFileURL(stylesheetPath).href}">` +
      '</head><body></body></html>',
  );
  const exact = new Set([shell, fontsCss, path.resolve(stylesheetPath)]);
  const fontPrefix = fonts.filesDir + path.sep;

  return {
    shellUrl: pathToFileURL(shell).href,
    isOwnAsset(url: string): boolean {
      if (!url.startsWith('file:')) return false;
      let file: string;
      try {
        file = path.normalize(fileURLToPath(url));
      } catch {
        return false;
      }
      return exact.has(file) || (file.startsWith(fontPrefix) && file.endsWith('.woff2'));
    },
    remove(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
