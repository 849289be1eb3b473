// Text of a rendered PDF as a reader would copy it, whitespace removed so assertions do not
// depend on how PDF.js splits runs of CJK text.
import { extractText } from 'unpdf';

export async function pdfText(pdf: Buffer): Promise<string> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return text.replace(/\s+/g, '');
}

/** Names of the fonts embedded in the PDF (subset prefixes stripped). */
export function pdfFontNames(pdf: Buffer): string[] {
  const names = pdf.toString('latin1').match(/\/BaseFont\s*\/([^\s/<>\[\]]+)/g) ?? [];
  return [...new Set(names.map((entry) => entry.replace(/^\/BaseFont\s*\//, '').replace(/^[A-Z]{6}\+/, '')))];
}
