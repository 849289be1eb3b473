// The visual check of a rendered PDF, from its text with positions (pdf.js through unpdf):
// - nothing lies outside the text block of GB/T 9704 (A4: 天头 37 mm, 订口 28 mm, 翻口 26 mm,
//   下白边 35 mm; landscape sheets 22/26/22/28 mm) except the running header and footer;
// - no table cell breaks a word: a line holding one lone ideograph right under the line it
//   continues (same left edge or same centre, one line pitch below), as 承诺领/域 or 序/号;
// - the first page as PNG (pdf.js via unpdf on @napi-rs/canvas) for people to look at.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getDocumentProxy } from 'unpdf';

const MM = 72 / 25.4;
/** [top, right, bottom, left] in mm, as in templates/styles/report.css and partials/layout.hbs. */
const MARGINS = { portrait: [37, 26, 35, 28], landscape: [22, 26, 22, 28] } as const;
const TOLERANCE = 1.5;

export interface PlacedText {
  page: number;
  str: string;
  x: number;
  /** Baseline, from the top of the page. */
  y: number;
  width: number;
  size: number;
}

export interface PageText {
  page: number;
  width: number;
  height: number;
  items: PlacedText[];
}

export async function placedText(pdf: Buffer): Promise<PageText[]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const pages: PageText[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const items: PlacedText[] = [];
    for (const item of content.items as Array<{ str?: string; transform?: number[]; width?: number }>) {
      if (!item.str || !item.str.trim() || !item.transform) continue;
      const [a, b, , d, e, f] = item.transform as [number, number, number, number, number, number];
      items.push({ page: n, str: item.str, x: e, y: height - f, width: item.width ?? 0, size: Math.hypot(a, b) || Math.abs(d) });
    }
    pages.push({ page: n, width, height, items });
  }
  await doc.cleanup?.();
  return pages;
}

export interface LayoutProblems {
  /** Text outside the text block that is not the running header or footer. */
  outside: string[];
  /** Lone ideographs continuing the line above in the same cell. */
  brokenWords: string[];
}

const IDEOGRAPH = /^\p{Script=Han}$/u;

/**
 * `header` and `footer` are what the margin boxes must hold (whitespace ignored): the issuing
 * unit and title, the page numbers and generation time.
 */
export function checkLayout(pages: PageText[], margin: { header: string; footer: (page: number, pages: number) => string }): LayoutProblems {
  const outside: string[] = [];
  const brokenWords: string[] = [];
  for (const page of pages) {
    const [top, right, bottom, left] = page.width > page.height ? MARGINS.landscape : MARGINS.portrait;
    const block = { left: left * MM - TOLERANCE, right: page.width - right * MM + TOLERANCE, top: top * MM, bottom: page.height - bottom * MM };
    const header: PlacedText[] = [];
    const footer: PlacedText[] = [];
    for (const item of page.items) {
      const where = `page ${page.page} "${item.str}" at x ${item.x.toFixed(1)}–${(item.x + item.width).toFixed(1)}, y ${item.y.toFixed(1)}`;
      if (item.y < block.top) header.push(item);
      else if (item.y - item.size > block.bottom) footer.push(item);
      else if (item.x < block.left || item.x + item.width > block.right) outside.push(where);
    }
    // Header and footer are one line each (boxes of different type sizes): left to right.
    const inReadingOrder = (items: PlacedText[]) => [...items].sort((a, b) => a.x - b.x).map((i) => i.str).join('');
    const headerText = inReadingOrder(header);
    const footerText = inReadingOrder(footer);
    const squash = (s: string) => s.replace(/\s+/g, '');
    if (squash(headerText) !== squash(margin.header)) outside.push(`page ${page.page} header holds "${headerText}"`);
    if (squash(footerText) !== squash(margin.footer(page.page, pages.length))) outside.push(`page ${page.page} footer holds "${footerText}"`);

    for (const item of page.items) {
      const text = item.str.trim();
      if (!IDEOGRAPH.test(text)) continue;
      const centre = item.x + item.width / 2;
      const above = page.items.find((other) => {
        if (other === item || other.str.trim().length < 2) return false;
        const pitch = item.y - other.y;
        if (pitch < 0.8 * item.size || pitch > 1.8 * item.size || Math.abs(other.size - item.size) > 0.5) return false;
        return Math.abs(other.x - item.x) < 1 || Math.abs(other.x + other.width / 2 - centre) < 1;
      });
      if (above) brokenWords.push(`page ${page.page} "${above.str.trim()}/${text}"`);
    }
  }
  return { outside, brokenWords };
}

/**
 * The first page as PNG: pdf.js (unpdf, Apache-2.0) drawing on a Skia canvas (@napi-rs/canvas,
 * MIT, prebuilt binary: no system tools needed). Replaces MuPDF (AGPL).
 */
export async function writeFirstPagePng(pdf: Buffer, file: string, dpi = 72): Promise<void> {
  const { renderPageAsImage } = await import('unpdf');
  const png = await renderPageAsImage(new Uint8Array(pdf), 1, { canvasImport: () => import('@napi-rs/canvas'), scale: dpi / 72 });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.from(png));
}
