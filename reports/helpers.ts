// Handlebars helpers: formatting the way Chinese official documents print dates, money and
// scores. All return plain strings (escaped by Handlebars) except cssString, which escapes
// itself because it writes into a <style> element where HTML escaping does not apply.
import type { HelperDelegate } from 'handlebars';
import { renderSVG } from 'uqr';

function pad(value: string, length: number): string {
  return value.padStart(length, '0');
}

/** 2024-12-31 → 2024年12月31日 */
function date(value: string): string {
  const [year, month, day] = value.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

/** 2024-03 → 2024年3月 */
function month(value: string): string {
  const [year, monthOfYear] = value.split('-');
  return `${year}年${Number(monthOfYear)}月`;
}

/** Scores print with one decimal, as on the paper forms. */
function score(value: number): string {
  return value.toFixed(1);
}

/** A weighted part of a total, two decimals, so the parts add up to the total as printed. */
function score2(value: number): string {
  return value.toFixed(2);
}

/** 1000000 → 1,000,000 */
function yuan(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function percent(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

/** ★★★☆☆ for 3 of 5 stars. */
function stars(count: number): string {
  return '★'.repeat(count) + '☆'.repeat(Math.max(0, 5 - count));
}

const CHINESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 3 → 三 (small counts only: star levels, quarters). */
function chineseNumber(value: number): string {
  return CHINESE_DIGITS[value] ?? String(value);
}

/** Row numbers in tables start at 1. */
function inc(value: number): number {
  return value + 1;
}

const ATTENDANCE_MARKS: Record<string, string> = { present: '√', business: '△', leave: '○', absent: '×', off: '' };
function attendanceMark(value: string): string {
  return ATTENDANCE_MARKS[value] ?? '?';
}

/** Star movement against the previous rating: 新评 / 升 / 降 / 保持. */
function starMove(stars: number, previous: number | null): string {
  if (previous === null) return '新评';
  if (stars > previous) return '升星';
  if (stars < previous) return '降星';
  return '保持';
}

function eq(a: unknown, b: unknown): boolean {
  return a === b;
}

/** '' for short text, 'long' past `long` characters, 'longer' past `longer`: a smaller size that keeps a line whole. */
function lengthClass(value: string, long: number, longer: number): string {
  const length = Array.from(String(value)).length;
  return length > longer ? 'longer' : length > long ? 'long' : '';
}

/** True for 0 too: a count of 0 is printed, an unknown count (null) is left blank. */
function isNumber(value: unknown): boolean {
  return typeof value === 'number';
}

function atLeast(value: number, minimum: number): boolean {
  return value >= minimum;
}

/**
 * A quoted CSS string for `content:` in @page margin boxes. Every ASCII character other than
 * [A-Za-z0-9] becomes a 6-digit CSS escape (spaces too: CSS swallows one space after an
 * escape), so user text cannot close the string or the <style> element; non-ASCII text (the
 * Chinese) cannot end either and stays readable.
 */
export function cssString(value: string): string {
  const escaped = Array.from(String(value), (char) =>
    /[A-Za-z0-9]|[^\u0000-\u007f]/u.test(char) ? char : `\\${pad((char.codePointAt(0) as number).toString(16), 6)}`,
  ).join('');
  return `"${escaped}"`;
}

export function reportHelpers(SafeString: new (value: string) => unknown): Record<string, HelperDelegate> {
  return {
    date,
    month,
    score,
    score2,
    yuan,
    percent,
    stars,
    chineseNumber,
    inc,
    attendanceMark,
    starMove,
    eq,
    atLeast,
    isNumber,
    lengthClass,
    // Safe to mark as such: cssString leaves no character that could end the string or element.
    cssString: (value: string) => new SafeString(cssString(value)),
    // The QR code of a public page as inline SVG: drawn here, nothing is fetched. The SVG is
    // made of rects and one path from the encoder; the URL itself is not in the markup.
    qr: (url: string) => new SafeString(renderSVG(url, { border: 1, ecc: 'M' })),
  };
}
